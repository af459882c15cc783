"""The action plan from the command line: advisor run CASE --format plan."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.cli import main

CASES = Path(__file__).resolve().parents[2] / "cases"


def test_plan_format_is_one_printable_page_without_engine_words(runner):
    result = runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml"), "--format", "plan"])
    assert result.exit_code == 0
    page = result.output
    assert "这周先做的三件事" in page and "@media print" in page and "<svg" in page
    rows = re.findall(r'data-sign="(-?\d)" data-amount="([\d.]+)"', page)
    total = sum(float(a) * {"1": 1, "-1": -1, "3": 1}.get(s, 0) for s, a in rows)
    assert abs(total - next(float(a) for s, a in rows if s == "2")) < 0.01
    assert "timing." not in page and "params" not in page and "fingerprint" not in page


def test_plan_format_without_a_budget_says_what_to_find_out(runner):
    result = runner.invoke(main, ["run", str(CASES / "missing_info.yaml"), "--format", "plan"])
    assert result.exit_code == 0 and "还算不出预算" in result.output and "收入" in result.output


SHIPPED = sorted(CASES.glob("*.yaml"))
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_three_things_are_distinct_dated_actions_for_every_shipped_case(advisor, ruleset, lang):
    from advisor.load.cases import load_case
    from advisor.knowledge.vocabulary import BY_NAME
    from advisor.web.plan import three_things

    engine_words = {r.id for r in ruleset.rules} | set(ruleset.params) | {n for n in BY_NAME if "." in n}
    for path in SHIPPED:
        report = advisor.advise(load_case(path), lang)
        items = three_things(report)
        whats = [what for _, what in items]
        assert len(items) == 3 and len(set(whats)) == 3, (path.name, items)
        titles = {a.title for a in report.advice}
        for when, what in items:
            assert DATE.search(when), (path.name, when)          # today, by a date, or this week (by a date)
            assert what not in titles and not any(t in what for t in titles if len(t) > 6), (path.name, what)
            words = set(re.findall(r"[a-z_]+(?:\.[a-z_]+)+|[a-z]+_[a-z_]+", what))
            assert not words & engine_words, (path.name, what)
            assert "loans[" not in what and "{" not in what, (path.name, what)


def test_three_things_for_due_soon_shortfall_call_each_lender_by_its_date(advisor):
    from advisor.load.cases import load_case
    from advisor.web.plan import three_things

    items = three_things(advisor.advise(load_case(CASES / "due_soon_shortfall.yaml"), "zh"))
    assert items[0][0] == "今天 2026-11-28" and "某消费金融" in items[0][1] and "每月 1,068 元" in items[0][1]
    assert items[1][1].startswith("把书面协商申请发给 某消费金融、某小贷")
    assert items[2] == ("2026-12-08 前", "打给 某小贷（App 内或合同上的官方客服电话），说明困难，提出每月 356 元（重新分期＋减免利息）")
    assert all("在还款日之前联系出借方" not in what for _, what in items)


def test_three_things_put_safety_first(advisor):
    from advisor.load.cases import load_case
    from advisor.web.plan import three_things

    items = three_things(advisor.advise(load_case(CASES / "many_loans_stuck.yaml"), "zh"))
    assert items[0] == ("今天 2026-11-28", "有人闯进家门或赖着不走：现在拨打 110 报警，不要开门放人进来")
