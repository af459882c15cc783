"""The journal reader (issue 17): entries per lender at their lines, every problem at file:line:col with a
hint, Chinese words accepted, the snapshot fields derived from the journal and a contradiction an error."""
from __future__ import annotations

import datetime as dt

import pytest

from advisor.errors import CaseError
from advisor.load.cases import load_case_text

HEAD = """as_of: 2026-11-28
loans:
  - {name: 甲平台, balance: 12000, monthly_payment: 1400}
  - {name: 乙小贷, balance: 5000, monthly_payment: 500}
"""


def read(text: str):
    return load_case_text(HEAD + text, "j.yaml")


def problems(text: str) -> list[str]:
    with pytest.raises(CaseError) as caught:
        read(text)
    return [d.render("en") for d in caught.value.diagnostics]


def test_journal_entries_name_a_loan_by_name_or_number_in_date_order():
    case = read("""journal:
  - {date: 2026-11-22, lender: 2, kind: 联系, channel: 电话}
  - {date: 2026-11-20, lender: 甲平台, kind: proposal, monthly: "1.1千", months: 10, plan: 分期}
  - {date: 2026-11-21, lender: 甲平台, kind: 答复, result: 拒绝, reason: 太低}
""")
    assert [(e.day, e.lender, e.kind) for e in case.journal] == [
        (dt.date(2026, 11, 20), "甲平台", "proposal"), (dt.date(2026, 11, 21), "甲平台", "answer"),
        (dt.date(2026, 11, 22), "乙小贷", "contact")]
    assert case.journal[0].values["monthly"] == 1100 and case.journal[0].values["plan"] == "installments"
    assert case.journal[1].values["result"] == "refused" and case.journal[2].values["channel"] == "phone"
    assert case.journal[0].location.line == 7   # the entry of 11-20, written second


def test_snapshot_fields_follow_from_the_journal_with_the_entry_as_their_origin():
    case = read("""journal:
  - {date: 2026-11-20, lender: 甲平台, kind: proposal, monthly: 900, months: 12}
  - {date: 2026-11-21, lender: 甲平台, kind: answer, result: refused}
  - {date: 2026-11-25, lender: 甲平台, kind: agreement, monthly: 700, months: 18, written: 否}
  - {date: 2026-11-26, lender: 乙小贷, kind: incident, type: call, time: "23:10", evidence: 录音}
""")
    v = case.values
    assert (v["negotiation.contacted"], v["negotiation.rejections"], v["negotiation.outcome"]) == (True, 1, "agreed")
    assert v["negotiation.written_confirmation"] is False
    assert v["collection.night_calls"] is True and v["collection.evidence_kept"] is True
    assert "collection.third_party_contacted" not in v          # the journal adds flags, never denies them
    assert case.origins["negotiation.rejections"].line == 7


def test_a_stated_field_the_journal_contradicts_is_an_error_at_the_field_with_a_hint():
    said = problems("""negotiation: {contacted: false, rejections: 3}
journal:
  - {date: 2026-11-20, lender: 甲平台, kind: proposal, monthly: 900}
  - {date: 2026-11-21, lender: 甲平台, kind: answer, result: refused}
""")
    assert said[0].startswith("j.yaml:5:26: error[C054]: negotiation.contacted says false but the journal")
    assert "hint: with a journal this field follows from it: delete `contacted`" in said[0]
    assert said[1].startswith("j.yaml:5:45: error[C054]: negotiation.rejections says 3 but the journal (line 8")


def test_what_the_journal_only_adds_may_be_stated_too():
    case = read("""negotiation: {outcome: failed, rejections: 1}
collection: {threats: true, night_calls: true}
journal:
  - {date: 2026-11-21, lender: 甲平台, kind: answer, result: refused}
""")
    assert case.values["negotiation.outcome"] == "failed" and case.values["collection.night_calls"] is True


@pytest.mark.parametrize("entry, where, code, words", [
    ("{date: 2026-11-20, lender: 丙, kind: contact}", "6:32", "C053", "no loan '丙' in the case"),
    ("{date: 2026-11-20, lender: 3, kind: contact}", "6:32", "C053", "name a loan by its name or number: 1 甲平台, 2 乙小贷"),
    ("{date: 2026-11-29, lender: 1, kind: contact}", "6:12", "C052", "dated 2026-11-29, after as_of 2026-11-28"),
    ("{date: 2026-11-20, lender: 1, kind: call}", "6:41", "C021", "'call' is not one of the allowed values"),
    ("{date: 2026-11-20, lender: 1, kind: answer, result: maybe}", "6:57", "C021", "allowed: accepted (接受、同意)"),
    ("{date: 2026-11-20, lender: 1, kind: contact, staf: x}", "6:50", "C010", "did you mean 'staff'?"),
    ("{date: 2026-11-20, lender: 1, kind: incident, type: call, time: 25:00}", "6:69", "C021", "not a time of day"),
    ("{date: 2026-11-20, lender: 1, kind: payment}", "6:5", "C051", "has no 'status'"),
    ("{lender: 1, kind: contact}", "6:5", "C051", "has no 'date'"),
    ("{date: 2026-11-20, lender: 1, kind: agreement, written: 也许}", "6:61", "C021", "expected yes or no"),
])
def test_a_bad_entry_is_reported_at_its_line_and_column(entry, where, code, words):
    said = problems("journal:\n  - " + entry + "\n")
    assert len(said) == 1, said
    assert said[0].startswith(f"j.yaml:{where}: error[{code}]:"), said[0]
    assert words in said[0]
    assert "\n      - {" in said[0] and "^" in said[0]        # the source line and a caret


def test_a_journal_that_is_not_a_list_is_an_error():
    assert "error[C050]" in problems("journal: {date: 2026-11-20}\n")[0]


def test_an_open_counter_offer_to_settle_becomes_the_loans_settlement_offer():
    case = read("""journal:
  - {date: 2026-11-26, lender: 乙小贷, kind: answer, result: 还价, amount: 3000, deadline: 2026-12-05, settlement: 减免}
""")
    loan = case.loans[1]
    assert (loan.values["settlement_offer"], loan.values["settlement_deadline"], loan.values["settlement_kind"]) \
        == (3000, dt.date(2026, 12, 5), "waiver")
    assert loan.origins["settlement_offer"].line == 6
    with pytest.raises(CaseError) as caught:
        load_case_text(HEAD.replace("monthly_payment: 500}", "monthly_payment: 500, settlement_offer: 2500}")
                       + "journal:\n  - {date: 2026-11-26, lender: 2, kind: answer, result: counter_offer, "
                         "amount: 3000, deadline: 2026-12-05}\n", "j.yaml")
    assert "settlement_offer says 2500.0 but the journal (line 6) says 3000" in caught.value.diagnostics[0].render("en")


def test_a_case_without_a_journal_reads_as_before():
    case = load_case_text(HEAD + "negotiation: {contacted: false}\n", "j.yaml")
    assert case.journal == () and case.values["negotiation.contacted"] is False
