"""The page in a real browser: Playwright driving Debian's chromium against `advisor serve` on 127.0.0.1.
Each test writes a screenshot under tests/artefacts/ for review. Every request the page makes is checked
to stay on the loopback server."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "tests" / "artefacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`advisor serve` itself, on a free loopback port; stopped when the module's tests are done."""
    port = _free_port()
    db = tmp_path_factory.mktemp("web") / "records.sqlite3"
    advisor = Path(sys.executable).parent / "advisor"
    proc = subprocess.Popen([str(advisor), "serve", "--port", str(port), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert f"http://127.0.0.1:{port}/" in line, line + proc.stderr.read()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True, locale="zh-CN")
    outside: list[str] = []

    def loopback_only(route):
        if route.request.url.startswith(server) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", loopback_only)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.dialogs = dialogs
    yield page
    context.close()
    assert outside == [], f"the page asked for something off the machine: {outside}"
    assert dialogs == [], f"a script ran: {dialogs}"


def shot(page, name: str, full: bool = True) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=full)


def fill_case(page) -> None:
    page.fill("#f-name", "小李")
    page.fill("#f-as_of", "2026-11-28")
    page.fill("#f-income_salary", "5000")
    page.fill("#f-expenses_living", "2000")
    page.fill("#f-expenses_rent", "1500")
    page.fill("#f-loans-0-name", "某消费金融")
    page.select_option("#f-loans-0-lender_type", "consumer_finance")
    page.fill("#f-loans-0-balance", "2.4万")
    page.fill("#f-loans-0-monthly_payment", "2200")
    page.fill("#f-loans-0-annual_rate", "18%")
    page.fill("#f-loans-0-next_due", "2026年12月3日")
    page.click("text=＋ 添加一笔借款")
    page.wait_for_selector("#f-loans-1-name")
    page.fill("#f-loans-1-name", "某小贷")
    page.fill("#f-loans-1-balance", "8000")
    page.fill("#f-loans-1-monthly_payment", "950")
    page.fill("#f-loans-1-next_due", "2026-12-15")


def test_browser_fill_a_case_from_scratch_and_get_advice(page):
    shot(page, "01-empty-form")
    fill_case(page)
    page.click("#advise")
    page.wait_for_selector("#results article.advice")
    titles = page.locator("article.advice h4").all_inner_texts()
    assert len(titles) >= 5 and titles[0].startswith("1. ")
    assert page.locator('section[data-priority="urgent"]').count() == 1
    page.locator("article.advice details summary").first.click()
    assert "表单：" in page.locator("article.advice details").first.inner_text()
    shot(page, "02-advice")


