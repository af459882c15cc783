"""Journal facts (issue 17): what the rules read from the journal, each worked out by hand."""
from __future__ import annotations

import datetime as dt

from advisor.knowledge.journal import add_months, at_night, journal_facts, journal_origins
from advisor.load.cases import load_case_text

HEAD = """as_of: 2026-12-08
loans:
  - {name: 甲平台, balance: 12000, monthly_payment: 1400}
  - {name: 乙小贷, balance: 5000, monthly_payment: 500}
journal:
"""


def facts(entries: str) -> dict:
    return journal_facts(load_case_text(HEAD + entries, "j.yaml"))


def test_no_journal_no_facts():
    assert journal_facts(load_case_text(HEAD.replace("journal:\n", ""), "j.yaml")) == {}


def test_the_same_proposal_refused_twice_by_one_lender():
    f = facts("""  - {date: 2026-11-01, lender: 1, kind: proposal, monthly: 900, months: 12}
  - {date: 2026-11-02, lender: 1, kind: answer, result: refused, reason: 太低}
  - {date: 2026-11-05, lender: 1, kind: proposal, monthly: 900, months: 12}
  - {date: 2026-11-06, lender: 1, kind: answer, result: refused}
""")
    assert f["journal.refused_same_twice"] is True
    assert (f["journal.refused_lender"], f["journal.refused_date"], f["journal.refused_monthly"],
            f["journal.refused_months"]) == ("甲平台", dt.date(2026, 11, 6), 900, 12)
    assert "journal.refused_reason" not in f                 # the last refusal gave none


def test_a_changed_proposal_or_another_lender_is_not_the_same_refused_twice():
    f = facts("""  - {date: 2026-11-01, lender: 1, kind: proposal, monthly: 900, months: 12}
  - {date: 2026-11-02, lender: 1, kind: answer, result: refused}
  - {date: 2026-11-03, lender: 2, kind: proposal, monthly: 900, months: 12}
  - {date: 2026-11-04, lender: 2, kind: answer, result: refused}
  - {date: 2026-11-05, lender: 1, kind: proposal, monthly: 800, months: 14}
  - {date: 2026-11-06, lender: 1, kind: answer, result: refused}
""")
    assert f["journal.refused_same_twice"] is False and f["journal.refused_monthly"] == 800


def test_a_refusal_followed_by_an_agreement_is_no_longer_open():
    f = facts("""  - {date: 2026-11-01, lender: 1, kind: proposal, monthly: 900, months: 12}
  - {date: 2026-11-02, lender: 1, kind: answer, result: refused}
  - {date: 2026-11-04, lender: 1, kind: agreement, monthly: 700, months: 18, first_due: 2026-11-10, written: true}
""")
    assert "journal.refused_lender" not in f
    assert (f["journal.accepted_lender"], f["journal.accepted_monthly"]) == ("甲平台", 700)
    assert f["journal.agreement_unwritten"] is False


def test_the_next_agreed_payment_skips_those_logged_as_made_and_a_missed_one_counts():
    f = facts("""  - {date: 2026-10-20, lender: 2, kind: agreement, monthly: 400, months: 3, first_due: 2026-11-30, written: 否}
  - {date: 2026-12-01, lender: 2, kind: payment, status: 未还, due: 2026-11-30}
""")
    # as_of 12-08: 11-30 is past (missed), next 12-30 (22 days), the last 2027-01-30
    assert (f["journal.next_payment_date"], f["journal.days_to_agreed_payment"]) == (dt.date(2026, 12, 30), 22)
    assert f["journal.next_payment_amount"] == 400
    assert f["journal.missed_payment"] is True and f["journal.missed_due"] == dt.date(2026, 11, 30)
    assert f["journal.agreement_unwritten"] is True and f["journal.agreement_lender"] == "乙小贷"
    made = facts("""  - {date: 2026-10-20, lender: 2, kind: agreement, monthly: 400, months: 3, first_due: 2026-12-08, written: 是}
  - {date: 2026-12-01, lender: 2, kind: payment, status: missed, due: 2026-11-30}
  - {date: 2026-12-08, lender: 2, kind: payment, status: made, due: 2026-12-08}
""")
    assert made["journal.next_payment_date"] == dt.date(2027, 1, 8)   # the 12-08 one is paid
    assert made["journal.missed_payment"] is True                     # 11-30 is not made up


def test_night_calls_are_counted_from_22_00_to_08_00():
    f = facts("""  - {date: 2026-12-01, lender: 1, kind: incident, type: call, time: "21:59"}
  - {date: 2026-12-02, lender: 1, kind: incident, type: call, time: "22:00"}
  - {date: 2026-12-03, lender: 1, kind: incident, type: 短信, time: "07:59"}
  - {date: 2026-12-04, lender: 1, kind: incident, type: call, time: "8:00"}
  - {date: 2026-12-05, lender: 1, kind: incident, type: visit, time: "23:30"}
  - {date: 2026-12-06, lender: 1, kind: incident, type: call}
""")
    assert (f["journal.night_calls"], f["journal.incidents"]) == (2, 6)
    assert (f["journal.night_first"], f["journal.night_last"]) == (dt.date(2026, 12, 2), dt.date(2026, 12, 3))


def test_a_promise_not_kept_needs_the_promise_and_a_later_incident():
    entries = """  - {date: 2026-11-06, lender: 1, kind: agreement, monthly: 1000, months: 24, written: true, promise: 停止罚息}
  - {date: 2026-12-07, lender: 1, kind: incident, type: 承诺未兑现, said: 账单仍有罚息}
"""
    f = facts(entries)
    assert (f["journal.promise_broken"], f["journal.promise"], f["journal.broken_date"]) == \
        (True, "停止罚息", dt.date(2026, 12, 7))
    assert facts(entries.replace(", promise: 停止罚息", ""))["journal.promise_broken"] is False
    assert facts(entries.replace("lender: 1, kind: incident", "lender: 2, kind: incident"))["journal.promise_broken"] \
        is False


def test_each_journal_fact_points_at_the_entry_it_comes_from():
    case = load_case_text(HEAD + """  - {date: 2026-11-01, lender: 1, kind: proposal, monthly: 900, months: 12}
  - {date: 2026-11-02, lender: 1, kind: answer, result: refused}
""", "j.yaml")
    where = journal_origins(case)
    assert where["journal.refused_monthly"].line == 6 and where["journal.refused_date"].line == 7
    assert where["journal.adjusted_monthly"].line == 7


def test_months_are_added_on_the_same_day_or_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 5), 1) == dt.date(2027, 1, 5)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)          # a leap year's February
    import calendar

    for start in (dt.date(2023, 1, 28) + dt.timedelta(days=n) for n in range(0, 1500, 7)):
        for months in (0, 1, 2, 11, 12, 13, 25):
            total = start.month - 1 + months
            year, month = start.year + total // 12, total % 12 + 1
            expected = dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
            assert add_months(start, months) == expected, (start, months)


def test_at_night_needs_a_call_or_message_with_a_time():
    case = load_case_text(HEAD + '  - {date: 2026-12-01, lender: 1, kind: incident, type: third_party, time: "23:00"}\n',
                          "j.yaml")
    assert at_night(case.journal[0]) is False
