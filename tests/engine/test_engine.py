"""The engine fence: isolation between cases, errors surfaced, negation, grouping, and agreement
between durable_rules and the reference evaluator."""
from __future__ import annotations

import random

import pytest

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.engine.compiler import GROUP_SIZE, compile_ruleset
from advisor.engine.durable import Engine
from advisor.errors import EngineError
from advisor.expr.evaluate import truth
from advisor.model import Facts
from advisor.load.rules import load_rules

from conftest import CASES, write_rules
from random_cases import random_case

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


def _fired(report):
    return [a.rule for a in report.advice]


def test_no_fact_of_one_case_reaches_another(advisor):
    overdue = load_case(CASES / "overdue_shortfall.yaml")
    due_soon = load_case(CASES / "due_soon_shortfall.yaml")
    alone = advisor.advise(due_soon)
    advisor.advise(overdue)  # a case whose facts would match joins with the next one's
    after = advisor.advise(due_soon)
    assert after == alone
    assert "timing.overdue_contact_now" not in _fired(after)


def test_sessions_are_deleted_so_many_evaluations_run(advisor):
    case = load_case(CASES / "due_soon_shortfall.yaml")
    first = advisor.advise(case)
    for _ in range(1100):  # more than durable's 1,024 live sessions
        advisor.evaluate(case)
    assert advisor.advise(case) == first


def test_an_exception_inside_an_action_is_an_error(ruleset, monkeypatch):
    from advisor.engine import durable as engine_module

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    broken = Advisor.build(ruleset, Engine())
    monkeypatch.setattr(engine_module, "Firing", fail)  # makes every action fail
    with pytest.raises(EngineError) as info:
        broken.advise(load_case(CASES / "due_soon_shortfall.yaml"))
    assert "a rule action failed" in info.value.render()


def test_negated_derived_fact_waits_for_its_derivation(tmp_path):
    # `late` is derived at a higher pri than `early` is tested: durable alone would fire `early`.
    folder = write_rules(tmp_path, """
rules:
  - id: t.early
    title: 早
    sources: ["1"]
    when: monthly_due > 0 and not late
    priority: high
    advice: 不应出现
  - id: t.step
    title: 中
    sources: ["1"]
    when: monthly_due > 0
    derive: middle
  - id: t.late
    title: 晚
    sources: ["1"]
    when: middle
    derive: late
    priority: low
    advice: 出现
""")
    advisor = Advisor.build(load_rules(folder))
    case_file = tmp_path / "c.yaml"
    case_file.write_text("as_of: 2026-11-28\nloans:\n  - {monthly_payment: 10}\n", encoding="utf-8")
    assert _fired(advisor.advise(load_case(case_file))) == ["t.late"]


def test_no_loan_is_not_true_when_loans_are_unknown(tmp_path):
    folder = write_rules(tmp_path, """
rules:
  - id: t.none_overdue
    title: 无逾期
    sources: ["2.1"]
    when: no loan.overdue_days > 0
    priority: low
    advice: 没有逾期
""")
    advisor = Advisor.build(load_rules(folder))
    texts = {
        "as_of: 2026-11-28\n": False,                                         # loans unknown
        "as_of: 2026-11-28\nloans:\n  - {balance: 1}\n": False,               # overdue_days unknown
        "as_of: 2026-11-28\nloans:\n  - {overdue_days: 0}\n": True,
        "as_of: 2026-11-28\nloans:\n  - {overdue_days: 0}\n  - {overdue_days: 2}\n": False,
        "as_of: 2026-11-28\nloans: []\n": True,
    }
    for i, (text, expected) in enumerate(texts.items()):
        path = tmp_path / f"c{i}.yaml"
        path.write_text(text, encoding="utf-8")
        assert bool(_fired(advisor.advise(load_case(path)))) is expected, text


