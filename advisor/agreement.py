"""Agreement stage: the reference evaluator runs the same rules on the same facts, independently of
durable_rules, and the two must agree on which rules fire and which facts are derived.

The reference derives facts itself, stratum by stratum (a rule that needs a fact to be absent runs
after every rule that could derive it), so it shares nothing with the engine but the facts it starts
from. A disagreement is an engine error (X007), never silent output: the explanations the advisor
prints come from the reference, so they are only true if both agree.
"""
from __future__ import annotations

from dataclasses import replace

from .errors import Diagnostic, EngineError
from .expr.evaluate import Facts, truth
from .model import Firing, RuleSet
from .strata import stratify


def reference_run(ruleset: RuleSet, facts: Facts) -> tuple[frozenset[str], frozenset[str]]:
    """(rules that fire, facts derived) by the reference meaning, ignoring facts.derived."""
    strata = stratify(ruleset.rules)
    derived: set[str] = set()
    fired: set[str] = set()
    for level in sorted(set(strata.values())):
        layer = [r for r in ruleset.rules if strata[r.id] == level]
        changed = True
        while changed:
            changed = False
            now = replace(facts, derived=frozenset(derived))
            for rule in layer:
                if rule.id not in fired and truth(rule.condition, now) is True:
                    fired.add(rule.id)
                    derived.update(rule.derive)
                    changed = True
    return frozenset(fired), frozenset(derived)


def check_agreement(ruleset: RuleSet, facts: Facts, firings: tuple[Firing, ...]) -> None:
    """Raise EngineError X007 if durable_rules and the reference disagree for this case."""
    fired, derived = reference_run(ruleset, facts)
    engine_fired = frozenset(f.rule for f in firings)
    if fired == engine_fired and derived == facts.derived:
        return
    only_engine = sorted(engine_fired - fired)
    only_reference = sorted(fired - engine_fired)
    raise EngineError([Diagnostic(
        "X007", "the rules engine and the reference evaluator disagree on this case: "
                f"fired only by the engine {only_engine or '—'}, only by the reference {only_reference or '—'}",
        hint="no advice is given, because its explanation could be wrong; please report this with the case "
             "and the rules (it is a bug in the advisor or in durable_rules)")])
