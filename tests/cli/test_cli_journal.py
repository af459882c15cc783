"""advisor journal (the timeline, --evidence, add) and advisor calendar (issue 17)."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import icalendar

from advisor.cli import main

from conftest import CASES, RULES

NIGHTS = str(CASES / "journal_night_calls_week.yaml")


def test_journal_lists_each_lenders_entries_with_their_lines(runner):
    result = runner.invoke(main, ["journal", str(CASES / "journal_refused_then_adjusted.yaml"), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2] == "== 甲平台 =="
    assert lines[5].startswith("  2026-11-21  答复：拒绝 · 理由 每月金额太低") and lines[5].endswith(
        "[" + str(CASES / "journal_refused_then_adjusted.yaml") + ":42]")
    assert "乙小贷" not in result.output                    # a lender without entries has no timeline


def test_the_evidence_list_has_one_row_per_incident_and_counts_the_nights(runner):
    result = runner.invoke(main, ["journal", NIGHTS, "--evidence", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 7
    assert rows[0] == "| 1 | 2026-11-21 | 22:47 | 某网贷平台 | 电话 · 夜间 | 自称法务部 136****2201 | 不还就通知你单位 | 通话录音 |"
    assert "| 联系第三方 |" in rows[4] and "夜间" not in rows[4]
    assert "其中夜间（22:00–8:00）5 次。" in result.output and "12378" in result.output


def test_the_json_report_carries_the_entries_and_the_evidence_list(runner):
    result = runner.invoke(main, ["run", NIGHTS, "--format", "json", "--rules", str(RULES)])
    doc = json.loads(result.output)
    assert len(doc["journal"]["entries"]) == 7 and doc["journal"]["entries"][0]["time"] == "22:47"
    assert doc["journal"]["evidence"][6] == {
        "date": "2026-11-27", "time": "00:12", "lender": "某网贷平台", "kind": "message", "who": "106****8890",
        "said": "称“明天上门”", "evidence": "短信截图", "night": True, "line": 31}
    plain = json.loads(runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml"), "--format", "json",
                                            "--rules", str(RULES)]).output)
    assert "journal" not in plain                             # a case without a journal: the document as before


def test_add_appends_an_entry_and_the_advice_follows(runner, tmp_path):
    case = tmp_path / "case.yaml"
    shutil.copy(CASES / "journal_refused_then_adjusted.yaml", case)
    before = case.read_text(encoding="utf-8")
    result = runner.invoke(main, ["journal", str(case), "add", "--lender", "甲平台", "--kind", "约定",
                                  "--set", "monthly=922", "--set", "months=12", "--set", "first_due=2026-12-01",
                                  "--set", "written=否", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    assert "已在" in result.output and "2026-11-28" in result.output          # the date defaults to as_of
    after = case.read_text(encoding="utf-8")
    assert after.startswith(before.split("expect:")[0]) and after.endswith("expect:" + before.split("expect:")[1])
    run = json.loads(runner.invoke(main, ["run", str(case), "--format", "json", "--rules", str(RULES)]).output)
    rules = [a["rule"] for a in run["advice"]]
    assert "journal.confirm_oral_agreement" in rules and "journal.agreed_payment_soon" in rules
    assert "journal.adjust_after_refusal" not in rules


def test_add_refuses_a_bad_entry_and_writes_nothing(runner, tmp_path):
    case = tmp_path / "case.yaml"
    shutil.copy(CASES / "journal_refused_then_adjusted.yaml", case)
    before = case.read_bytes()
    result = runner.invoke(main, ["journal", str(case), "add", "--lender", "丙平台", "--kind", "contact"])
    assert result.exit_code == 3
    assert "没有写入" in result.output and "error[C053]" in result.output and "1 甲平台, 2 乙小贷" in result.output
    assert case.read_bytes() == before
    bad = runner.invoke(main, ["journal", str(case), "add", "--lender", "1", "--kind", "answer", "--set", "result"])
    assert bad.exit_code == 2 and case.read_bytes() == before
    missing = runner.invoke(main, ["journal", str(case), "add", "--kind", "contact"])
    assert missing.exit_code == 2 and case.read_bytes() == before


def _events(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [(e.get("dtstart").dt, str(e.get("categories").cats[0]), str(e.get("summary"))) for e in calendar.walk("VEVENT")]


def test_calendar_is_rfc_5545_with_agreed_payments_and_deadlines(runner, tmp_path):
    out = tmp_path / "plan.ics"
    result = runner.invoke(main, ["calendar", str(CASES / "journal_oral_agreement.yaml"), "--out", str(out),
                                  "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    events = _events(out)
    agreed = [day for day, kind, _ in events if kind == "AGREED-PAYMENT"]
    assert len(agreed) == 16 and agreed[0] == dt.date(2026, 12, 2) and agreed[-1] == dt.date(2028, 3, 2)
    assert (dt.date(2026, 12, 5), "DUE", "某消费金融 还款日（合同月供 980 元）") in events
    uids = [str(e.get("uid")) for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")]
    assert len(uids) == len(set(uids))                    # one event per date, never two with one UID
    settle = tmp_path / "settle.ics"
    runner.invoke(main, ["calendar", str(CASES / "journal_settlement_offer.yaml"), "--out", str(settle),
                         "--rules", str(RULES)])
    assert (dt.date(2026, 12, 5), "DEADLINE", "结清方案截止：某网贷 6,000 元") in _events(settle)


def test_calendar_has_the_limitation_date_to_check(runner, tmp_path):
    out = tmp_path / "old.ics"
    result = runner.invoke(main, ["calendar", str(CASES / "old_private_loans.yaml"), "--out", str(out), "--lang", "en",
                                  "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    checks = [(day, summary) for day, kind, summary in _events(out) if kind == "LIMITATION-CHECK"]
    assert checks and all(summary.startswith("check the limitation period: ") for _, summary in checks)
    assert icalendar.Calendar.from_ical(out.read_bytes()).get("prodid") == "-//advisor//action plan//EN"


def test_calendar_to_a_missing_folder_is_an_output_error(runner, tmp_path):
    result = runner.invoke(main, ["calendar", NIGHTS, "--out", str(tmp_path / "no" / "plan.ics")])
    assert result.exit_code == 7
