"""Hostile input found by search: any YAML, text or bytes is a case or a case error, any rule file is rules
or a rule error, and advice does not depend on the order of loans or rule files."""
from __future__ import annotations

import dataclasses
import random
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from advisor.advise import Advisor
from advisor.load.cases import BLOCKS, LOAN_FIELDS, TOP_KEYS, load_case
from advisor.engine.compiler import compile_ruleset
from advisor.errors import CaseError, RuleError
from advisor.model import PRIORITIES, Case
from advisor.ranking import rank
from advisor.load.folder import rule_files
from advisor.load.rules import RULE_KEYS, load_rules
from advisor.knowledge.sections import FLOW

from conftest import CASES, RULES
from random_cases import loans_case
from hostile import _assert_clear, _dump, _write


# --- properties ------------------------------------------------------------------------------------------

_TRICKY = ["5万", "１２０００", "¥12,000", "1.2万元", "3千", "NaN", "Infinity", "-.inf", "1e300", "0x10", "017",
           "1:30", "2026年2月30日", "2026-02-30", "2026-11-28", "未知", "?", "18%", "１８％", "是", "否", "bank",
           "银行", "", " ", "{loans}", "*a", "&a", "!!python/name:os.system", "\u2028", "\x00", "9" * 5000]
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10 ** 25), 10 ** 25), st.floats(), st.dates(),
                     st.text(max_size=12), st.sampled_from(_TRICKY))
_FIELDS = sorted({*TOP_KEYS, *(f for fields in BLOCKS.values() for f in fields), *LOAN_FIELDS, *RULE_KEYS})
_KEYS = st.one_of(st.sampled_from(_FIELDS), st.text(max_size=6))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(_KEYS, inner, max_size=5)), max_leaves=20)


def _block(fields) -> st.SearchStrategy:
    return st.one_of(st.dictionaries(st.one_of(st.sampled_from(sorted(fields)), _KEYS), _VALUES, max_size=6), _VALUES)


_CASES = st.one_of(_VALUES, st.fixed_dictionaries({}, optional={
    "as_of": st.one_of(st.dates(), _SCALARS), "name": _SCALARS, "loans": st.one_of(st.lists(_block(LOAN_FIELDS),
                                                                                            max_size=4), _VALUES),
    "expect": _VALUES, **{block: _block(fields) for block, fields in BLOCKS.items()}}))
_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])


def _case_or_case_error(advisor, path: Path) -> None:
    """load_case returns a Case or raises CaseError with clear diagnostics; a Case is then advised."""
    try:
        case = load_case(path)
    except CaseError as exc:
        assert exc.diagnostics
        for diag in exc.diagnostics:
            _assert_clear(diag)
        return
    assert isinstance(case, Case)
    advisor.advise(case)  # a case that loads is advised without error (and durable agrees with the reference)


@_PROPERTY
@given(document=_CASES)
def test_property_any_yaml_is_a_case_or_a_case_error(advisor, tmp_path, document):
    _case_or_case_error(advisor, _write(tmp_path, _dump(document)))


@_PROPERTY
@given(data=st.one_of(st.text(max_size=200).map(lambda t: t.encode("utf-8")), st.binary(max_size=200)))
@example(data=b"\xff\xfe" + "as_of: 2026-11-28".encode("utf-16-le"))
@example(data="as_of: 2026-11-28\nloans: [{balance: 5万}]\n".encode("gbk"))
def test_property_any_text_or_bytes_is_a_case_or_a_case_error(advisor, tmp_path, data):
    _case_or_case_error(advisor, _write(tmp_path, data))


_COMPARISONS = ["monthly_due > 0", "loan.balance >= 5000", "monthly_income < params.high_rate_line",
                "loan.lender_type in ['bank', 'private']", "unknown(monthly_income)", "needs_negotiation", "f1",
                "loan.overdue_days > 0", "loan.next_due - as_of <= 7", "monthly_due > 100 / 0", "x > 1"]
_CONDITIONS = st.one_of(
    st.lists(st.tuples(st.sampled_from(["", "not ", "any ", "no ", "any not "]), st.sampled_from(_COMPARISONS),
                       st.sampled_from([" and ", " or "])), min_size=1, max_size=6).map(
        lambda parts: "".join(a + b + c for a, b, c in parts)[:-4].strip()),
    st.lists(st.sampled_from(["and", "or", "not", "any", "no", "in", "(", ")", "[", "]", ",", ">", "==", "=", "-",
                              "/", "0", "24%", "'bank'", "true", "known(", "date(\"2020-02-30\")", "≥", "（",
                              "monthly_due", "loan.balance", "params.high_rate_line", *_COMPARISONS]),
             max_size=20).map(" ".join),
    _SCALARS)
_RULE = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.sampled_from(["t.a", "t.b", "t-c", "bad id"]), _SCALARS),
    "title": st.one_of(st.just("标题"), _SCALARS), "sources": st.one_of(st.lists(st.sampled_from(
        ["1", "2.1", "R1", "9.9", 1]), max_size=3), _SCALARS),
    "when": _CONDITIONS, "derive": st.one_of(st.sampled_from(["f1", "needs_negotiation", "monthly_due", "and"]),
                                             st.lists(st.sampled_from(["f1", "f2", "1x"]), max_size=2), _SCALARS),
    "priority": st.one_of(st.sampled_from([*PRIORITIES, "bogus"]), _SCALARS),
    "advice": st.one_of(st.sampled_from(["{loans}：{loan.balance}", "{monthly_due}", "{x", "{{literal}}",
                                         "{loan.balance / 0}", "{params.nope}"]), _SCALARS),
    "outranks": st.one_of(st.sampled_from(["t.a", "t.b"]), _VALUES), "contradicts": _VALUES, "bogus": _VALUES})
