"""The true-cost chart: each loan's true annual cost against 24%, 36% and 4 × LPR on its contract date."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"


def twelve_loans() -> str:
    text = ("name: 十二笔借款\nas_of: 2026-11-28\nincome: {salary: 9000}\nexpenses: {living: 2500, rent: 1500}\n"
            "loans:\n")
    for i in range(1, 13):
        cash = i * 1000 + 2000
        text += (f"  - name: 平台{i}\n    lender_type: microloan\n    balance: {cash}\n    principal: {cash}\n"
                 f"    installments: 12\n    monthly_payment: {cash // 12 + i * 25 + 40}\n"
                 f"    next_due: 2026-12-{i + 2:02d}\n    overdue_days: 0\n    contract_date: 2021-{i % 9 + 1:02d}-15\n")
    return text


def test_true_cost_chart_of_twelve_loans_labels_each_with_a_fill_of_its_own(advisor):
    from advisor.load.cases import load_case_text
    from advisor.render.plan import costs
    from advisor.web.charts import true_cost

    report = advisor.advise(load_case_text(twelve_loans(), "twelve.yaml"), "zh")
    svg = str(true_cost(report))
    names = re.findall(r'<text class="name"[^>]*><title>([^<]*)</title>', svg)
    assert names == [f"平台{i}" for i in range(1, 13)]
    fills = re.findall(r'<rect class="bar"[^>]* fill="([^"]+)"', svg)
    assert len(fills) == 12 and len(set(fills)) == 12
    for fill in fills:                                     # every hatched fill is defined
        if fill.startswith("url(#"):
            assert f'<pattern id="{fill[5:-1]}"' in svg
    rates = re.findall(r'<text class="rate"[^>]*>([\d.]+%)</text>', svg)
    expected = [f"{c['apr']['nominal'] * 100:.1f}%".replace(".0%", "%") for c in costs(report)]
    assert rates == expected
    assert re.findall(r'<text class="owed"[^>]*>([^<]+)</text>', svg) == [f"{i * 1000 + 2000:,} 元" for i in range(1, 13)]
    assert re.findall(r'<text class="ref"[^>]*>([^<]+)</text>', svg) == ["24%", "36%"]
    assert re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', svg) == ["0%", "10%", "20%", "30%", "40%", "50%", "60%"]
    assert "真实年化成本（%）" in svg and "欠款（元）" in svg
    # 4 × the LPR in force on each contract date: 2021 had 3.85% (to 2021-12-19), so 15.4% for every loan
    assert re.findall(r'<line class="lpr"[^>]*><title>4 倍 LPR ([\d.]+%)</title>', svg) == ["15.4%"] * 12


def test_true_cost_chart_escapes_names_and_says_when_a_cost_cannot_be_told(advisor):
    from advisor.load.cases import load_case_text
    from advisor.web.charts import true_cost

    text = (CASES / "three_loans_plan.yaml").read_text(encoding="utf-8").replace("name: 某小贷", 'name: "<i>小贷</i>"', 1)
    svg = str(true_cost(advisor.advise(load_case_text(text, "x.yaml"), "zh")))
    assert "&lt;i&gt;小贷&lt;/i&gt;" in svg and "<i>" not in svg
    assert svg.count('class="bar"') == 2                    # the credit card's true cost cannot be worked out
    assert "某银行信用卡</title>某银行信用卡</text><text class=\"rate\"" in svg and "算不出（缺少到手金额、期数或月供）" in svg


def test_true_cost_chart_is_on_the_page_and_in_the_plan(runner):
    from advisor.cli import main

    plan = runner.invoke(main, ["plan", str(CASES / "private_loan_rates.yaml")]).output
    assert 'class="chart true-cost"' in plan and "每笔借款的真实成本" in plan
    none = runner.invoke(main, ["plan", str(CASES / "missing_info.yaml")]).output
    assert "true-cost" not in none                         # no loan's cost can be worked out: no chart


def test_the_budget_charts_gap_label_never_sits_on_the_contracts_label(advisor):
    """A small gap put 缺口 285 元 over 合同每月应还 1,710 元 at the printed chart's right edge (seen in the
    action plan of journal_refused_then_adjusted); the gap's label keeps a line of type below it."""
    from advisor.load.cases import load_case
    from advisor.web.charts import COMPACT, FULL, waterfall

    checked = 0
    for path in sorted(CASES.glob("*.yaml")):
        report = advisor.advise(load_case(path), "zh")
        for compact, g in ((True, COMPACT), (False, FULL)):
            svg = str(waterfall(report, compact))
            due = re.search(r'y="([\d.]+)"[^>]*>合同每月应还 ', svg)
            gap = re.search(r'y="([\d.]+)"[^>]*>缺口 ', svg)
            if due and gap:
                assert float(gap[1]) - float(due[1]) >= g["axis"], (path.stem, compact)
                checked += 1
    assert checked >= 10
