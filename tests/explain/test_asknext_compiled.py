"""Ask-next with the compiled conditions (expr/closure.py) asks exactly what the tree evaluator asks, and its
one bottom-up walk of a condition finds exactly the fields the plain definition finds (`_plain_of` below:
ask each level's verdict, and follow only the unknown parts)."""
from __future__ import annotations

import random

from advisor.expr import ast
from advisor.expr.evaluate import truth
from advisor.explain.asknext import Waits, ask_next, maybe_derived
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


class _Plain(Waits):
    """Waits by the definition alone: a derived fact waits on what its rules' conditions wait on, by
    `_plain_of` too (the walker is not used)."""

    def derived(self, name):
        if name not in self.memo:
            self.memo[name] = frozenset()
            self.memo[name] = frozenset(f for rule in self.derivers.get(name, ())
                                        for f in _plain_of(self, rule.condition))
        return self.memo[name]


def _plain_of(waits: Waits, node, loan=None) -> set[str]:
    """The fields a condition waits on, by the definition: none if its verdict (the tree evaluator's) is
    known; else those of its parts, of each loan's body, of the rules that could derive a fact it needs,
    or the inputs a comparison reads that the case lacks."""
    if truth(node, waits.facts, loan) is not None:
        return set()
    if isinstance(node, ast.Quant):
        return {"loans"} if not waits.facts.loans_known else {
            f for one in waits.facts.loans for f in _plain_of(waits, node.body, one)}
    if isinstance(node, ast.BoolOp):
        return {f for item in node.items for f in _plain_of(waits, item, loan)}
    if isinstance(node, ast.Not):
        return _plain_of(waits, node.operand, loan)
    if isinstance(node, ast.Ref) and node.kind == "derived":
        return set(waits.derived(node.key))
    out: set[str] = set()
    for ref in ast.refs(node):
        if ref.kind == "derived":
            out |= waits.derived(ref.key)
        elif ref.kind != "param" and (waits.facts.case if ref.kind != "loan" else loan or {}).get(ref.key) is None:
            out |= waits.fields(ref, loan)
    return out


def test_the_walk_finds_the_fields_the_definition_finds_for_every_rule(advisor, tmp_path):
    rng = random.Random(1818)
    cases = [load_case(p) for p in sorted(CASES.glob("*.yaml"))] + [random_case(rng, tmp_path, n) for n in range(120)]
    walkers: dict = {}                                    # kept across cases, as the Advisor keeps them
    waiting = 0
    for case in cases:
        facts, _ = advisor.evaluate(case)
        open_facts = maybe_derived(advisor.ruleset, facts)
        waits = Waits(advisor.ruleset, open_facts, case, advisor.reference.parts, walkers)
        plain = _Plain(advisor.ruleset, open_facts, case)
        for rule in advisor.ruleset.rules:
            expected = _plain_of(plain, rule.condition)
            assert waits.of(rule.condition) == expected, (case.name, rule.id)
            waiting += bool(expected)
    assert waiting > 200                   # many rules of many cases waited on something