def test_browser_phone_sized_screen_and_keyboard(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    page.fill("#f-as_of", "2026-11-28")
    page.focus("#f-income_salary")
    page.keyboard.type("5000")
    page.keyboard.press("Enter")                        # Enter submits the advice, not "remove loan 1"
    page.wait_for_selector("#results")
    assert page.locator("#f-loans-0-name").count() == 1
    shot(page, "03-phone")
    context.close()


def test_browser_bad_amount_is_shown_next_to_its_field(page):
    page.fill("#f-as_of", "2026-11-28")
    page.fill("#f-income_salary", "五千左右")
    page.click("#advise")
    error = page.locator("#f-income_salary-e")
    error.wait_for()
    assert "五千左右" in error.inner_text()
    assert page.get_attribute("#f-income_salary", "aria-invalid") == "true"
    box, field = error.bounding_box(), page.locator("#f-income_salary").bounding_box()
    assert 0 <= box["y"] - field["y"] < 120 and abs(box["x"] - field["x"]) < 40      # right under the input
    error.scroll_into_view_if_needed()
    shot(page, "04-bad-amount", full=False)


def _run_json(case: Path) -> dict:
    out = subprocess.run([str(Path(sys.executable).parent / "advisor"), "run", str(case), "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _load(page, case: Path) -> None:
    page.set_input_files("#load-file", str(case))
    page.click("#load button[type=submit]")
    page.wait_for_selector("#results article.advice")


def test_browser_load_a_shipped_case_gives_the_same_advice_as_run(page):
    case = ROOT / "cases" / "village_committee.yaml"
    _load(page, case)
    expected = [(a["rule"], f"{a['rank']}. {a['title']}") for a in _run_json(case)["advice"]]
    articles = page.locator("article.advice")
    shown = [(articles.nth(i).get_attribute("data-rule"), articles.nth(i).locator("h4").inner_text())
             for i in range(articles.count())]
    assert shown == expected
    shot(page, "05-loaded-case")


def test_browser_download_a_letter(page, tmp_path):
    _load(page, ROOT / "cases" / "due_soon_shortfall.yaml")
    button = page.locator("button.letter").first
    with page.expect_download() as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert info.value.suggested_filename.startswith("01-") and "协商还款" in text and "某消费金融" in text


def test_browser_action_plan_sums_add_up(page):
    _load(page, ROOT / "cases" / "due_soon_shortfall.yaml")
    with page.context.expect_page() as info:
        page.click("text=打开一页行动计划（可打印）")
    plan = info.value
    plan.wait_for_load_state()
    assert plan.locator("h2#three").inner_text() == "这周先做的三件事"
    assert plan.locator("ol.three li").count() == 3
    rows = plan.locator("table.statement tr[data-sign]")
    signed = [(int(rows.nth(i).get_attribute("data-sign")), float(rows.nth(i).get_attribute("data-amount")))
              for i in range(rows.count())]
    start = sum(a for s, a in signed if s == 1) - sum(a for s, a in signed if s == -1)
    gap = sum(a for s, a in signed if s == 3)
    available = next(a for s, a in signed if s == 2)
    assert abs(start + gap - available) < 0.01, signed
    text = plan.inner_text("body")
    assert not re.search(r"\b[a-z]+\.[a-z_]+\b", text), "a rule id or parameter name reached the plan"
    for word in ("fingerprint", "规则", "durable", "params", "sha256"):
        assert word not in text
    shot(plan, "06-action-plan")
    plan.emulate_media(media="print")
    shot(plan, "07-action-plan-print")


def test_browser_injection_shows_as_text(page):
    fill_case(page)
    name = "<script>alert(1)</script>{{7*7}}\x1b[31m红"
    page.fill("#f-loans-1-name", name)
    page.click("#advise")
    page.wait_for_selector("#results article.advice")
    legend = page.locator("#loan-1 legend").inner_text()
    assert "<script>alert(1)</script>{{7*7}}\\x1b[31m红" in legend
    assert page.locator("script:not([src])").count() == 0
    with page.context.expect_page() as info:
        page.click("text=打开一页行动计划（可打印）")
    plan = info.value
    plan.wait_for_load_state()
    assert "<script>alert(1)</script>{{7*7}}" in plan.inner_text("body")
    shot(page, "08-injection")


def test_browser_journal_timeline_and_a_new_entry_updates_the_advice(page):
    """Issue 17: a case with a journal shows each lender's timeline; logging an agreement made by phone
    adds it to the timeline and the advice turns to "get it in writing" and the payment reminder."""
    _load(page, ROOT / "cases" / "journal_refused_then_adjusted.yaml")
    timeline = page.locator('section.timeline[data-lender="甲平台"] li')
    assert timeline.count() == 4
    assert "还价" in timeline.nth(3).inner_text()
    rules = page.locator("article.advice").evaluate_all("els => els.map(e => e.dataset.rule)")
    assert "journal.adjust_after_refusal" in rules and "journal.confirm_oral_agreement" not in rules
    shot(page, "09-journal-before")
    page.fill("#entry-date", "2026-11-27")
    page.select_option("#entry-lender", "1")
    page.select_option("#entry-kind", "agreement")
    page.fill("#entry-more", "monthly: 922\nmonths: 12\nfirst_due: 2026-12-01\nwritten: 否")
    page.click("#add-entry")
    page.wait_for_selector('section.timeline[data-lender="甲平台"] li:nth-child(5)')
    assert "约定" in page.locator('section.timeline[data-lender="甲平台"] li').nth(4).inner_text()
    assert page.locator("p.message").inner_text() == "已加入日志，建议已更新。"
    rules = page.locator("article.advice").evaluate_all("els => els.map(e => e.dataset.rule)")
    assert "journal.confirm_oral_agreement" in rules and "journal.agreed_payment_soon" in rules
    assert "journal.adjust_after_refusal" not in rules          # the refusal was followed by an agreement
    page.locator("#journal").screenshot(path=str(ARTEFACTS / "10-journal-after.png"))
    shot(page, "11-journal-advice")
    page.fill("#entry-more", "result: maybe")                   # a bad entry: refused, the journal unchanged
    page.select_option("#entry-kind", "answer")
    page.click("#add-entry")
    page.wait_for_selector("p.message:has-text('这一条没有加入日志')")
    assert "maybe" in page.locator("p.message").inner_text()
    assert page.locator('section.timeline[data-lender="甲平台"] li').count() == 5