def test_worst_case_many_rules_matching_one_fact(tmp_path):
    """200 rules whose first test all match one case fact: grouping keeps durable below error 303."""
    body = "rules:\n" + "".join(
        f"  - id: t.r{i}\n    title: 规则{i}\n    sources: [\"1\"]\n    when: monthly_due >= {i}\n"
        f"    priority: low\n    advice: 第{i}条\n" for i in range(200))
    advisor = Advisor.build(load_rules(write_rules(tmp_path, body)))
    assert advisor.compiled.groups == 200 // GROUP_SIZE
    path = tmp_path / "c.yaml"
    path.write_text("as_of: 2026-11-28\nloans:\n  - {monthly_payment: 100000}\n", encoding="utf-8")
    report = advisor.advise(load_case(path))
    assert len(report.advice) == 200
    assert len(advisor.advise(load_case(path)).advice) == 200  # the session was cleaned up


def test_compiled_patterns_never_compare_two_facts(ruleset):
    compiled = compile_ruleset(ruleset)
    for name, rule in compiled.definition.items():
        for pattern in rule["all"]:
            (alias, body), = pattern.items()
            text = repr(body)
            for other in ("'c'", "'l0'", "'l1'", "'d0'", "'p'"):
                assert f"{{{other}:" not in text, f"{name} compares with another fact: {text}"


def test_durable_and_reference_evaluator_agree(advisor, ruleset, tmp_path):
    """For every shipped and 300 random cases, durable fires exactly the rules the reference says."""
    rng = random.Random(20261128)
    cases = [load_case(p) for p in sorted(CASES.glob("*.yaml"))]
    cases += [random_case(rng, tmp_path, n) for n in range(300)]
    for case in cases:
        facts, firings = advisor.evaluate(case)
        fired = {f.rule for f in firings}
        expected = {r.id for r in ruleset.rules if truth(r.condition, facts) is True}
        assert fired == expected, (case.name, fired ^ expected)


def test_output_is_deterministic(advisor):
    case = load_case(CASES / "due_soon_shortfall.yaml")
    reports = [advisor.advise(case) for _ in range(5)]
    assert all(r == reports[0] for r in reports)


def test_facts_that_match_no_complete_rule_do_not_crash_session_cleanup(tmp_path):
    """Regression: with a never-firing catch-all, delete_state segfaulted on such facts."""
    folder = write_rules(tmp_path, """
rules:
  - id: t.join
    title: 连接
    sources: ["2.1"]
    when: monthly_due > 0 and any loan.overdue_days > 0 and no loan.balance > 100000
    priority: low
    advice: 测试
""")
    advisor = Advisor.build(load_rules(folder))
    texts = ["as_of: 2026-11-28\n", "as_of: 2026-11-28\nloans:\n  - {balance: 1}\n",
             "as_of: 2026-11-28\nloans:\n  - {overdue_days: 0, monthly_payment: 5}\n  - {overdue_days: 2}\n"]
    cases = []
    for i, text in enumerate(texts):
        path = tmp_path / f"c{i}.yaml"
        path.write_text(text, encoding="utf-8")
        cases.append(load_case(path))
    for _ in range(300):
        for case in cases:
            assert advisor.advise(case).advice == ()


def test_a_durable_build_without_the_313_fix_is_explained(monkeypatch):
    import builtins

    from advisor.engine import durable as engine_module

    real_import = builtins.__import__

    def broken(name, *args, **kwargs):
        if name.startswith("durable"):
            raise ImportError("durable_rules_engine.so: undefined symbol: PyEval_CallObject")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", broken)
    with pytest.raises(EngineError) as info:
        engine_module.Engine()
    text = info.value.render()
    assert "Python 3.13" in text and "CPPFLAGS" in text and "scripts/install" in text
    assert info.value.exit_code == 5


def test_declared_precedence_moves_a_rule_up_and_nothing_else():
    from advisor.model import Rule, Text
    from advisor.ranking import rank

    def rule(rid, priority, order, outranks=()):
        return Rule(rid, Text("t", "t"), ("2.1",), "", None, (), priority, Text("a", "a"), None, "f", order,
                    tuple(outranks))

    a, b, c = rule("a", "urgent", 0), rule("b", "high", 1), rule("c", "low", 2, outranks=["a"])
    assert [r.id for r in rank([a, b, c])] == ["c", "a", "b"]
    assert [r.id for r in rank([b, c])] == ["b", "c"]        # the outranked rule did not fire: no effect


