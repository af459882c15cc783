"""advisor lint: one fixture per warning, what the reasoning must not warn about, and the shipped knowledge."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from advisor.toolkit import lint as lint_module
from advisor.toolkit.analysis import conflict, implies
from advisor.expr.check import check
from advisor.expr.evaluate import truth
from advisor.model import Facts
from advisor.expr.literals import Reader
from advisor.expr.parser import parse
from advisor.toolkit.lint import CODES, lint

from conftest import CASES, FIXTURES, RULES
from words import assert_bilingual

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

HEADER = re.compile(r"^# expect: (\S+) (\d+):(\d+) (.*?)(?: \| (.*))?$")
LINT = FIXTURES / "lint"
ANALYSED = {"W101", "W102", "W103", "W104", "W105"}
MINIMAL_RULE = """rules:
  - id: t.minimal
    title: 测试
    title_en: Test
    sources: ["1"]
    when: monthly_shortfall > 0
    priority: low
    advice: 测试
    advice_en: Test
"""
MINIMAL_CASE = "as_of: 2026-11-28\nincome: {salary: 5000}\nexpenses: {living: 2000}\n"


def _header(path: Path) -> tuple[str, int, int, str, str]:
    match = HEADER.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} needs a '# expect: CODE line:col message | hint' header"
    return match[1], int(match[2]), int(match[3]), match[4], match[5] or ""


def _folder(tmp_path: Path, fixture: Path) -> tuple[Path, str]:
    """A rules folder: the shipped params.yaml and the fixture; a parameters fixture replaces params.yaml."""
    folder = tmp_path / "rules"
    folder.mkdir()
    if "\nparams:" in fixture.read_text(encoding="utf-8"):
        shutil.copy(fixture, folder / "params.yaml")
        (folder / "minimal.yaml").write_text(MINIMAL_RULE, encoding="utf-8")
        return folder, "params.yaml"
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    shutil.copy(fixture, folder / fixture.name)
    return folder, fixture.name


def _cases(tmp_path: Path, text: str = MINIMAL_CASE) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "one.yaml").write_text(text, encoding="utf-8")
    return folder


def _lint_rules(tmp_path: Path, body: str, codes: set[str] = ANALYSED) -> list:
    """Lint one rule file (with the shipped parameters); only the diagnostics with `codes`."""
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    (folder / "test.yaml").write_text(body, encoding="utf-8")
    found = lint(folder)
    assert not [d.render() for d in found if d.severity == "error"]
    return [d for d in found if d.code in codes]


def _rules(*rules: tuple[str, str, str]) -> str:
    """A rule file from (id, condition, conclusion) triples; conclusion: 'derive: [f]' or an advice text."""
    out = ["rules:"]
    for rule_id, when, conclusion in rules:
        out += [f"  - id: {rule_id}", "    title: 测试", "    title_en: Test", '    sources: ["1"]',
                "    when: >-", f"      {when}"]
        if conclusion.startswith("derive:"):
            out.append(f"    {conclusion}")
        else:
            out += ["    priority: low", f"    advice: {conclusion}", f"    advice_en: {conclusion}"]
    return "\n".join(out) + "\n"


# -- one fixture per warning -------------------------------------------------------------------------
@pytest.mark.parametrize("fixture", sorted(LINT.glob("*.yaml")), ids=lambda p: p.stem)
def test_lint_fixture_reports_code_place_and_hint(fixture, tmp_path):
    code, line, col, message, hint = _header(fixture)
    folder, file_name = _folder(tmp_path, fixture)
    found = lint(folder, _cases(tmp_path))
    matching = [d for d in found if d.code == code and d.location and d.location.file.endswith(file_name)]
    assert matching, f"expected {code}, got {[d.render() for d in found]}"
    diag = matching[0]
    assert (diag.location.line, diag.location.col) == (line, col), diag.render()
    assert message in diag.message, diag.render()
    assert hint in diag.hint, diag.render()
    assert diag.severity == "warning"
    rendered = diag.render()
    assert rendered.splitlines()[0].startswith(f"{diag.location.file}:{line}:{col}: warning[{code}]")
    assert "^" in rendered and "hint: " in rendered
    assert_bilingual(diag)
    assert all(d.location and d.location.source_line for d in found if d.severity == "warning")
    assert [d.sort_key() for d in found] == sorted(d.sort_key() for d in found)


def test_every_lint_code_has_a_fixture_and_a_line_in_the_table():
    covered = {_header(path)[0] for path in LINT.glob("*.yaml")}
    assert set(CODES) <= covered, f"codes without a fixture in {LINT}: {sorted(set(CODES) - covered)}"
    emitted = set(re.findall(r'"(W1\d\d)"', Path(lint_module.__file__).read_text(encoding="utf-8")))
    assert emitted == set(CODES)
    for code in CODES:
        assert re.search(rf"^{code}  ", lint_module.__doc__ or "", re.M), f"{code} is missing from the table"


# -- load errors and malformed cases -----------------------------------------------------------------
@pytest.mark.parametrize("fixture", sorted((FIXTURES / "bad_rules").glob("*.yaml")), ids=lambda p: p.stem)
def test_load_errors_come_back_as_errors(fixture, tmp_path):
    code, line, col, _, _ = _header(fixture)
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    shutil.copy(fixture, folder / fixture.name)
    found = lint(folder, CASES)
    assert any(d.code == code and (d.location.line, d.location.col) == (line, col) for d in found), found
    assert all(d.severity == "error" for d in found)


def test_a_malformed_case_is_an_error_and_the_others_still_count(tmp_path):
    cases = _cases(tmp_path, MINIMAL_CASE + "collection: {threats: true}\n")
    (cases / "bad.yaml").write_text("as_of: 2026-11-28\nincome: {salary: -1}\n", encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    shutil.copy(LINT / "no_case.yaml", folder / "no_case.yaml")
    found = lint(folder, cases)
    errors = [d for d in found if d.severity == "error"]
    assert [d.code for d in errors] == ["C021"] and errors[0].location.file.endswith("bad.yaml")
    assert not [d for d in found if d.code == "W108"]      # the good case fires t.untested


def test_a_missing_cases_folder_is_an_error(tmp_path):
    found = lint(RULES, tmp_path / "nowhere")
    assert [d.code for d in found if d.severity == "error"] == ["E001"]


# -- what the reasoning proves, and what it must not claim -------------------------------------------
@pytest.mark.parametrize("when", [
    "monthly_income > 5 and monthly_income <= 5",
    "monthly_income >= 5 and monthly_income <= 5 and monthly_income != 5",
    "monthly_income == 3 and monthly_income == 4",
    "not monthly_income > 0 and not monthly_income <= 0",       # unknown makes both false, not both true
    "known(monthly_income) and unknown(monthly_income)",
    "monthly_income > 0 and unknown(monthly_income)",
    "collection.threats and not collection.threats",
    "collection.threats == true and collection.threats != true",
    "negotiation.goal == 'pause' and negotiation.goal in ['installments', 'none']",
    "negotiation.goal != 'none'"
    " and negotiation.goal not in ['extend_term', 'installments', 'reduce_interest', 'pause']",
    "any (loan.lender_type == 'bank' and loan.lender_type == 'private')",
    "any (loan.overdue_days > 30 and loan.overdue_days < 10) or (monthly_due > 9 and monthly_due < 1)",
    "any loan.overdue_days > 3 and no loan.overdue_days > 0",
    "as_of > date(\"2026-01-01\") and as_of < date(\"2025-01-01\")",
    "monthly_due > monthly_income and monthly_due <= monthly_income",
    "monthly_due > monthly_income and monthly_income > monthly_due",
    "loan_count >= params.many_loans and loan_count < params.many_loans",
    "as_of <= params.credit_repair_deadline and as_of > params.credit_repair_deadline",
])
def test_a_condition_that_can_never_hold_is_reported(tmp_path, when):
    found = _lint_rules(tmp_path, _rules(("t.r", when, "测试")), {"W101"})
    assert [d.code for d in found] == ["W101"], when


@pytest.mark.parametrize("when", [
    "monthly_income >= 5 and monthly_income <= 5",                             # one value left
    "monthly_income != 5 and monthly_income >= 5",
    "monthly_income > 5 or monthly_income < 3",
    "any loan.overdue_days > 30 and any loan.overdue_days < 10",               # two different loans
    "any loan.overdue_days > 3 and no loan.balance > 0",
    "no loan.overdue_days > 0 and no loan.overdue_days <= 0",                 # no loans, or unknown days
    "any loan.overdue_days > 3 and no (loan.overdue_days > 0 and loan.balance > 0)",
    "monthly_due > monthly_income * 0.5 and monthly_due < monthly_income",      # arithmetic: not reasoned about
    "monthly_due > monthly_income + 1 and monthly_due < monthly_income - 1",    # (impossible, but not proved)
    "as_of > params.credit_repair_deadline and as_of < date(\"2025-01-01\")",    # dated: unknown at lint time
    "any (loan.annual_rate > params.lpr_1y * params.private_lending_lpr_multiple and loan.annual_rate < 0.05)",
    "any (loan.name != 'a' and loan.name != 'b')",
    "negotiation.goal != 'none' and negotiation.goal != 'pause'",
    "unknown(monthly_income) or monthly_income > 0",
    "collection.threats or not collection.threats",
])
def test_a_satisfiable_condition_is_not_reported(tmp_path, when):
    assert _lint_rules(tmp_path, _rules(("t.r", when, "测试"))) == [], when


def test_a_rule_needing_a_fact_only_itself_derives_never_fires(tmp_path):
    found = _lint_rules(tmp_path, _rules(("t.loop", "loop_fact and monthly_due > 0", "derive: [loop_fact]"),
                                         ("t.user", "loop_fact", "测试")), {"W101"})
    assert sorted(d.message.split("'")[1] for d in found) == ["t.loop", "t.user"]


def test_redundancy_needs_a_proof(tmp_path):
    body = _rules(
        ("t.a", "monthly_shortfall > 100", "derive: [gap]"),
        ("t.b", "monthly_shortfall > 50 and collection.threats", "derive: [gap]"),        # not implied: no
        ("t.c", "monthly_due > monthly_income * 0.6", "derive: [gap]"),
        ("t.d", "monthly_due > monthly_income * 0.5", "derive: [gap]"),                   # not proved: no
        ("t.e", "monthly_due > monthly_income * 0.5 and monthly_income > 10", "derive: [gap]"),   # same atom: yes
        ("t.f", "monthly_shortfall > 200", "其他建议"),                                     # other conclusion: no
        ("t.g", "no loan.overdue_days > 0", "derive: [gap]"),
        ("t.h", "no (loan.overdue_days > 0 and loan.balance > 0)", "derive: [gap]"),      # g implies h: g warns
        ("t.i", "gap", "测试"))
    found = _lint_rules(tmp_path, body, {"W102"})
    assert sorted((d.message.split("'")[1], d.message.split("'")[3]) for d in found) == [
        ("t.e", "t.d"), ("t.g", "t.h")]


def test_equivalent_rules_warn_once_on_the_later(tmp_path):
    body = _rules(("t.first", "monthly_shortfall > 0", "一样"), ("t.second", "0 < monthly_shortfall", "一样"))
    found = _lint_rules(tmp_path, body, {"W102"})
    assert [d.message.split("'")[1] for d in found] == ["t.second"]


def test_contradicting_rules_are_fine_when_exclusive_or_ranked(tmp_path):
    body = _rules(("t.a", "monthly_shortfall > 0", "甲"), ("t.b", "monthly_shortfall <= 0", "乙"),
                  ("t.c", "any loan.overdue_days > 0", "丙"), ("t.d", "no loan.overdue_days > 0", "丁"),
                  ("t.e", "collection.threats", "戊"), ("t.f", "situation.lawsuit", "己"))
    body = body.replace("    advice: 甲", "    contradicts: [t.b]\n    advice: 甲")
    body = body.replace("    advice: 丙", "    contradicts: [t.d]\n    advice: 丙")
    body = body.replace("    advice: 戊", "    contradicts: [t.f]\n    outranks: [t.f]\n    advice: 戊")
    assert _lint_rules(tmp_path, body, {"W103"}) == []


# -- soundness against the reference evaluator ---------------------------------------------------------
_ATOMS = st.sampled_from([
    "monthly_income > {n}", "monthly_income >= {n}", "monthly_income < {n}", "monthly_income <= {n}",
    "monthly_income == {n}", "monthly_income != {n}", "known(monthly_income)", "unknown(monthly_income)",
    "monthly_income > monthly_due", "monthly_due >= monthly_income",
    "negotiation.goal == 'pause'", "negotiation.goal in ['pause', 'none']", "negotiation.goal != 'none'",
    "collection.threats", "unknown(collection.threats)",
    "any loan.overdue_days > {n}", "any (loan.overdue_days <= {n} and loan.overdue_days > 1)",
    "no loan.overdue_days > {n}", "no loan.overdue_days < {n}"])


@st.composite
def _conditions(draw, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(_ATOMS).format(n=draw(st.integers(0, 4)))
    op = draw(st.sampled_from(["and", "or", "not"]))
    if op == "not":
        return f"not ({draw(_conditions(depth - 1))})"
    return f"({draw(_conditions(depth - 1))} {op} {draw(_conditions(depth - 1))})"


def _worlds():
    loans = [None, (), ({"overdue_days": 0},), ({"overdue_days": 2},), ({},),
             ({"overdue_days": 5}, {"overdue_days": 1})]
    for income in (None, 0, 1, 2, 2.5, 3, 4, 5):
        for due in (None, 2):
            for goal in (None, "pause", "none", "installments"):
                for threats in (None, True, False):
                    for group in loans:
                        case = {"monthly_income": income, "monthly_due": due, "negotiation__goal": goal,
                                "collection__threats": threats}
                        yield Facts({k: v for k, v in case.items() if v is not None}, group or (), frozenset(),
                                    {}, group is not None)


WORLDS = list(_worlds())


def _typed(text: str):
    tree, errors = check(parse(text), {}, set())
    assert not errors, (text, errors)
    return tree


@settings(max_examples=60, deadline=None)
@given(_conditions(), _conditions())
def test_what_the_analysis_proves_holds_in_every_world(first, second):
    a, b = _typed(first), _typed(second)
    reader = Reader({})
    alts_a, alts_b = reader.alternatives(a), reader.alternatives(b)
    live_a = [x for x in alts_a if conflict(x) is None]
    proves = all(any(implies(x, y) for y in alts_b) for x in live_a)
    exclusive = all(conflict(x + y) is not None for x in alts_a for y in alts_b)
    for world in WORLDS:
        if truth(a, world) is True:
            assert live_a, f"'{first}' was called impossible but holds in {world}"
            if proves:
                assert truth(b, world) is True, f"'{first}' was said to imply '{second}', not so in {world}"
            if exclusive:
                assert truth(b, world) is not True, f"'{first}' and '{second}' were said to exclude each other"


# -- the shipped knowledge -----------------------------------------------------------------------------
def test_lint_of_the_shipped_knowledge_has_no_errors():
    """(How long lint takes is measured by benchmarks/lint.py, not asserted here: a loaded machine is slow.)"""
    found = lint(RULES, CASES)
    print("\n" + "\n".join(d.render() for d in found))
    assert not [d for d in found if d.severity == "error"]


# -- W109: a topic cited only where its situation holds ----------------------------------------------
@pytest.mark.parametrize("when, topic, warned", [
    ("any (loan.lender_type == 'credit_card' and loan.overdue)", "R1", False),
    ("any (loan.lender_type in ['credit_card'] and loan.overdue_days > 30)", "R1", False),
    ("any (loan.lender_type in ['credit_card', 'bank'] and loan.overdue)", "R1", True),   # a bank loan too
    ("any loan.overdue", "R1", True),
    ("any (loan.overdue_days > 7 and loan.lender_type == 'microloan')", "R5", False),   # > 7 implies > 0
    ("any (loan.overdue_days >= 0 and loan.lender_type == 'microloan')", "R5", True),   # 0 days is not overdue
    ("any loan.overdue and any loan.lender_type == 'microloan'", "R5", True),            # maybe two loans
    ("collection.home_visit or collection.threatened_visit", "R6", False),
    ("collection.home_visit or collection.threats", "R6", True),                      # threats alone: no visit
    ("not collection.home_visit", "R6", True),
    ("derived_visit", "R6", False),                                                    # every deriver requires it
])
def test_topic_citation_requires_the_topics_situation(tmp_path, when, topic, warned):
    body = _rules(("t.visit", "collection.home_visit or collection.entered_home", "derive: [derived_visit]"),
                  ("t.cites", when, "一条建议。")).replace('sources: ["1"]', f'sources: ["{topic}"]')
    found = [d for d in _lint_rules(tmp_path, body, {"W109"}) if "t.cites" in d.message]
    assert bool(found) == warned, [d.render() for d in found]


def test_every_topic_situation_is_a_valid_condition():
    from advisor.load.rules import load_rules
    from advisor.toolkit.topics import SITUATIONS, situation
    ruleset = load_rules(RULES)
    assert set(SITUATIONS) == {"R1", "R2", "R3", "R4", "R5", "R6"}
    for topic in SITUATIONS:
        situation(topic, ruleset.params)