_RULE_FILES = st.one_of(_VALUES, st.fixed_dictionaries(
    {"rules": st.one_of(st.lists(_RULE, max_size=4), _VALUES)}, optional={"topic": _SCALARS}))


@_PROPERTY
@given(document=_RULE_FILES)
@example(document={"rules": [{"id": "t.a", "title": "a", "sources": ["1"], "when": "monthly_due > 0",
                              "priority": "low", "advice": "x"}]})
def test_property_any_rule_file_is_rules_or_a_rule_error(tmp_path, document):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    _write(folder, _dump(document), "t.yaml")
    try:
        compile_ruleset(load_rules(folder))  # the compiler's engine limits raise RuleError too
    except RuleError as exc:
        assert exc.diagnostics
        for diag in exc.diagnostics:
            _assert_clear(diag)


def _permuted_case(rng: random.Random, order: list[int]) -> tuple[str, str]:
    """The same case twice, the loans in file order and permuted; each loan named, so names travel."""
    lines = loans_case(rng, len(order)).splitlines()
    start = lines.index("loans:") + 1
    head, loans = lines[:start], lines[start:]
    return "\n".join(head + loans) + "\n", "\n".join(head + [loans[k] for k in order]) + "\n"


def _by_name(report) -> dict:
    """What must not depend on the order of the loans, with loans named rather than numbered."""
    names = {loan.index: loan.name for loan in report.trace.case.loans or ()}
    firings = Counter((f.rule, f.branch, tuple(sorted(loan["name"] for loan in f.loans))) for f in report.firings)
    unknown = {re.sub(r"loans\[(\d+)\]", lambda m: f"loans[{names[int(m[1])]}]", u) for u in report.unknown}
    return {"fired": {f.rule for f in report.firings}, "derived": report.derived, "summary": report.summary,
            "ranking": [a.rule for a in report.advice], "firings": firings, "unknown": unknown,
            "because": {a.rule: set(a.because) for a in report.advice}}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32), data=st.data())
def test_property_advice_does_not_depend_on_the_order_of_loans(advisor, seed, data):
    """The fired rules, derived facts, summary figures, ranking and explanations are equal; an advice text is
    equal too, except that a rule that matched several loans may list them (and their figures) in the new
    order: then it has the same characters (names, figures, words), because placeholders list matched loans
    in file order and nothing else about the text depends on it."""
    rng = random.Random(seed)
    order = data.draw(st.permutations(list(range(rng.randint(2, 7)))))
    original, permuted = _permuted_case(rng, order)
    with tempfile.TemporaryDirectory() as folder:
        first = advisor.advise(load_case(_write(Path(folder), original, "a.yaml"), "case.yaml"))
        second = advisor.advise(load_case(_write(Path(folder), permuted, "b.yaml"), "case.yaml"))
    assert _by_name(first) == _by_name(second)
    matched = Counter(f.rule for f in first.firings for _ in f.loans)
    for one, two in zip(first.advice, second.advice, strict=True):
        assert one.text == two.text or (matched[one.rule] >= 2 and Counter(one.text) == Counter(two.text)), \
            (one.rule, one.text, two.text)


_BASELINE: dict[str, object] = {}


def _flow_key(rule) -> tuple[int, int]:
    """The part of ranking.sort_key that does not depend on where a rule is written."""
    return PRIORITIES.index(rule.priority or "low"), min(FLOW[s] for s in rule.sources)


@settings(max_examples=5, deadline=None)
@given(order=st.permutations(list(range(len(rule_files(RULES))))))
@example(order=list(reversed(range(len(rule_files(RULES))))))
def test_property_advice_does_not_depend_on_the_order_of_rule_files(advisor, order):
    """Renamed so they load in another order, the rule files give the same firings, figures and advice
    texts. The ranking promises (ranking.sort_key): priority, then the article's flow, then the order the
    rules are written in, then the id, with declared `outranks` honoured. So the order may change only
    through rule.order: ranking the new run's advice with the old rule order gives the old order exactly,
    and within the new run, neighbours of equal priority and flow appear in the new load order."""
    files = rule_files(RULES)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(RULES / "params.yaml", folder / "params.yaml")
        for position, index in enumerate(order):
            shutil.copy(files[index], folder / f"{position:02d}_{files[index].name}")
        renamed = Advisor.build(load_rules(folder))
    old_order = {r.id: r.order for r in advisor.ruleset.rules}
    for path in sorted(CASES.glob("*.yaml")):
        case = load_case(path)
        before = _BASELINE.setdefault(path.name, advisor.advise(case))
        after = renamed.advise(case)
        assert {f.rule for f in after.firings} == {f.rule for f in before.firings}, path.name
        assert (after.derived, after.summary, after.unknown) == (before.derived, before.summary, before.unknown)
        assert {a.rule: (a.text, a.because) for a in after.advice} == {a.rule: (a.text, a.because)
                                                                       for a in before.advice}
        rules = [renamed.ruleset.rule(a.rule) for a in after.advice]
        assert [r.id for r in rank(rules)] == [a.rule for a in after.advice]
        restored = [dataclasses.replace(r, order=old_order[r.id]) for r in rules]
        assert [r.id for r in rank(restored)] == [a.rule for a in before.advice], path.name
        pulled = {t for r in rules for t in r.outranks} | {r.id for r in rules if r.outranks}
        for one, two in zip(rules, rules[1:], strict=False):
            if _flow_key(one) == _flow_key(two) and not {one.id, two.id} & pulled:
                assert one.order < two.order, (path.name, one.id, two.id)
