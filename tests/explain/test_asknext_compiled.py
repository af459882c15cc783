"""Ask-next with the compiled conditions (expr/closure.py) asks exactly what the tree evaluator asks."""
from __future__ import annotations

import random

from advisor.explain.asknext import ask_next, maybe_derived
from advisor.knowledge.figures import missing
from advisor.load.cases import load_case

from conftest import CASES
from random_cases import random_case


def test_compiled_and_tree_give_the_same_questions_and_the_same_maybe(advisor, tmp_path):
    rng = random.Random(18)
    cases = [load_case(p) for p in sorted(CASES.glob("*.yaml"))] + [random_case(rng, tmp_path, n) for n in range(80)]
    asked = 0
    for case in cases:
        facts, firings = advisor.evaluate(case)
        fired = {f.rule for f in firings}
        unknown = missing(case)
        parts = advisor.reference.parts
        assert maybe_derived(advisor.ruleset, facts, parts) == maybe_derived(advisor.ruleset, facts), case.name
        compiled = ask_next(advisor.ruleset, facts, case, fired, unknown, compiled=parts)
        assert compiled == ask_next(advisor.ruleset, facts, case, fired, unknown), case.name
        asked += bool(compiled)
    assert asked > 10                   # the comparison saw many cases with questions to ask
