"""The action plan as a PDF: advisor plan CASE --pdf OUT.pdf and the page's PDF download, printed by
Debian's headless chromium; read back with poppler's pdfinfo/pdftotext (.ci/run installs poppler-utils)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from advisor.cli import main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"
PAGES = 1               # the plan is one A4 page, for every shipped case


def pdf_text(path: Path) -> tuple[int, str]:
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                             text=True, check=True).stdout, re.M)[1])
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


@pytest.mark.slow
def test_plan_pdf_carries_the_budget_lines_and_the_offers(runner, tmp_path):
    out = tmp_path / "plan.pdf"
    result = runner.invoke(main, ["plan", str(CASES / "due_soon_shortfall.yaml"), "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"已写出 {out}\n" and out.read_bytes().startswith(b"%PDF-")     # the CLI's own line, Chinese
    pages, text = pdf_text(out)
    assert pages == PAGES
    flat = re.sub(r"\s+", " ", text)
    for line in ("每月收入合计 5,500 元", "− 必要开支 4,000 元", "− 备用金（应急用） 75 元", "= 每月可用于其他借款 1,425 元",
                 "其他借款按合同每月应还 3,150 元", "方案每月合计还款 1,424 元"):
        assert line in flat, line
    assert re.search(r"某消费金融 24,000 元 2,200 元 1,068 元 23 重新分期", flat)
    assert re.search(r"某小贷 8,000 元 950 元 356 元 23 重新分期 \+ 减免利息", flat)
    assert "这周先做的三件事" in flat and "打印" not in flat       # the print button is not printed


def _every_case_pdf(advisor, tmp: Path) -> dict[str, Path]:
    """Every shipped case printed with the project's own pdf.py, a few at a time (chromium is slow to start)."""
    from concurrent.futures import ThreadPoolExecutor

    from advisor.load.cases import load_case
    from advisor.web.pdf import html_to_pdf
    from advisor.web.plan import render

    pages = {path.stem: render(advisor.advise(load_case(path), "zh")) for path in sorted(CASES.glob("*.yaml"))}

    def one(item: tuple[str, str]) -> tuple[str, Path]:
        out = tmp / f"{item[0]}.pdf"
        html_to_pdf(item[1], out)
        return item[0], out

    with ThreadPoolExecutor(max_workers=6) as pool:
        return dict(pool.map(one, pages.items()))


@pytest.mark.slow
def test_every_shipped_case_prints_on_one_page_with_its_budget_and_offers(advisor, tmp_path):
    from advisor.load.cases import load_case
    from advisor.web.plan import context

    printed = _every_case_pdf(advisor, tmp_path)
    assert len(printed) == len(list(CASES.glob("*.yaml"))) >= 50
    for name, out in printed.items():
        pages, text = pdf_text(out)
        assert pages == PAGES, f"{name}: {pages} pages"
        flat = re.sub(r"\s+", "", text)
        plan = context(advisor.advise(load_case(CASES / f"{name}.yaml"), "zh"))
        for line in plan["statement"]:                               # every line of the budget, with its amount
            assert re.sub(r"\s+", "", line.words + line.shown) in flat, f"{name}: {line.words} {line.shown}"
        for offer in plan["offers"]:                                 # each lender's offer
            row = offer["name"] + offer["balance"] + offer["contractual"] + offer["offer"]
            assert re.sub(r"\s+", "", row) in flat, f"{name}: {row}"
        for when, what in plan["three"]:
            assert re.sub(r"\s+", "", when) in flat, f"{name}: {when}"
        for title, _ in plan["safety"]:
            assert re.sub(r"\s+", "", title) in flat, f"{name}: {title}"
        assert "这周先做的三件事" in flat and "打印" not in flat


def test_plan_pdf_without_chromium_is_a_clear_error(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CHROMIUM", "")
    out = tmp_path / "plan.pdf"
    result = runner.invoke(main, ["plan", str(CASES / "due_soon_shortfall.yaml"), "--pdf", str(out)])
    assert result.exit_code == 7 and not out.exists()
    assert "error[W002]" in result.output and "chromium" in result.output and "apt-get install chromium" in result.output
    assert "Traceback" not in result.output


def test_plan_without_pdf_prints_the_html_plan(runner):
    result = runner.invoke(main, ["plan", str(CASES / "due_soon_shortfall.yaml")])
    assert result.exit_code == 0 and result.output.startswith("<!doctype html>") and "这周先做的三件事" in result.output


@pytest.fixture
def client():
    from starlette.testclient import TestClient

    from advisor.web.app import create_app
    from advisor.web.service import Service

    with TestClient(create_app(Service(ROOT / "rules")), base_url="http://127.0.0.1") as test_client:
        yield test_client


FORM = {"lang": "zh", "as_of": "2026-11-28", "name": "测试", "income.salary": "5000", "expenses.living": "2000",
        "loans-0-name": "某消费金融", "loans-0-balance": "24000", "loans-0-monthly_payment": "2200",
        "loans-0-next_due": "2026-12-03", "loans-0-overdue_days": "0", "action": "pdf"}


@pytest.mark.slow
def test_page_pdf_download_is_the_action_plan(client, tmp_path):
    answer = client.post("/plan.pdf", data=FORM)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert "attachment" in answer.headers["content-disposition"] and ".pdf" in answer.headers["content-disposition"]
    out = tmp_path / "page.pdf"
    out.write_bytes(answer.content)
    pages, text = pdf_text(out)
    assert pages == PAGES and "我的还款行动计划" in text and "某消费金融" in text


def test_page_pdf_without_chromium_says_so_on_the_page(client, monkeypatch):
    monkeypatch.setenv("ADVISOR_CHROMIUM", "")
    answer = client.post("/plan.pdf", data=FORM)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "生成 PDF 没有成功" in answer.text and "chromium" in answer.text and "Traceback" not in answer.text
    assert 'id="pdf"' in answer.text                                  # the page, with its advice, is still there


@pytest.mark.slow
@pytest.mark.parametrize("name", ["many_loans_stuck", "village_committee", "lawsuit_large_debt"])
def test_the_english_plan_of_a_crowded_case_prints_on_one_page(advisor, tmp_path, name):
    """English runs longer than Chinese: many_loans_stuck printed on 2 pages in English until the crowded
    plan's safety items were cut to two sentences in English too (they were split at 。！？ only)."""
    from advisor.load.cases import load_case
    from advisor.web.pdf import html_to_pdf
    from advisor.web.plan import render

    out = tmp_path / f"{name}.pdf"
    html_to_pdf(render(advisor.advise(load_case(CASES / f"{name}.yaml"), "en")), out)
    pages, text = pdf_text(out)
    assert pages == PAGES, f"{name}: {pages} pages"
    assert "The three things to do this week" in text or "three things" in text.lower()
