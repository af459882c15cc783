"""Decision records: every run kept, append-only, in an embedded SQLite file, so it can be audited and replayed."""
from __future__ import annotations

import builtins
import hashlib
import json
import os
import sqlite3
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Iterable

from ..errors import Diagnostic, RecordError

DEFAULT_DB_NAME = "advisor-records.sqlite3"
SCHEMA_VERSION = 1                 # PRAGMA user_version; a higher one was written by a newer advisor
APPLICATION_ID = 0x41445652        # PRAGMA application_id, "ADVR": marks the file as ours
BUSY_TIMEOUT = 5.0                 # seconds a writer waits for another one to finish

# One statement each: executed inside the creating transaction (executescript would commit it early).
SCHEMA = (
    """CREATE TABLE records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: ids only grow, never reused
        created_at TEXT NOT NULL, case_name TEXT NOT NULL, case_path TEXT NOT NULL,
        case_sha256 TEXT NOT NULL, case_text TEXT NOT NULL,
        rules_dir TEXT NOT NULL, ruleset_fingerprint TEXT NOT NULL, params TEXT NOT NULL,
        advisor_version TEXT NOT NULL, engine_name TEXT NOT NULL, engine_version TEXT NOT NULL,
        lang TEXT NOT NULL, report TEXT NOT NULL, report_sha256 TEXT NOT NULL)""",
    """CREATE TRIGGER records_no_update BEFORE UPDATE ON records
        BEGIN SELECT RAISE(ABORT, 'advisor records are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER records_no_delete BEFORE DELETE ON records
        BEGIN SELECT RAISE(ABORT, 'advisor records are append-only: DELETE refused'); END""",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
TRIGGERS = {"records_no_update", "records_no_delete"}


def default_db() -> Path:
    """$ADVISOR_DB if set, else advisor-records.sqlite3 in the current folder."""
    return Path(os.environ.get("ADVISOR_DB") or DEFAULT_DB_NAME).expanduser()


def canonical_json(value: Any) -> str:
    """The one JSON spelling stored and hashed: sorted keys, UTF-8 text kept as is, no spaces."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def report_digest(report: dict[str, Any]) -> str:
    """The sha256 of the canonical JSON of `report`: what `Record.report_sha256` holds."""
    return hashlib.sha256(canonical_json(report).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Record:
    """One run of the advisor: the case, the rules and parameters, the versions and the report it gave."""

    id: int | None                 # None before it is stored
    created_at: str                # ISO 8601 UTC, metadata only
    case_name: str
    case_path: str
    case_sha256: str               # sha256 of the case file's bytes
    case_text: str                 # the case file's full text, so a replay needs nothing else
    rules_dir: str
    ruleset_fingerprint: str
    params: dict[str, Any]         # parameters used, with values and effective dates
    advisor_version: str
    engine_name: str
    engine_version: str
    lang: str
    report: dict[str, Any]         # the JSON document of the run
    report_sha256: str             # report_digest(report)


COLUMNS = tuple(f.name for f in fields(Record))
JSON_COLUMNS = ("params", "report")


class Store:
    """An open record database. Records go in with `append` and are never changed or removed."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self._conn = conn

    @classmethod
    def open(cls, path: Path, create: bool = True) -> Store:
        """Open the database at `path` (creating it if allowed); a file that is not ours is left untouched."""
        path = Path(path)
        if path.is_dir() or not (create or path.exists()):
            why = "it is a folder" if path.is_dir() else "no such file"
            raise _error("R001", f"cannot open the record database {path}: {why}",
                         "check the path, or set ADVISOR_DB to the record database")
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise _error("R001", f"cannot open or create the record database {path}: {exc}",
                         "check that the folder exists and is writable, or set ADVISOR_DB to another file") from None
        try:
            # The schema is only ever written into a file with no bytes at all: one SQLite has just created.
            if create and path.stat().st_size == 0:
                conn.execute("BEGIN IMMEDIATE")
                if path.stat().st_size == 0:   # another process may have made it while we waited
                    for statement in SCHEMA:
                        conn.execute(statement)
                conn.execute("COMMIT")
            _check(conn, path)
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            raise _unreadable(path, exc) from None
        except RecordError:
            conn.close()
            raise
        return cls(path, conn)

    def append(self, record: Record) -> int:
        """Store `record` in one transaction and return its id; if that fails, keep it in a file (R005)."""
        if record.report_sha256 != report_digest(record.report):
            raise ValueError("record.report_sha256 is not report_digest(record.report)")
        row = [canonical_json(getattr(record, c)) if c in JSON_COLUMNS else getattr(record, c) for c in COLUMNS[1:]]
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            cursor = self._conn.execute(
                f"INSERT INTO records ({', '.join(COLUMNS[1:])}) VALUES ({', '.join('?' * len(row))})", row)
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(self._conn)
            raise unsaved(record, self.path, f"the database refused it ({exc})") from None
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def get(self, record_id: int) -> Record:
        """The record with this id, its report checked against its digest (R004 if absent, R006 if altered)."""
        rows = self._select("WHERE id = ?", (record_id,))
        if not rows:
            raise _error("R004", f"no record with id {record_id} in {self.path}",
                         "`advisor audit list` shows the stored records and their ids")
        return rows[0]

    def list(self) -> builtins.list[Record]:
        """Every record, oldest first, in full and checked like `get`."""
        return self._select("ORDER BY id", ())

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _select(self, where: str, args: tuple[Any, ...]) -> builtins.list[Record]:
        try:
            rows = self._conn.execute(f"SELECT {', '.join(COLUMNS)} FROM records {where}", args).fetchall()
        except sqlite3.Error as exc:
            raise _unreadable(self.path, exc) from None
        return [self._record(row) for row in rows]

    def _record(self, row: tuple[Any, ...]) -> Record:
        values = dict(zip(COLUMNS, row, strict=True))
        try:
            intact = hashlib.sha256(values["report"].encode("utf-8")).hexdigest() == values["report_sha256"]
            parsed = {c: json.loads(values[c]) for c in JSON_COLUMNS}
        except (AttributeError, ValueError):   # not text, or not JSON
            intact = False
        if not intact:
            raise _error("R006", f"record {values['id']} in {self.path} was altered outside the advisor: "
                         "its report no longer matches the sha256 stored with it",
                         "do not rely on this record; restore the database from a backup to see what was recorded")
        return Record(**{**values, **parsed})


def save(record: Record, path: Path) -> int:
    """Open the store at `path`, append `record` and close; a record that cannot be stored goes to a file (R005)."""
    try:
        store = Store.open(path)
    except RecordError as exc:
        raise unsaved(record, path, "the database could not be opened", exc.diagnostics) from None
    with store:
        return store.append(record)


def unsaved(record: Record, path: Path, why: str, causes: Iterable[Diagnostic] = ()) -> RecordError:
    """Write `record` as JSON next to the database (or in the current folder) and say where (R005)."""
    name = f"{path.name}.unsaved-{record.report_sha256[:12]}.json"
    text = json.dumps(asdict(replace(record, id=None)), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    for folder in (path.parent, Path.cwd()):
        kept = Path(os.path.abspath(folder / name))
        try:
            kept.write_text(text, encoding="utf-8")
        except OSError:
            continue
        hint = (f"the record is kept in {kept}; once the database is fixed (or --db names another file), "
                f"store it with `advisor audit import {kept}`")
        return RecordError([*causes, Diagnostic("R005", f"the record was not stored in {path}: {why}", hint=hint)])
    return RecordError([*causes, Diagnostic("R005", f"the record was not stored in {path}: {why}; "
                                            "no file could hold it either",
                                            hint=f"make {path.parent} or the current folder writable and run again")])


def read_unsaved(path: Path) -> Record:
    """A record kept by `unsaved`, ready to `append` again."""
    return Record(**json.loads(path.read_text(encoding="utf-8")))


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """Ours (application id), not newer (schema version), intact (integrity check) and of the known shape."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise _damaged(path, "it does not carry the advisor's application id")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise _error("R003", f"the record database {path} was written by a newer advisor "
                     f"(record schema {version}; this advisor reads up to {SCHEMA_VERSION})",
                     "upgrade the advisor to read it, or set ADVISOR_DB to another file")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise _damaged(path, "integrity check failed: " + "; ".join(problems[:3]))
    columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(records)"))
    triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    if version != SCHEMA_VERSION or columns != COLUMNS or not TRIGGERS <= triggers:
        raise _damaged(path, "its tables or append-only triggers are not the ones the advisor made")


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass                           # the write failed already; R005 says so


def _unreadable(path: Path, exc: Exception) -> RecordError:
    """R002 when SQLite finds the file is no database or is corrupt; R001 when it cannot get at it (locked, I/O)."""
    if getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return _damaged(path, str(exc))
    return _error("R001", f"cannot read the record database {path}: {exc}",
                  "check that the file is readable and not held by another program, then try again")


def _damaged(path: Path, why: str) -> RecordError:
    return _error("R002", f"{path} is not an advisor record database, or it is damaged: {why}",
                  "the advisor left the file untouched; restore it from a backup, or set ADVISOR_DB to another file")


def _error(code: str, message: str, hint: str) -> RecordError:
    return RecordError([Diagnostic(code, message, hint=hint)])
