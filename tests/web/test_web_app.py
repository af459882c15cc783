"""The web app without a browser (Starlette's TestClient): the page, the downloads, the record, the API,
and every error path answered as a page or as JSON data, never a traceback."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from advisor.load.cases import load_case_text
from advisor.render import json as render_json

from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"


@pytest.fixture(scope="module")
def service():
    from advisor.web.service import Service

    return Service(ROOT / "rules")


@pytest.fixture
def client(service, tmp_path):
    """The app over the shipped rules, its records in a fresh database."""
    from starlette.testclient import TestClient

    from advisor.web.app import create_app

    service.db = tmp_path / "records.sqlite3"
    with TestClient(create_app(service), base_url="http://127.0.0.1") as test_client:
        yield test_client
    service.db = None


def case_text(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")

BASE = {"lang": "zh", "as_of": "2026-11-28", "name": "测试", "income.salary": "5000", "expenses.living": "2000",
        "expenses.rent": "1500", "loans-0-name": "某消费金融", "loans-0-balance": "2.4万",
        "loans-0-monthly_payment": "2200", "loans-0-next_due": "2026-12-03", "loans-0-overdue_days": "0",
        "loans-1-name": "某小贷", "loans-1-balance": "8000", "loans-1-monthly_payment": "950",
        "loans-1-next_due": "2026-12-15", "action": "advise"}


def advise_page(client, **changes):
    data = {**BASE, **changes}
    return client.post("/", data={k: v for k, v in data.items() if v is not None})


def test_app_page_is_chinese_and_loads_nothing_from_elsewhere(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "借款人" in page.text and "每月收入" in page.text and "工资收入" in page.text
    assert '<script src="/static/htmx.min.js"' in page.text
    assert not re.search(r'(src|href|action)="(https?:)?//', page.text)
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and "Zero-Clause BSD" in htmx.text and "htmx" in htmx.text


def test_app_advice_grouped_by_priority_with_why_trees_in_the_page_words(client):
    page = advise_page(client)
    assert page.status_code == 200
    ranks = [int(r) for r in re.findall(r'class="advice" data-rank="(\d+)"', page.text)]
    assert ranks == sorted(ranks) and ranks
    assert 'data-priority="urgent"' in page.text
    assert "表单：每月收入·工资收入" in page.text            # an origin names the input, not a file line
    assert "网页表单:" not in page.text
    assert "− 必要开支" in page.text and "= 每月可用于其他借款" in page.text


def test_app_bad_amount_is_shown_next_to_its_field(client):
    page = advise_page(client, **{"income.salary": "五千块左右"})
    assert page.status_code == 200
    error = re.search(r'<div id="f-income_salary-e" class="error" role="alert">(.*?)</div>', page.text, re.S)
    assert error and "五千块左右" in error.group(1)
    assert 'id="f-income_salary"' in page.text and "aria-invalid=true" in page.text
    assert 'class="advice"' not in page.text


def test_app_loan_error_names_the_row(client):
    page = advise_page(client, **{"loans-1-next_due": "2026-02-30"})
    # the page's language (Chinese here), whatever ADVISOR_LANG says
    assert re.search(r'id="f-loans-1-next_due-e"[^>]*>.*?不是一个真实存在的日期', page.text, re.S)
    assert "第 2 笔借款（某小贷）·下一个还款日" in page.text


def test_app_missing_date_is_shown_at_the_date(client):
    page = advise_page(client, as_of="")
    assert 'id="f-as_of-e"' in page.text and "as_of" in page.text


def test_app_add_and_remove_loan_rows(client):
    added = client.post("/", data={**BASE, "action": "add_loan"})
    assert 'id="loan-2"' in added.text and 'class="advice"' not in added.text
    removed = client.post("/", data={**BASE, "action": "remove-0"})
    assert 'id="loan-1"' not in removed.text and 'value="某小贷"' in removed.text


def test_app_ask_next_first_and_answerable_in_place(client):
    incomplete = advise_page(client, **{"income.salary": None, "loans-1-monthly_payment": None})
    assert incomplete.text.index('id="ask"') < incomplete.text.index('id="borrower"')
    assert 'name="ask:income.salary"' in incomplete.text
    answered = advise_page(client, **{"income.salary": None, "ask:income.salary": "5000"})
    assert 'value="5000"' in answered.text and 'name="ask:income.salary"' not in answered.text


def test_app_english(client):
    page = advise_page(client, switch_lang="en")
    assert "Monthly income" in page.text and 'lang="en"' in page.text and "Get advice" in page.text


def test_app_load_a_case_gives_the_same_advice_as_run(client, advisor):
    text = case_text("due_soon_shortfall.yaml")
    page = client.post("/load", data={"lang": "zh"}, files={"file": ("due.yaml", text.encode())})
    expected = [a.rule for a in advisor.advise(load_case_text(text, "x")).advice]
    assert re.findall(r'data-rule="([^"]+)"', page.text) == expected


def test_app_load_a_broken_file_shows_its_lines(client):
    page = client.post("/load", data={"lang": "zh"}, files={"file": ("bad.yaml", b"as_of: [2026\n")})
    assert page.status_code == 200 and "class=\"problems\"" in page.text
    page = client.post("/load", data={"lang": "zh"}, files={"file": ("bad.yaml", b"\xff\xfe\x00bad")})
    assert page.status_code == 200 and "UTF-8" in page.text
    empty = client.post("/load", data={"lang": "zh"}, files={"file": ("none.yaml", b"")})
    assert empty.status_code == 200


def test_app_load_keeps_unknown_fields_as_a_problem(client):
    text = "as_of: 2026-11-28\nincome: {salry: 5000}\n"
    page = client.post("/load", data={"lang": "zh"}, files={"file": ("t.yaml", text.encode())})
    assert "salry" in page.text and "2:" in page.text


def test_app_letter_download(client):
    response = client.post("/letter", data={**BASE, "loan": "1"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "02-" in response.headers["content-disposition"]
    assert "某小贷" in response.text and "协商" in response.text
    phone = client.post("/letter", data={**BASE, "phone": "0"})
    from urllib.parse import quote
    assert phone.status_code == 200 and quote("电话协商话术") in phone.headers["content-disposition"]


def test_app_letter_for_no_offer_is_a_message(client):
    response = client.post("/letter", data={**BASE, "loan": "7"})
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]


def test_app_case_yaml_keeps_comments_when_unchanged(client):
    from advisor.web.form import from_yaml

    text = case_text("due_soon_shortfall.yaml")
    form, _ = from_yaml(text)
    fields = {**form.values, "original": text, "lang": "zh"}
    fields.update({f"loans-{i}-{k}": v for i, row in enumerate(form.loans) for k, v in row.items()})
    same = client.post("/case.yaml", data=fields)
    assert same.text == text and "# A borrower whose next payment" in same.text
    changed = client.post("/case.yaml", data={**fields, "income.salary": "6000"})
    assert "salary: 6000" in changed.text and load_case_text(changed.text, "x").values["income.salary"] == 6000


def test_app_record_goes_to_the_same_store_as_run_record(client, service):
    page = client.post("/record", data=BASE)
    assert "已记录，编号 #1" in page.text
    with sqlite3.connect(service.db) as db:
        name, case = db.execute("select case_name, case_text from records").fetchone()
    assert name == "测试" and "salary: 5000" in case


def test_app_record_refused_is_a_message(client, service, tmp_path):
    service.db = tmp_path                              # a folder: the database cannot open
    page = client.post("/record", data=BASE)
    assert page.status_code == 200 and "R00" in page.text


def test_app_action_plan(client):
    plan = client.post("/plan", data=BASE)
    assert plan.status_code == 200 and "这周先做的三件事" in plan.text and "@media print" in plan.text
    bad = client.post("/plan", data={**BASE, "income.salary": "abc"})
    assert 'id="f-income_salary-e"' in bad.text


def test_app_injection_is_text_on_the_page_plan_and_letter(client):
    name = "<script>alert(1)</script>{{7*7}}\x1b[31m"
    data = {**BASE, "loans-1-name": name}
    for response in (client.post("/", data=data), client.post("/plan", data=data)):
        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}\\x1b[31m" in response.text
        assert "\x1b" not in response.text
    letter = client.post("/letter", data={**data, "loan": "1"})
    assert "{{7*7}}" in letter.text and "\x1b" not in letter.text


def test_app_internal_error_is_a_plain_page(client, service, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "advise_form", broken)
    page = client.post("/", data=BASE)
    assert page.status_code == 500 and "internal error: RuntimeError: boom" in page.text
    assert "Traceback" not in page.text and "<html" in page.text


def test_app_not_found_is_a_page(client):
    page = client.get("/nothing")
    assert page.status_code == 404 and "没有这个页面" in page.text


# -- POST /api/advise ---------------------------------------------------------------------------
def test_api_yaml_in_json_report_out(client, advisor):
    text = case_text("due_soon_shortfall.yaml")
    response = client.post("/api/advise", content=text.encode())
    assert response.status_code == 200
    expected = render_json.document(advisor.advise(load_case_text(text, "case"), explain=True))
    assert response.json() == json.loads(json.dumps(expected, ensure_ascii=False))


def test_api_json_in(client):
    case = {"as_of": "2026-11-28", "income": {"salary": 5000}, "loans": [{"name": "甲", "balance": "1万"}]}
    response = client.post("/api/advise?lang=en", json=case)
    assert response.status_code == 200 and response.json()["lang"] == "en"
    assert response.json()["summary"]["total_balance"] == 10000


def test_api_case_errors_are_data_with_line_and_column(client):
    response = client.post("/api/advise", content="as_of: 2026-11-28\nincome: {salary: abc}\n".encode())
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["code"], error["line"], error["col"]) == ("C021", 2, 18) and error["hint"]


def test_api_every_error_path(client):
    assert client.post("/api/advise", content=b"").status_code == 422
    assert client.post("/api/advise", content=b"as_of: [\n").status_code == 422
    assert client.post("/api/advise", content=b"- a list\n").status_code == 422
    not_utf8 = client.post("/api/advise", content=b"\xff\xfe\xfa")
    assert not_utf8.status_code == 400 and not_utf8.json()["errors"][0]["code"] == "Y000"
    lang = client.post("/api/advise?lang=fr", content=b"as_of: 2026-11-28\n")
    assert lang.status_code == 400 and "lang" in lang.json()["errors"][0]["message"]
    big = client.post("/api/advise", content=b"#" * (10 * 1024 * 1024))
    assert big.status_code == 413 and big.json()["errors"][0]["code"] == "Y000"
    get = client.get("/api/advise")
    assert get.status_code == 405 and get.json()["errors"]
    assert client.post("/api/nothing").json()["errors"][0]["code"] == "A404"


def test_api_internal_error_is_data(client, service, monkeypatch):
    monkeypatch.setattr(service, "advise_text", lambda *a, **k: 1 / 0)
    response = client.post("/api/advise", content=b"as_of: 2026-11-28\n")
    assert response.status_code == 500 and response.json()["errors"][0]["code"] == "X000"


def _journal_fields(text: str) -> dict[str, str]:
    from advisor.web.form import from_yaml

    form, _ = from_yaml(text)
    fields = {"lang": "zh", "journal": form.journal, **form.values}
    for i, row in enumerate(form.loans):
        fields.update({f"loans-{i}-{k}": v for k, v in row.items()})
    return fields


def test_the_journal_travels_with_the_form_and_gives_the_evidence_list(client):
    """Issue 17: the page's journal lines are the file's; the evidence list downloads as Markdown."""
    fields = _journal_fields((CASES / "journal_night_calls_week.yaml").read_text(encoding="utf-8"))
    page = client.post("/", data={**fields, "action": "advise"})
    assert page.status_code == 200 and page.text.count('<li class="entry incident">') == 7
    assert 'data-rule="journal.night_calls_logged"' in page.text
    download = client.post("/evidence.md", data=fields)
    assert download.headers["content-type"].startswith("text/markdown")
    rows = [line for line in download.text.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 7 and "| 00:12 |" in rows[6]


def test_a_bad_entry_from_the_page_is_not_logged_and_the_page_says_why(client):
    fields = _journal_fields((CASES / "journal_oral_agreement.yaml").read_text(encoding="utf-8"))
    bad = client.post("/", data={**fields, "action": "add_entry", "entry-date": "2026-11-27", "entry-lender": "1",
                                 "entry-kind": "payment", "entry-more": "status: 也许"})
    assert "这一条没有加入日志" in bad.text and "也许" in bad.text
    assert bad.text.count('<li class="entry ') == 3                       # the journal as it was
    good = client.post("/", data={**fields, "action": "add_entry", "entry-date": "2026-11-27", "entry-lender": "1",
                                  "entry-kind": "payment", "entry-more": "status: 已还\namount: 600\ndue: 2026-12-02"})
    assert "已加入日志，建议已更新。" in good.text and good.text.count('<li class="entry ') == 4
    assert 'data-rule="journal.agreed_payment_soon"' not in good.text     # the 12-02 payment is made


def test_app_why_trees_name_rules_by_their_titles_not_their_ids(client):
    """The page is the borrower's and counsellor's view: rule ids stay in `explain` and the JSON."""
    from advisor.load.rules import load_rules
    from conftest import RULES

    from html.parser import HTMLParser

    class Text(HTMLParser):          # what a reader sees: the text, not the tags' attributes
        def __init__(self):
            super().__init__()
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    page = advise_page(client)
    assert page.status_code == 200 and "协商还款是主要出路" in page.text
    reader = Text()
    reader.feed(page.text)
    seen = " ".join(reader.parts)
    ids = [rule.id for rule in load_rules(RULES).rules]
    shown = [rid for rid in ids if re.search(rf"(?<![\w.]){re.escape(rid)}(?![\w.])", seen)]
    assert not shown, shown
    assert "按原合同每月还不上" in seen and "←" not in seen
    engine_words = [seen[max(0, m.start() - 40):m.end() + 10] for m in re.finditer(
        r"(?<![\w.\-])(?:[a-z][a-z0-9]*_[a-z0-9_]+|params\.\w+|as_of)(?![\w\-])", seen)]
    assert not engine_words, engine_words        # derived facts, parameters: in the page's own words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_cases_why_trees_on_the_page_carry_no_engine_words(advisor, lang):
    """Derived facts by the title of the rule that derives them, parameters by their value, choices by
    their words (web/plain.py), for every shipped case."""
    from advisor.load.cases import load_case
    from advisor.web import view
    from advisor.web.plain import Plain

    # (a case file's own name in an origin is left: the page reads its case from the form, not a file)
    pattern = re.compile(r"(?<![\w.\-/])(?:[a-z][a-z0-9]*_[a-z0-9_]+|params\.\w+|as_of|loan\[)(?![\w\-.])")
    found = []

    def walk(step):
        found.extend(pattern.findall(step.text) + pattern.findall(step.origin))
        for child in step.children:
            walk(child)

    for path in sorted(CASES.glob("*.yaml")):
        case = load_case(path)
        report = advisor.advise(case, lang, explain=True)
        relabel = view.Relabel({}, lang, [loan.name for loan in case.loans or []], Plain(report, lang))
        for _, _, items in view.advice_groups(report, relabel):
            for item in items:
                walk(item.tree)
        for item in view.findings(report, relabel):
            walk(item.tree)
    assert not found, sorted(set(found))[:20]


def test_every_choice_the_page_offers_has_words_in_both_languages():
    """A select shows the reader's words for each value, never the case file's value (web/words.py)."""
    from advisor.web.form import case_inputs, loan_inputs
    from advisor.web.words import CHOICES

    inputs = [i for section in case_inputs().values() for i in section] + loan_inputs(0)
    enums = [i.fact for i in inputs if i.kind == "enum"]
    assert len(enums) > 5
    missing = [(f.name, v) for f in enums for v in f.values if v not in CHOICES.get(f.name, {})]
    assert not missing, missing


def test_the_pages_calendar_is_the_cases_calendar_with_the_journals_dates(client, advisor):
    """The page's download carries what `advisor calendar` writes: the agreed payments and the deadlines of
    the journal too, not only the plan's dates (noted at an earlier stop)."""
    from advisor.web.calendar import calendar_ics

    text = (CASES / "journal_settlement_offer.yaml").read_text(encoding="utf-8")
    answer = client.post("/calendar.ics", data={**_journal_fields(text), "action": "ics"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert "CATEGORIES:DEADLINE" in answer.text
    from advisor.load.cases import load_case_text
    from advisor.web.form import DISPLAY

    expected = calendar_ics(advisor.advise(load_case_text(text, DISPLAY), "zh", explain=True))
    assert [line for line in answer.text.splitlines() if line.startswith(("SUMMARY", "DTSTART", "CATEGORIES"))] == [
        line for line in expected.splitlines() if line.startswith(("SUMMARY", "DTSTART", "CATEGORIES"))]