def test_ranking_places_each_rule_after_the_rules_that_outrank_it_as_the_definition_says():
    """rank() against its definition, on random acyclic precedence: in sort order, just before a rule is
    placed, every rule that outranks it is placed (looked for among all the rules, in sort order)."""
    import random

    from advisor.model import PRIORITIES, Rule, Text
    from advisor.ranking import rank, sort_key

    def definition(rules):
        ordered, out, placed = sorted(rules, key=sort_key), [], set()

        def place(rule):
            if rule.id not in placed:
                placed.add(rule.id)
                for other in ordered:
                    if rule.id in other.outranks:
                        place(other)
                out.append(rule)
        for rule in ordered:
            place(rule)
        return out

    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 14)
        ids = [f"r{i}" for i in range(n)]
        rules = [Rule(rid, Text("t", "t"), (rng.choice(["1.1", "2.1", "3.2", "6.1"]),), "", None, (),
                      rng.choice(PRIORITIES), Text("a", "a"), None, "f", rng.randint(0, 5),
                      tuple(rng.sample(ids[i + 1:], rng.randint(0, min(3, n - i - 1)))))   # outranks later: acyclic
                 for i, rid in enumerate(ids)]
        rng.shuffle(rules)
        assert [r.id for r in rank(rules)] == [r.id for r in definition(rules)]


def test_engine_and_reference_disagreement_is_an_error_not_advice(tmp_path):
    """If durable fired a rule the reference does not (here: the compiled rules are stale), no advice."""
    import dataclasses

    from advisor.errors import EngineError

    rule = """rules:
  - id: t.due
    title: t
    sources: ["1"]
    when: monthly_due > {}
    priority: normal
    advice: a
"""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    stale = Advisor.build(load_rules(write_rules(tmp_path / "a", rule.format(0))))
    current = load_rules(write_rules(tmp_path / "b", rule.format("100")))
    from advisor.engine.agreement import Reference

    mixed = dataclasses.replace(stale, ruleset=current, reference=Reference.of(current))
    path = tmp_path / "case.yaml"
    path.write_text("as_of: 2026-11-28\nloans:\n  - {monthly_payment: 50}\n", encoding="utf-8")
    with pytest.raises(EngineError) as info:
        mixed.advise(load_case(path))
    assert info.value.diagnostics[0].code == "X007" and "t.due" in info.value.diagnostics[0].message
    assert stale.advise(load_case(path)).advice[0].rule == "t.due"   # the consistent pair still works


def test_compiled_closures_mean_exactly_what_the_reference_evaluator_means(ruleset, tmp_path):
    from advisor.expr import closure
    from advisor.engine.facts import case_fact, loan_facts
    from advisor.engine.facts import engine_value

    rng = random.Random(11)
    compiled = {r.id: closure.truth(r.condition) for r in ruleset.rules}
    cases = [load_case(p) for p in sorted(CASES.glob("*.yaml"))] + [random_case(rng, tmp_path, n)
                                                                   for n in range(200)]
    for case in cases:
        base = Facts(case_fact(case, ruleset.params), tuple(loan_facts(case, ruleset.params)),
                     frozenset(), {n: engine_value(p.value) for n, p in ruleset.params.items() if not p.dated},
                     case.loans is not None)
        every = frozenset(name for r in ruleset.rules for name in r.derive)
        half = frozenset(sorted(every)[::2])
        for derived, maybe in ((frozenset(), frozenset()), (every, frozenset()), (frozenset(), every),
                               (half, every - half)):
            facts = Facts(base.case, base.loans, derived, base.params, base.loans_known, maybe=maybe)
            for rule in ruleset.rules:
                assert compiled[rule.id](facts, None) == truth(rule.condition, facts), (case.name, rule.id)
