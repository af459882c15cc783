"""`advisor journal CASE add`: an entry is inserted as text, every other byte of the file kept (comments,
order, quoting, flow mappings); a bad entry or a bad file leaves the file byte for byte as it was."""
from __future__ import annotations

import os

import pytest

from advisor.errors import CaseError
from advisor.toolkit.journal_add import add_entry, with_entry

CASE = """# 张女士的案例：注释要保留
as_of: 2026-11-28   # 评估日
loans:
  - {name: 甲平台, balance: "1.2万", monthly_payment: 1400}   # flow mapping stays
journal:
    - {date: 2026-11-20, lender: 甲平台, kind: contact}    # 第一次联系
    - date: 2026-11-21
      lender: 甲平台
      kind: proposal
      monthly: 900
expect:
  advice: []   # 最后一行
"""


def test_an_entry_goes_after_the_journals_last_item_and_nothing_else_changes(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    case = add_entry(path, {"date": "2026-11-24", "lender": "甲平台", "kind": "answer", "result": "拒绝",
                            "reason": "金额太低: 要求 #1 全额"})
    text = path.read_text(encoding="utf-8")
    head, tail = CASE.split("expect:\n")
    assert text.startswith(head) and text.endswith("expect:\n" + tail)
    added = text[len(head):-len("expect:\n" + tail)]
    assert added == ('    - date: 2026-11-24\n      lender: "甲平台"\n      kind: answer\n      result: "拒绝"\n'
                     '      reason: "金额太低: 要求 #1 全额"\n')
    assert [e.kind for e in case.journal] == ["contact", "proposal", "answer"]
    assert case.journal[-1].values["reason"] == "金额太低: 要求 #1 全额"
    assert [p.name for p in tmp_path.iterdir()] == ["case.yaml"]          # no temporary file left


def test_a_case_without_a_journal_gets_one_at_the_end(tmp_path):
    path = tmp_path / "case.yaml"
    original = "as_of: 2026-11-28\nloans: [{name: 甲}]   # 一笔"          # no final newline
    path.write_text(original, encoding="utf-8")
    add_entry(path, {"date": "2026-11-25", "lender": "1", "kind": "contact"})
    assert path.read_text(encoding="utf-8") == original + "\njournal:\n  - date: 2026-11-25\n    lender: \"1\"\n    kind: contact\n"


@pytest.mark.parametrize("fields, code", [
    ({"date": "2026-11-29", "lender": "甲平台", "kind": "contact"}, "C052"),      # after as_of
    ({"date": "2026-11-24", "lender": "乙", "kind": "contact"}, "C053"),          # no such loan
    ({"date": "2026-11-24", "lender": "甲平台", "kind": "answer"}, "C051"),       # no result
    ({"date": "2026-11-24", "lender": "甲平台", "kind": "contact", "colour": "red"}, "C010"),
])
def test_a_bad_entry_is_refused_with_its_reason_and_the_file_is_untouched(tmp_path, fields, code):
    path = tmp_path / "case.yaml"
    path.write_bytes(CASE.encode("utf-8"))
    before = os.stat(path)
    with pytest.raises(CaseError) as caught:
        add_entry(path, fields)
    assert [d.code for d in caught.value.diagnostics] == [code]
    assert path.read_bytes() == CASE.encode("utf-8") and os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert [p.name for p in tmp_path.iterdir()] == ["case.yaml"]


def test_a_flow_style_journal_is_refused_rather_than_rewritten():
    with pytest.raises(CaseError) as caught:
        with_entry("as_of: 2026-11-28\njournal: [{date: 2026-11-20, lender: 1, kind: contact}]\n", "c.yaml",
                   {"date": "2026-11-21", "lender": "1", "kind": "contact"})
    assert caught.value.diagnostics[0].code == "C055"


def test_a_case_file_with_problems_is_left_alone(tmp_path):
    path = tmp_path / "case.yaml"
    broken = CASE.replace("as_of: 2026-11-28", "as_of: 2026-02-30")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CaseError):
        add_entry(path, {"date": "2026-11-24", "lender": "甲平台", "kind": "contact"})
    assert path.read_text(encoding="utf-8") == broken
