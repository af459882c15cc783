"""Faults: decision records and kept records (issue 13, items 8 and 10, and the personal-data defaults).

Kept records are unique per failure, never left truncated, and imported once; the whole record is sealed
and chained, so an edit or a deletion is named by id; `audit list` streams and lists past a damaged record;
records go to the per-user data folder; a 0-byte database is an error."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from advisor.records import store as record_module
from advisor.cli import main
from advisor.errors import RecordError
from advisor.records.store import Record, Store, default_db, read_unsaved, save

from conftest import ROOT
from record_examples import make_record

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


def codes(exc: pytest.ExceptionInfo[RecordError]) -> list[str]:
    return [d.code for d in exc.value.diagnostics]


def kept_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.unsaved-*.json"))


def tamper(db: Path, statement: str, *args: object) -> None:
    """A careful tamperer: drop the append-only guards, change the rows, put the guards back."""
    conn = sqlite3.connect(db, isolation_level=None)
    guards = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in guards:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(statement, args)
    for _, sql in guards:
        conn.execute(sql)
    conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "records.sqlite3"


def stored(db: Path, count: int) -> list[int]:
    with Store.open(db) as store:
        return [store.append(make_record(n, case_name=f"case {n}")) for n in range(1, count + 1)]


# --- item 8: kept records -------------------------------------------------------------------------------


def test_two_failures_of_the_same_report_keep_two_files(db):
    db.mkdir()                                        # a folder: every save fails
    first, second = make_record(1), replace(make_record(1), created_at="2026-11-28T11:00:00Z")
    assert first.report_sha256 == second.report_sha256
    for record in (first, second, first):            # the same record failing twice is two failures too
        with pytest.raises(RecordError):
            save(record, db)
    kept = kept_files(db.parent)
    assert len(kept) == 3
    assert sorted((read_unsaved(k) for k in kept), key=lambda r: r.created_at) == [first, first, second]


def test_audit_import_twice_stores_one_record(runner, db, tmp_path):
    (tmp_path / "blocked").mkdir()
    with pytest.raises(RecordError) as exc:
        save(make_record(), tmp_path / "blocked")
    kept = kept_files(tmp_path)[0]
    assert str(kept) in exc.value.diagnostics[-1].hint
    one = runner.invoke(main, ["audit", "import", str(kept), "--db", str(db)])
    two = runner.invoke(main, ["audit", "import", str(kept), "--db", str(db)])
    assert one.exit_code == 0 and "stored as #1" in one.output, one.output
    assert two.exit_code == 0 and "already stored as #1" in two.output, two.output
    with Store.open(db, create=False) as store:
        assert [r.id for r in store.records()] == [1]


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from record_examples import make_record
from advisor.records.store import save
from advisor.errors import RecordError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)        # a write past the limit fails with EFBIG, like a full disk
record = make_record(case_name="长" * 20000)         # a kept file far larger than the room left
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    save(record, Path(sys.argv[1]))
except RecordError as exc:
    print(exc.render())
"""


def test_a_full_disk_never_leaves_a_truncated_kept_file(tmp_path):
    blocked, here = tmp_path / "db-is-a-folder", tmp_path / "here"
    blocked.mkdir()
    here.mkdir()
    run = subprocess.run([sys.executable, "-c", FULL_DISK, str(blocked), "", str(ROOT / "tests")], cwd=here,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp_path / "xdg")},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "R005" in run.stdout and "no file could hold it" in run.stdout, run.stdout
    left = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert left == [], left                          # no truncated kept file, no temporary file


