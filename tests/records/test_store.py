"""The decision-record store: round trips, append-only triggers, damaged files left untouched, never a lost record."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from advisor.records import store as record_module
from advisor.errors import EXIT_RECORD, RecordError
from advisor.records.store import DEFAULT_DB_NAME, Record, Store, default_db, read_unsaved, report_digest, save

from record_examples import make_record

ROOT = Path(__file__).resolve().parents[2]


def codes(exc: pytest.ExceptionInfo[RecordError]) -> list[str]:
    return [d.code for d in exc.value.diagnostics]


def raw(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db, isolation_level=None)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "records.sqlite3"


def test_record_round_trips_every_field(db):
    original = make_record()
    with Store.open(db) as store:
        record_id = store.append(original)
        assert store.get(record_id) == replace(original, id=record_id)
    with Store.open(db, create=False) as store:     # and again from the file, by a fresh connection
        assert store.get(record_id) == replace(original, id=record_id)


def test_record_json_is_stored_canonically(db):
    original = make_record()
    with Store.open(db) as store:
        store.append(original)
    report, params, digest = raw(db).execute("SELECT report, params, report_sha256 FROM records").fetchone()
    assert report == json.dumps(original.report, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert "到期前尽快联系平台" in report                    # UTF-8 text kept, not \u escapes
    assert params == json.dumps(original.params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert digest == hashlib.sha256(report.encode("utf-8")).hexdigest() == original.report_sha256


def test_record_list_oldest_first(db):
    with Store.open(db) as store:
        ids = [store.append(make_record(n, case_name=f"case {n}")) for n in range(1, 4)]
        listed = store.list()
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert [r.id for r in listed] == ids
    assert [r.case_name for r in listed] == ["case 1", "case 2", "case 3"]


def test_record_unknown_id_is_r004(db):
    with Store.open(db) as store:
        store.append(make_record())
        with pytest.raises(RecordError) as exc:
            store.get(99)
    assert codes(exc) == ["R004"] and exc.value.exit_code == EXIT_RECORD == 6
    assert "99" in exc.value.diagnostics[0].message and "advisor audit list" in exc.value.diagnostics[0].hint


def test_record_open_without_create_is_r001_and_makes_no_file(db):
    with pytest.raises(RecordError) as exc:
        Store.open(db, create=False)
    assert codes(exc) == ["R001"] and not db.exists()


@pytest.mark.parametrize("statement", ["UPDATE records SET case_name = 'changed'", "DELETE FROM records"])
def test_record_raw_update_and_delete_are_refused(db, statement):
    with Store.open(db) as store:
        record_id = store.append(make_record())
    conn = raw(db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(statement)
    conn.close()
    with Store.open(db) as store:
        assert store.list() == [replace(make_record(), id=record_id)]


def _ours_with_a_damaged_page(path: Path) -> None:
    with Store.open(path) as store:
        for n in range(40):
            store.append(make_record(n, case_name="长" * 500))
    data = bytearray(path.read_bytes())
    page = 4096 * 3                                   # a page of records, past the header and schema
    data[page: page + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, note TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(os.urandom(8192)),                                  # random bytes
    lambda p: p.write_bytes(b"SQLite format 3\x00" + os.urandom(8192)),         # a header, then garbage
    _foreign_sqlite,                                                            # a valid SQLite file, not ours
    _ours_with_a_damaged_page,                                                  # ours, damaged
], ids=["random", "header-then-garbage", "foreign", "damaged-page"])
@pytest.mark.parametrize("create", [True, False])
def test_record_damaged_file_is_r002_and_left_untouched(db, make, create):
    make(db)
    before, siblings = db.read_bytes(), sorted(db.parent.iterdir())
    with pytest.raises(RecordError) as exc:
        with Store.open(db, create=create) as store:
            store.list()                              # a damaged page may only show when read
    assert codes(exc) == ["R002"]
    assert "Traceback" not in exc.value.render()
    assert db.read_bytes() == before and sorted(db.parent.iterdir()) == siblings


def test_record_missing_trigger_is_r002(db):
    Store.open(db).close()
    raw(db).execute("DROP TRIGGER records_no_delete")
    with pytest.raises(RecordError) as exc:
        Store.open(db)
    assert codes(exc) == ["R002"] and "trigger" in exc.value.diagnostics[0].message


def test_record_newer_schema_is_r003(db):
    Store.open(db).close()
    raw(db).execute(f"PRAGMA user_version = {record_module.SCHEMA_VERSION + 1}")
    before = db.read_bytes()
    with pytest.raises(RecordError) as exc:
        Store.open(db)
    assert codes(exc) == ["R003"] and "newer advisor" in exc.value.diagnostics[0].message
    assert db.read_bytes() == before


def test_record_altered_report_is_r006(db):
    with Store.open(db) as store:
        record_id = store.append(make_record())
    conn = raw(db)                                    # a careful tamperer: drop the guard, edit, put it back
    guard = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'records_no_update'").fetchone()[0]
    conn.execute("DROP TRIGGER records_no_update")
    conn.execute("UPDATE records SET report = replace(report, '尽快联系', '不必联系')")
    conn.execute(guard)
    conn.close()
    with Store.open(db) as store:
        for read in (lambda: store.get(record_id), store.list):
            with pytest.raises(RecordError) as exc:
                read()
            assert codes(exc) == ["R006"] and f"record {record_id}" in exc.value.diagnostics[0].message


def _kept_file(exc: pytest.ExceptionInfo[RecordError], folder: Path, db: Path, original: Record) -> Path:
    [kept] = folder.glob(f"{db.name}.unsaved-{record_module.content_digest_of(original)[:12]}-*.json")
    hint = exc.value.diagnostics[-1].hint
    assert exc.value.diagnostics[-1].code == "R005" and str(kept) in hint and "advisor audit import" in hint
    assert kept.is_file()
    assert Record(**json.loads(kept.read_text(encoding="utf-8"))) == read_unsaved(kept) == original
    return kept


def test_record_locked_database_keeps_the_record_in_a_file(db, monkeypatch):
    monkeypatch.setattr(record_module, "BUSY_TIMEOUT", 0.1)
    original = make_record()
    with Store.open(db) as store:
        holder = raw(db)
        holder.execute("BEGIN EXCLUSIVE")             # another program holds the database
        with pytest.raises(RecordError) as exc:
            store.append(original)
        assert codes(exc) == ["R005"] and "locked" in exc.value.diagnostics[0].message
        kept = _kept_file(exc, db.parent, db, original)
        holder.execute("ROLLBACK")
        record_id = store.append(read_unsaved(kept))  # the retry lands the same record
        assert store.list() == [replace(original, id=record_id)]


def test_record_save_to_a_folder_keeps_the_record_in_a_file(db):
    db.mkdir()
    with pytest.raises(RecordError) as exc:
        save(make_record(), db)
    assert codes(exc) == ["R001", "R005"]
    _kept_file(exc, db.parent, db, make_record())


def test_record_save_to_a_damaged_file_keeps_the_record_and_the_file(db):
    db.write_bytes(os.urandom(4096))
    before = db.read_bytes()
    with pytest.raises(RecordError) as exc:
        save(make_record(), db)
    assert codes(exc) == ["R002", "R005"] and db.read_bytes() == before
    _kept_file(exc, db.parent, db, make_record())


def test_record_unwritable_folder_keeps_the_record_in_the_data_folder(tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "no-such-folder" / "records.sqlite3"   # neither the database nor a file beside it can be written
    with pytest.raises(RecordError) as exc:
        save(make_record(), db)
    assert codes(exc) == ["R001", "R005"]
    _kept_file(exc, tmp_path / "data" / "advisor", db, make_record())   # personal data: not the working folder
    assert list(here.iterdir()) == []


def test_record_with_no_data_folder_either_keeps_the_record_in_the_current_folder(tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "a-file"))   # no folder can be made under a file
    db = tmp_path / "no-such-folder" / "records.sqlite3"
    with pytest.raises(RecordError) as exc:
        save(make_record(), db)
    assert codes(exc) == ["R001", "R005"]
    _kept_file(exc, here, db, make_record())           # the last resort: nothing is lost


def test_record_append_refuses_a_wrong_digest(db):
    with Store.open(db) as store, pytest.raises(ValueError):
        store.append(replace(make_record(), report_sha256="0" * 64))


CHILD = """
import json, sys, time
from pathlib import Path
from advisor.records.store import Store, read_unsaved
db, kept, go, count = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
record = read_unsaved(kept)
while not go.exists():
    time.sleep(0.001)
