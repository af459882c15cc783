"""The plan's dates: the calendar months on the page and in the plan, and the .ics file (RFC 5545)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.cli import main

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"

EXPECTED = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//advisor//action plan//ZH
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:还款行动日历
BEGIN:VEVENT
UID:12e485802aa2f4c4b2b2cb2a-call-1@advisor.local
DTSTAMP:20261128T000000Z
DTSTART;VALUE=DATE:20261128
DTEND;VALUE=DATE:20261129
SUMMARY:最晚今天联系 某消费金融
DESCRIPTION:用 App 内或合同上的官方客服电话联系 某消费金
 融，说明困难，提出每月 1\\,068 元，并要求书面确认。
CATEGORIES:CALL
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:2da0ac5e2d3426eacc1f809e-due-1@advisor.local
DTSTAMP:20261128T000000Z
DTSTART;VALUE=DATE:20261203
DTEND;VALUE=DATE:20261204
SUMMARY:某消费金融 还款日（合同月供 2\\,200 元）
DESCRIPTION:按合同这天要还 某消费金融。还不上的话，在
 这之前联系对方协商，不要失联。
CATEGORIES:DUE
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:aaaa2c273ea7709c43705fae-call-2@advisor.local
DTSTAMP:20261128T000000Z
DTSTART;VALUE=DATE:20261208
DTEND;VALUE=DATE:20261209
SUMMARY:最晚今天联系 某小贷
DESCRIPTION:用 App 内或合同上的官方客服电话联系 某小贷，
 说明困难，提出每月 356 元，并要求书面确认。
CATEGORIES:CALL
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:6a155cf5144ed3f83fb78e83-due-2@advisor.local
DTSTAMP:20261128T000000Z
DTSTART;VALUE=DATE:20261215
DTEND;VALUE=DATE:20261216
SUMMARY:某小贷 还款日（合同月供 950 元）
DESCRIPTION:按合同这天要还 某小贷。还不上的话，在这之
 前联系对方协商，不要失联。
CATEGORIES:DUE
TRANSP:TRANSPARENT
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


def test_ics_of_due_soon_shortfall_is_exactly_this(runner, tmp_path):
    out = tmp_path / "plan.ics"
    result = runner.invoke(main, ["plan", str(CASES / "due_soon_shortfall.yaml"), "--ics", str(out)])
    assert result.exit_code == 0 and result.output == f"wrote {out}\n"
    data = out.read_bytes()
    assert data.decode("utf-8") == EXPECTED
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))          # folded at 75 octets
    assert b"\n" not in data.replace(b"\r\n", b"")                        # CRLF only


def test_ics_is_the_same_on_every_download_and_escapes_text(advisor, tmp_path):
    from advisor.load.cases import load_case_text
    from advisor.web.dates import _fold, ics

    text = (CASES / "due_soon_shortfall.yaml").read_text(encoding="utf-8")
    text = text.replace("name: 某小贷", 'name: "A;B,C\\\\D"')
    first = ics(advisor.advise(load_case_text(text, "x.yaml"), "zh"))
    again = ics(advisor.advise(load_case_text(text, "x.yaml"), "zh"))
    assert first == again
    assert "SUMMARY:最晚今天联系 A\\;B\\,C\\\\D\r\n" in first
    assert _fold("DESCRIPTION:" + "a\\nb" * 30).count("\r\n ") == 1
    uids = re.findall(r"^UID:(.*)\r$", first, re.M)
    assert len(uids) == len(set(uids)) == 4


def test_en_ics_is_in_english(advisor):
    from advisor.load.cases import load_case
    from advisor.web.dates import ics

    out = ics(advisor.advise(load_case(CASES / "due_soon_shortfall.yaml"), "en"))
    assert "SUMMARY:call 某消费金融 today at the latest\r\n" in out and "PRODID:-//advisor//action plan//EN" in out


def test_calendar_months_mark_the_dates(advisor):
    from advisor.load.cases import load_case
    from advisor.web.dates import grid

    page = str(grid(advisor.advise(load_case(CASES / "due_soon_shortfall.yaml"), "zh")))   # the page's calendar
    assert re.findall(r'data-month="([\d-]+)"', page) == ["2026-11", "2026-12"]
    assert re.search(r'<td class="call" data-date="2026-11-28"><span class="d">28</span> <span class="today">今天</span>'
                     r'<span class="ev call">最晚联系 某消费金融</span></td>', page)
    assert '<td class="due" data-date="2026-12-03"><span class="d">3</span><span class="ev due">还款日 某消费金融</span>' in page
    assert '<td class="call" data-date="2026-12-08">' in page and '<td class="due" data-date="2026-12-15">' in page


def test_plan_calendar_is_the_weeks_from_today_to_the_last_date(runner):
    plan = runner.invoke(main, ["plan", str(CASES / "due_soon_shortfall.yaml")]).output
    assert "<caption>2026 年 11 月 23 日 至 12 月 20 日</caption>" in plan           # four weeks, Monday first
    days = re.findall(r'data-date="([\d-]+)"', plan)
    assert days[0] == "2026-11-23" and days[-1] == "2026-12-20" and len(days) == 28
    assert '<td class="past" data-date="2026-11-27"><span class="d">27</span></td>' in plan
    assert re.search(r'<td class="call" data-date="2026-11-28"><span class="d">28</span> <span class="today">今天</span>'
                     r'<span class="ev call">某消费金融</span></td>', plan)
    assert '<td class="due" data-date="2026-12-03"><span class="d">3</span><span class="ev due">某消费金融</span>' in plan
    assert '<span class="d">12 月 1 日</span>' in plan and "红底：最晚联系日" in plan


@pytest.fixture
def client():
    from starlette.testclient import TestClient

    from advisor.web.app import create_app
    from advisor.web.service import Service

    with TestClient(create_app(Service(ROOT / "rules")), base_url="http://127.0.0.1") as test_client:
        yield test_client


FORM = {"lang": "zh", "as_of": "2026-11-28", "name": "测试", "income.salary": "5000", "expenses.living": "2000",
        "loans-0-name": "<b>某消费金融</b>", "loans-0-balance": "24000", "loans-0-monthly_payment": "2200",
        "loans-0-next_due": "2026-12-03", "loans-0-overdue_days": "0"}


def test_page_shows_the_calendar_escaped_and_downloads_the_ics(client):
    page = client.post("/", data={**FORM, "action": "advise"}).text
    assert 'data-month="2026-11"' in page and 'id="ics"' in page
    assert "还款日 &lt;b&gt;某消费金融&lt;/b&gt;" in page and "<b>某消费金融</b>" not in page
    answer = client.post("/calendar.ics", data={**FORM, "action": "ics"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert answer.text.startswith("BEGIN:VCALENDAR\r\n") and "DTSTART;VALUE=DATE:20261203\r\n" in answer.text
    assert answer.text == client.post("/calendar.ics", data={**FORM, "action": "ics"}).text