def test_importing_a_damaged_kept_file_is_a_clear_error(runner, db, tmp_path):
    kept = tmp_path / "records.sqlite3.unsaved-x.json"
    whole = json.dumps({**make_record().__dict__}, ensure_ascii=False, indent=2)
    for damage, where in ((whole[: len(whole) // 2], f"{kept}:"), ('{"id": null}', "missing"),
                          (whole.replace("到期前尽快", "到期后再"), "sha256")):
        kept.write_text(damage, encoding="utf-8")
        result = runner.invoke(main, ["audit", "import", str(kept), "--db", str(db)])
        assert result.exit_code == 6, result.output
        assert "R007" in result.output and str(kept) in result.output and where in result.output, result.output
        assert "hint:" in result.output and "Traceback" not in result.output
    assert not db.exists() or Store.open(db, create=False).count() == 0


# --- item 10: the whole record sealed and chained ---------------------------------------------------------


@pytest.mark.parametrize("column, value", [
    ("case_text", "as_of: 2026-11-28\nincome: 99999\n"), ("params", '{"lpr_1y":{"value":0.5}}'),
    ("created_at", "2020-01-01T00:00:00Z"), ("case_name", "李四"), ("lang", "en")])
def test_an_edit_of_any_field_is_named_by_id(db, column, value):
    stored(db, 3)
    tamper(db, f"UPDATE records SET {column} = ? WHERE id = 2", value)
    with Store.open(db, create=False) as store:
        with pytest.raises(RecordError) as exc:
            store.get(2)
        assert codes(exc) == ["R006"] and "record 2 " in exc.value.diagnostics[0].message
        assert store.get(1).id == 1 and store.get(3).id == 3


def test_a_report_edited_with_its_recomputed_sha256_is_detected(db):
    stored(db, 2)
    report = json.loads(sqlite3.connect(db).execute("SELECT report FROM records WHERE id = 1").fetchone()[0])
    report["advice"][0]["text"] = "不必联系平台"
    forged = record_module.canonical_json(report)
    tamper(db, "UPDATE records SET report = ?, report_sha256 = ? WHERE id = 1", forged,
           record_module.report_digest(report))
    with Store.open(db, create=False) as store, pytest.raises(RecordError) as exc:
        store.get(1)
    assert codes(exc) == ["R006"] and "record 1 " in exc.value.diagnostics[0].message


def test_a_reforged_seal_breaks_the_chain_at_the_next_record(db):
    stored(db, 3)
    tamper(db, "UPDATE records SET case_name = '李四' WHERE id = 2")
    with Store.open(db, create=False) as store:      # the tamperer re-seals record 2 as the advisor would
        row = store._conn.execute("SELECT * FROM records WHERE id = 2").fetchone()
    values = dict(zip(record_module.COLUMNS, row, strict=True))
    content = record_module.content_digest(values)
    prev = sqlite3.connect(db).execute("SELECT seal_sha256 FROM seals WHERE id = 1").fetchone()[0]
    tamper(db, "UPDATE seals SET content_sha256 = ?, seal_sha256 = ? WHERE id = 2", content,
           record_module.seal_digest(2, prev, content))
    with Store.open(db, create=False) as store:
        for read in (lambda: store.get(2), lambda: store.get(3)):
            with pytest.raises(RecordError) as exc:
                read()
            assert codes(exc) == ["R006"] and "records 2 and 3" in exc.value.diagnostics[0].message


@pytest.mark.parametrize("victim", [1, 2, 3])
def test_a_deleted_record_is_named_by_id(runner, db, victim):
    stored(db, 3)
    tamper(db, "DELETE FROM records WHERE id = ?", victim)
    tamper(db, "DELETE FROM seals WHERE id = ?", victim)
    result = runner.invoke(main, ["audit", "list", "--db", str(db)])
    assert result.exit_code == 6, result.output
    assert f"record {victim} was deleted" in result.output, result.output
    for survivor in {1, 2, 3} - {victim}:            # the others still list
        assert f"case {survivor}" in result.output


def test_a_damaged_record_is_reported_by_id_while_the_others_list(runner, db):
    stored(db, 4)
    tamper(db, "UPDATE records SET report = '{not json' WHERE id = 3")
    result = runner.invoke(main, ["audit", "list", "--db", str(db)])
    assert result.exit_code == 6, result.output
    assert "record 3 " in result.output and "R006" in result.output
    for survivor in ("case 1", "case 2", "case 4"):
        assert survivor in result.output
    assert "case 3" not in result.output.split("error[")[0]


def test_an_untouched_database_verifies_and_lists_its_head(runner, db):
    stored(db, 3)
    result = runner.invoke(main, ["audit", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    head = sqlite3.connect(db).execute("SELECT seal_sha256 FROM seals WHERE id = 3").fetchone()[0]
    assert f"3 records, chain intact, head {head[:16]}" in result.output


V1_SCHEMA = """CREATE TABLE records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL, case_name TEXT NOT NULL, case_path TEXT NOT NULL,
        case_sha256 TEXT NOT NULL, case_text TEXT NOT NULL,
        rules_dir TEXT NOT NULL, ruleset_fingerprint TEXT NOT NULL, params TEXT NOT NULL,
        advisor_version TEXT NOT NULL, engine_name TEXT NOT NULL, engine_version TEXT NOT NULL,
        lang TEXT NOT NULL, report TEXT NOT NULL, report_sha256 TEXT NOT NULL);
    CREATE TRIGGER records_no_update BEFORE UPDATE ON records
        BEGIN SELECT RAISE(ABORT, 'advisor records are append-only: UPDATE refused'); END;
    CREATE TRIGGER records_no_delete BEFORE DELETE ON records
        BEGIN SELECT RAISE(ABORT, 'advisor records are append-only: DELETE refused'); END;
    PRAGMA application_id = 1094997586;
    PRAGMA user_version = 1;"""


def v1_database(db: Path, count: int) -> None:
    """A database as the advisor before the seals wrote it (schema 1)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(V1_SCHEMA)
    for n in range(1, count + 1):
        r = make_record(n, case_name=f"old {n}")
        values = [record_module.canonical_json(getattr(r, c)) if c in record_module.JSON_COLUMNS else getattr(r, c)
                  for c in record_module.COLUMNS[1:]]
        conn.execute(f"INSERT INTO records ({', '.join(record_module.COLUMNS[1:])}) VALUES "
                     f"({', '.join('?' * len(values))})", values)
    conn.close()


def test_an_old_database_is_read_as_it_is_and_sealed_without_rewriting_a_record(runner, db):
    v1_database(db, 2)
    rows_before = sqlite3.connect(db).execute("SELECT * FROM records ORDER BY id").fetchall()
    listing = runner.invoke(main, ["audit", "list", "--db", str(db)])    # reading changes nothing
    assert listing.exit_code == 0 and "old 1" in listing.output and "schema 1" in listing.output, listing.output
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 1
    with Store.open(db) as store:                     # a writer seals the old records, then chains on
        new_id = store.append(make_record(3, case_name="new 3"))
    assert new_id == 3
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT * FROM records WHERE id <= 2 ORDER BY id").fetchall() == rows_before
    assert conn.execute("SELECT id, sealed FROM seals ORDER BY id").fetchall() == [
        (1, "migrated"), (2, "migrated"), (3, "stored")]
    listing = runner.invoke(main, ["audit", "list", "--db", str(db)])
    assert listing.exit_code == 0 and "3 records, chain intact" in listing.output, listing.output


def test_an_old_database_with_an_altered_report_is_still_caught(db):
    v1_database(db, 2)
    tamper(db, "UPDATE records SET report = replace(report, '尽快联系', '不必联系') WHERE id = 2")
    with Store.open(db, create=False) as store, pytest.raises(RecordError) as exc:
        store.get(2)
    assert codes(exc) == ["R006"] and "record 2 " in exc.value.diagnostics[0].message
    with pytest.raises(RecordError) as exc:           # and it is not sealed as if it were intact
        Store.open(db).close()
    assert codes(exc) == ["R006", "R006"] and "was not sealed" in exc.value.diagnostics[1].message
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 1


LIST_MEMORY = """
import resource, sys
from click.testing import CliRunner
from advisor.cli import main
result = CliRunner().invoke(main, ["audit", "list", "--db", sys.argv[1]])
assert result.exit_code == 0, result.output
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _max_rss_listing(db: Path) -> int:
    run = subprocess.run([sys.executable, "-c", LIST_MEMORY, str(db)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    return int(run.stdout.split()[-1])


def test_audit_list_streams(tmp_path):
    """Listing 400 records of 200 kB each takes about what listing 10 does: one record in memory at a time."""
    big = make_record(case_name="大")
    big = replace(big, report={**big.report, "trace": {"facts": ["x" * 1000] * 200}})
    big = replace(big, report_sha256=record_module.report_digest(big.report))
    sizes = {}
    for count in (10, 400):
        db = tmp_path / f"{count}.sqlite3"
        with Store.open(db) as store:
            for n in range(count):
                store.append(replace(big, created_at=f"2026-11-28T10:{n // 60:02d}:{n % 60:02d}Z"))
        sizes[count] = _max_rss_listing(db)
    assert sizes[400] - sizes[10] < 20_000, sizes    # kB; loading every record would add ~80 MB


# --- defaults that protect personal data -----------------------------------------------------------------


def test_records_default_to_the_per_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("ADVISOR_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db() == tmp_path / "data" / "advisor" / "records.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db() == tmp_path / "home" / ".local" / "share" / "advisor" / "records.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # the XDG spec: a relative path is ignored
    assert default_db() == tmp_path / "home" / ".local" / "share" / "advisor" / "records.sqlite3"


def test_run_record_writes_to_the_data_folder_not_the_working_folder(runner, monkeypatch, tmp_path):
    from conftest import CASES, RULES

    monkeypatch.delenv("ADVISOR_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml"), "--record", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    db = tmp_path / "data" / "advisor" / "records.sqlite3"
    assert db.is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert (db.parent.stat().st_mode & 0o777) == 0o700 and (db.stat().st_mode & 0o777) == 0o600


def test_a_zero_byte_database_is_an_error_and_left_untouched(runner, db):
    from conftest import CASES, RULES

    db.touch()
    with pytest.raises(RecordError) as exc:
        Store.open(db)
    assert codes(exc) == ["R002"] and "0 bytes" in exc.value.diagnostics[0].message
    result = runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml"), "--record", "--db", str(db),
                                  "--rules", str(RULES)])
    assert result.exit_code == 6 and "R002" in result.output and "R005" in result.output, result.output
    assert db.stat().st_size == 0 and len(kept_files(db.parent)) == 1


KILLED_WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from record_examples import make_record
from advisor.records.store import Store
db, who = Path(sys.argv[1]), sys.argv[2]
for n in range(100000):
    with Store.open(db) as store:
        store.append(make_record(n % 60, case_name=f"{who} {n}"))
    print(n, flush=True)
"""


def test_concurrent_writers_and_kill_9_lose_duplicate_or_alter_nothing(db):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(db), who, str(ROOT / "tests")], env=env,
                                stdout=subprocess.PIPE, text=True) for who in ("甲", "乙", "丙")]
    done: dict[str, int] = {}
    for who, writer in zip(("甲", "乙", "丙"), writers):
        assert writer.stdout is not None
        for line in writer.stdout:                   # wait for 40 confirmed appends, then kill -9 mid-stream
            if int(line) >= 40:
                break
    for writer in writers:
        os.kill(writer.pid, signal.SIGKILL)
    for who, writer in zip(("甲", "乙", "丙"), writers):
        assert writer.stdout is not None
        confirmed = [int(n) for n in writer.stdout.read().split()]
        writer.wait()
        done[who] = 41 + len(confirmed)              # 0 … 40 read before the kill
    with Store.open(db, create=False) as store:
        names = [r.case_name for r in store.records()]   # every seal and link checked on the way
    for who, count in done.items():
        mine = [int(n.split()[1]) for n in names if n.startswith(who)]
        assert mine == list(range(len(mine)))            # in order, none lost, none twice
        assert count <= len(mine) <= count + 1           # a kill may land after the commit, before the print
