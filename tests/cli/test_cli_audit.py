"""Decision records from the command line: record, list, show, replay, import; damage never loses a record."""
from __future__ import annotations

import json
import re
import shutil

from advisor.cli import main

from conftest import CASES, RULES
import pytest

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

DUE_SOON = str(CASES / "due_soon_shortfall.yaml")


def _run(runner, *args):
    return runner.invoke(main, [*args])


def test_record_list_show_and_an_identical_replay(runner, tmp_path):
    db = str(tmp_path / "records.sqlite3")
    first = _run(runner, "run", DUE_SOON, "--record", "--db", db, "--rules", str(RULES))
    assert first.exit_code == 0, first.output
    assert "recorded as #1" in first.output           # on stderr; the runner mixes both streams
    second = _run(runner, "run", str(CASES / "old_private_loans.yaml"), "--record", "--db", db, "--lang", "en",
                  "--rules", str(RULES))
    assert second.exit_code == 0, second.output
    listing = _run(runner, "audit", "list", "--db", db)
    assert listing.exit_code == 0 and "小王 · 还款日临近" in listing.output and "孙女士" in listing.output
    shown = _run(runner, "audit", "show", "2", "--db", db)
    assert shown.exit_code == 0 and "law.limitation_check" in shown.output
    assert "param     lpr_1y (loan.contract_date)" in shown.output
    record = json.loads(_run(runner, "audit", "show", "1", "--format", "json", "--db", db).output)
    assert record["case_text"] == (CASES / "due_soon_shortfall.yaml").read_text(encoding="utf-8")
    assert record["report"]["trace"]["firings"] and record["params"]["lpr_1y"]["rows"]["某消费金融"] == {
        "on": "2025-12-03", "in_force_from": "2025-05-20", "value": 0.03}
    replay = _run(runner, "audit", "replay", "1", "--db", db, "--rules", str(RULES))
    assert replay.exit_code == 0, replay.output
    assert re.search(r"identical: \d+ pieces of advice", replay.output) and "(unchanged)" in replay.output


def test_replay_with_edited_rules_reports_the_change_and_exits_1(runner, tmp_path):
    db = str(tmp_path / "records.sqlite3")
    assert _run(runner, "run", DUE_SOON, "--record", "--db", db, "--rules", str(RULES)).exit_code == 0
    edited = tmp_path / "rules"
    shutil.copytree(RULES, edited)
    params = edited / "params.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("value: 7\n", "value: 3\n", 1), encoding="utf-8")
    replay = _run(runner, "audit", "replay", "1", "--db", db, "--rules", str(edited))
    assert replay.exit_code == 1, replay.output
    assert "(changed)" in replay.output and "- timing.contact_before_due (no longer given)" in replay.output


def test_a_damaged_database_keeps_the_advice_and_the_record(runner, tmp_path):
    db = tmp_path / "records.sqlite3"
    db.write_bytes(b"not a database at all")
    result = _run(runner, "run", DUE_SOON, "--record", "--db", str(db), "--rules", str(RULES))
    assert result.exit_code == 6
    assert "协商还款建议" in result.output and "error[R002]" in result.output and "error[R005]" in result.output
    assert db.read_bytes() == b"not a database at all"
    kept = list(tmp_path.glob("records.sqlite3.unsaved-*-*.json"))
    assert len(kept) == 1 and "Traceback" not in result.output
    fresh = str(tmp_path / "fresh.sqlite3")
    imported = _run(runner, "audit", "import", str(kept[0]), "--db", fresh)
    assert imported.exit_code == 0, imported.output
    assert _run(runner, "audit", "replay", "1", "--db", fresh, "--rules", str(RULES)).exit_code == 0


def test_audit_without_a_database_or_record_says_what_to_do(runner, tmp_path):
    missing = _run(runner, "audit", "list", "--db", str(tmp_path / "none.sqlite3"))
    assert missing.exit_code == 6 and "error[R001]" in missing.output and "Traceback" not in missing.output
    db = str(tmp_path / "records.sqlite3")
    assert _run(runner, "run", DUE_SOON, "--record", "--db", db, "--rules", str(RULES)).exit_code == 0
    absent = _run(runner, "audit", "show", "7", "--db", db)
    assert absent.exit_code == 6 and "error[R004]" in absent.output and "advisor audit list" in absent.output


def test_list_show_and_replay_label_in_chinese_by_default(runner, tmp_path, monkeypatch):
    """The labels follow the CLI's language (Chinese first); the advice is shown as it was given."""
    monkeypatch.delenv("ADVISOR_LANG")
    db = str(tmp_path / "records.sqlite3")
    assert _run(runner, "run", DUE_SOON, "--record", "--db", db, "--rules", str(RULES)).exit_code == 0
    listing = _run(runner, "audit", "list", "--db", db).output
    assert "编号" in listing and "记录时间（UTC）" in listing and "recorded (UTC)" not in listing
    shown = _run(runner, "audit", "show", "1", "--db", db).output
    assert shown.startswith("记录 #1 · 小王") and "评估日期  2026-11-28" in shown and "依据：" in shown
    assert "参数      lpr_1y (loan.contract_date) " in shown and "某消费金融：0.03（自 2025-05-20 起）" in shown
    assert "because:" not in shown and "recorded" not in shown
    replay = _run(runner, "audit", "replay", "1", "--db", db, "--rules", str(RULES)).output
    assert replay.startswith("重放记录 #1") and "（未改变）" in replay and "完全相同" in replay