ids = []
for _ in range(count):
    with Store.open(db) as store:
        ids.append(store.append(record))
    time.sleep(0.002)                                 # let the other process in between appends
print(json.dumps(ids))
"""


@pytest.mark.slow
def test_record_two_processes_append_at_once(tmp_path, db):
    count, go = 25, tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = []
    for who in ("甲", "乙"):
        kept = tmp_path / f"{who}.json"
        kept.write_text(json.dumps(asdict(make_record(case_name=who)), ensure_ascii=False), encoding="utf-8")
        children.append(subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(kept), str(go), str(count)],
                                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    time.sleep(0.2)
    go.touch()                                        # both start appending (and creating the file) together
    results = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0], [err for _, err in results]
    ids = [json.loads(out) for out, _ in results]
    for own in ids:
        assert own == sorted(own) and len(set(own)) == count
    with Store.open(db) as store:
        listed = store.list()
    assert [r.id for r in listed] == sorted(ids[0] + ids[1])
    assert len({r.id for r in listed}) == 2 * count
    assert sorted(r.case_name for r in listed) == ["乙"] * count + ["甲"] * count


def test_record_default_db(monkeypatch, tmp_path):
    monkeypatch.delenv("ADVISOR_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db() == tmp_path / "data" / "advisor" / DEFAULT_DB_NAME
    monkeypatch.setenv("ADVISOR_DB", str(tmp_path / "elsewhere.sqlite3"))
    assert default_db() == tmp_path / "elsewhere.sqlite3"
