"""Decision records: every run kept, append-only, in an embedded SQLite file, so it can be audited and replayed."""
from __future__ import annotations

import builtins
import hashlib
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import kept, seals
from ..errors import Diagnostic, RecordError
from .seals import canonical_json
from .record import COLUMNS, JSON_COLUMNS, Record, _stored, content_digest, content_digest_of, report_digest  # noqa: F401

DEFAULT_DB_NAME = "records.sqlite3"  # in the per-user data folder (data_home())
SCHEMA_VERSION = 2                 # PRAGMA user_version; a higher one was written by a newer advisor
SEALED_SINCE = 2                   # schema 1 (no seals) is read as it is and sealed by the next writer
APPLICATION_ID = 0x41445652        # PRAGMA application_id, "ADVR": marks the file as ours
BUSY_TIMEOUT = 30.0                # seconds a writer waits for others to finish (5 s starved a writer under CI load)

RECORDS_TABLE = """CREATE TABLE records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: ids only grow, never reused
        created_at TEXT NOT NULL, case_name TEXT NOT NULL, case_path TEXT NOT NULL,
        case_sha256 TEXT NOT NULL, case_text TEXT NOT NULL,
        rules_dir TEXT NOT NULL, ruleset_fingerprint TEXT NOT NULL, params TEXT NOT NULL,
        advisor_version TEXT NOT NULL, engine_name TEXT NOT NULL, engine_version TEXT NOT NULL,
        lang TEXT NOT NULL, report TEXT NOT NULL, report_sha256 TEXT NOT NULL)"""
# The seals (seals.py) sit in a table of their own, so that sealing a schema-1 database adds rows
# beside its records and never rewrites one.
SEALS = (
    """CREATE TABLE seals (
        id INTEGER PRIMARY KEY,                -- the record's id
        content_sha256 TEXT NOT NULL, prev_id INTEGER, prev_sha256 TEXT NOT NULL,
        seal_sha256 TEXT NOT NULL, sealed TEXT NOT NULL)""",
    "CREATE INDEX seals_by_content ON seals (content_sha256)",
    """CREATE TRIGGER seals_no_update BEFORE UPDATE ON seals
        BEGIN SELECT RAISE(ABORT, 'advisor seals are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
        BEGIN SELECT RAISE(ABORT, 'advisor seals are append-only: DELETE refused'); END""",
)
# One statement each: executed inside the creating transaction (executescript would commit it early).
SCHEMA = (
    RECORDS_TABLE,
    """CREATE TRIGGER records_no_update BEFORE UPDATE ON records
        BEGIN SELECT RAISE(ABORT, 'advisor records are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER records_no_delete BEFORE DELETE ON records
        BEGIN SELECT RAISE(ABORT, 'advisor records are append-only: DELETE refused'); END""",
    *SEALS,
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
TRIGGERS = {1: {"records_no_update", "records_no_delete"},
            2: {"records_no_update", "records_no_delete", "seals_no_update", "seals_no_delete"}}
SEAL_COLUMNS = ("id", "content_sha256", "prev_id", "prev_sha256", "seal_sha256", "sealed")


def data_home() -> Path:
    """The per-user data folder: $XDG_DATA_HOME/advisor, else ~/.local/share/advisor (the XDG base
    directory convention; a relative $XDG_DATA_HOME is ignored, as the convention says)."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "advisor"


def default_db(make: bool = False) -> Path:
    """$ADVISOR_DB if set, else records.sqlite3 in the per-user data folder (records hold personal
    data: never the working folder by default). `make`: create that folder, readable by its owner only."""
    env = os.environ.get("ADVISOR_DB")
    if env:
        return Path(env).expanduser()
    if make:
        try:
            data_home().mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            pass                           # Store.open says what is wrong with the path
    return data_home() / DEFAULT_DB_NAME


def seal_digest(record_id: int, prev_seal: str, content: str, prev_id: int | None = None) -> str:
    """The seal of a record chained to the one before it (by default the record numbered one less)."""
    return seals.seal_digest(record_id, record_id - 1 if prev_id is None and record_id > 1 else prev_id,
                             prev_seal, content)


@dataclass(frozen=True)
class Checked:
    """One record as read by `Store.scan`: the record, or the problem that stops it being trusted."""

    id: int
    record: Record | None
    problem: Diagnostic | None


_SELECT = (f"SELECT {', '.join('r.' + c for c in COLUMNS)}, {', '.join('s.' + c for c in SEAL_COLUMNS)} "
           "FROM records r LEFT JOIN seals s ON s.id = r.id")
_SELECT_V1 = f"SELECT {', '.join(COLUMNS)} FROM records r"


class Store:
    """An open record database. Records go in with `append` and are never changed or removed."""

    def __init__(self, path: Path, conn: sqlite3.Connection, version: int = SCHEMA_VERSION):
        self.path = path
        self._conn = conn
        self.version = version     # 1: read as written by an advisor before the seals, not yet sealed

    @classmethod
    def open(cls, path: Path, create: bool = True) -> Store:
        """Open the database at `path` (creating it if allowed); a file that is not ours is left untouched.
        A writer (`create`) seals a schema-1 database first: its records are never rewritten."""
        path = Path(path)
        if path.is_dir() or not (create or path.exists()):
            why = "it is a folder" if path.is_dir() else "no such file"
            raise _error("R001", f"cannot open the record database {path}: {why}",
                         "check the path, or set ADVISOR_DB to the record database")
        if not path.exists():
            _create(path)
        elif path.stat().st_size == 0:
            raise _damaged(path, "it is empty (0 bytes), so it holds no records and no schema", hint=(
                "the advisor left the empty file untouched rather than treat it as new; if no records were "
                "ever stored in it, delete it (or choose another --db) and run again; otherwise restore it "
                "from a backup"))
        try:
            conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT,
                                   isolation_level=None)
        except sqlite3.Error as exc:
            raise _error("R001", f"cannot open the record database {path}: {exc}",
                         "check that the file is readable and writable, or set ADVISOR_DB to another file") from None
        try:
            version = _check(conn, path)
            if create and version < SEALED_SINCE:
                version = _seal_old(conn, path)
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            raise _unreadable(path, exc) from None
        except RecordError:
            conn.close()
            raise
        return cls(path, conn, version)

    def append(self, record: Record, once: bool = False) -> int:
        """Store `record` and its seal in one transaction and return its id; if that fails, keep it in a
        file (R005). `once`: a record with the same content already stored is not stored again (its id
        is returned): `audit import` of one kept file twice stores one record."""
        return self.add(record, once)[0]

    def add(self, record: Record, once: bool = False) -> tuple[int, bool]:
        """`append`, also saying whether the record was new (False: it was stored already)."""
        if record.report_sha256 != report_digest(record.report):
            raise ValueError("record.report_sha256 is not report_digest(record.report)")
        if self.version < SEALED_SINCE:
            raise ValueError("open the store with create=True to write: a schema-1 database is sealed first")
        values = _stored(record)
        content = content_digest(values)
        row = [values[c] for c in COLUMNS[1:]]
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            if once:
                found = self._conn.execute("SELECT id FROM seals WHERE content_sha256 = ? ORDER BY id LIMIT 1",
                                           (content,)).fetchone()
                if found is not None:
                    self._conn.execute("COMMIT")
                    return found[0], False
            last = self._conn.execute("SELECT id, seal_sha256 FROM seals ORDER BY id DESC LIMIT 1").fetchone()
            cursor = self._conn.execute(
                f"INSERT INTO records ({', '.join(COLUMNS[1:])}) VALUES ({', '.join('?' * len(row))})", row)
            new_id = cursor.lastrowid
            assert new_id is not None
            prev_id, prev_seal = (last[0], last[1]) if last else (None, seals.GENESIS)
            self._conn.execute("INSERT INTO seals VALUES (?, ?, ?, ?, ?, 'stored')",
                               (new_id, content, prev_id, prev_seal,
                                seals.seal_digest(new_id, prev_id, prev_seal, content)))
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(self._conn)
            raise unsaved(record, self.path, f"the database refused it ({exc})") from None
        return new_id, True

    def get(self, record_id: int) -> Record:
        """The record with this id, its seal and both its links in the chain checked (R004 if absent,
        R006 if it, or its place in the chain, was altered)."""
        window = self._rows("WHERE r.id < ? ORDER BY r.id DESC LIMIT 1", (record_id,)) + \
            self._rows("WHERE r.id >= ? ORDER BY r.id LIMIT 2", (record_id,))
        if not any(row[0] == record_id for row in window):
            raise _error("R004", f"no record with id {record_id} in {self.path}",
                         "`advisor audit list` shows the stored records and their ids")
        start = window[0] if window[0][0] < record_id else None
        links = [row for row in window if row[0] >= record_id]
        checked = self._check_rows(links, start=start)
        return next(self._trusted(c) for c in checked if c.id == record_id)

    def scan(self) -> Iterator[Checked]:
        """Every record, oldest first, one at a time (never all in memory), each with its seal and its link
        to the one before checked: a damaged record is yielded with its problem and the walk goes on."""
        try:
            cursor = self._conn.execute(f"{_SELECT if self.version >= SEALED_SINCE else _SELECT_V1} ORDER BY r.id")
            given = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'records'").fetchone()
        except sqlite3.Error as exc:
            raise _unreadable(self.path, exc) from None
        yield from self._check_rows(_rows_of(cursor, self.path), last_id_given=given[0] if given else 0)

    def records(self) -> Iterator[Record]:
        """Every record, oldest first, one at a time; the first damaged one raises R006."""
        for checked in self.scan():
            yield self._trusted(checked)

    def list(self) -> builtins.list[Record]:
        """Every record, oldest first, in full and checked like `get`."""
        return builtins.list(self.records())

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM records").fetchone()[0])

    def head(self) -> str | None:
        """The newest seal: keep it elsewhere to notice records cut from the end together with their seals."""
        if self.version < SEALED_SINCE:
            return None
        row = self._conn.execute("SELECT seal_sha256 FROM seals ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, where: str, args: tuple[Any, ...]) -> builtins.list[tuple[Any, ...]]:
        try:
            cursor = self._conn.execute(f"{_SELECT if self.version >= SEALED_SINCE else _SELECT_V1} {where}", args)
            return builtins.list(_rows_of(cursor, self.path))
        except sqlite3.Error as exc:
            raise _unreadable(self.path, exc) from None

    def _check_rows(self, rows: Iterable[tuple[Any, ...]], last_id_given: int = 0,
                    start: tuple[Any, ...] | None = None) -> Iterator[Checked]:
        """Each row as a Checked record: its report against its sha256 and (schema 2) its seal and its link
        to the row before (`start`: the row before the first; None: they start at the beginning). A row is
        yielded once the next one has been read, since a broken link may be the older record's doing."""
        sealed = self.version >= SEALED_SINCE
        prev = _link(dict(zip(COLUMNS, start)), start[len(COLUMNS):]) if start and sealed else None
        held: Checked | None = None
        last = 0
        for row in rows:
            values = dict(zip(COLUMNS, row[:len(COLUMNS)], strict=True))
            record, problem = self._record(values)
            checked = Checked(values["id"], record, problem)
            last = checked.id
            gone: builtins.list[Checked] = []
            if sealed:
                link = _link(values, row[len(COLUMNS):])
                for ids, why in seals.step(prev, link):
                    diagnostic = _tampered(self.path, why)
                    if held is not None and held.id in ids and held.problem is None:
                        held = Checked(held.id, None, diagnostic)
                    if checked.id in ids and checked.problem is None:
                        checked = Checked(checked.id, None, diagnostic)
                    gone += [Checked(i, None, diagnostic) for i in ids if i not in (checked.id, held and held.id)]
                prev = link
            if held is not None:
                yield held
            yield from gone
            held = checked
        if held is not None:
            yield held
        if sealed:
            for ids, why in seals.tail(last, last_id_given):
                yield Checked(ids[0], None, _tampered(self.path, why))

    def _trusted(self, checked: Checked) -> Record:
        if checked.problem is not None or checked.record is None:
            raise RecordError([checked.problem] if checked.problem else [])
        return checked.record

    def _record(self, values: dict[str, Any]) -> tuple[Record | None, Diagnostic | None]:
        try:
            intact = hashlib.sha256(values["report"].encode("utf-8")).hexdigest() == values["report_sha256"]
            parsed = {c: json.loads(values[c]) for c in JSON_COLUMNS}
        except (AttributeError, ValueError):   # not text, or not JSON
            intact = False
        if not intact:
            return None, _tampered(self.path, f"record {values['id']} was altered outside the advisor: "
                                   "its report no longer matches the sha256 stored with it")
        return Record(**{**values, **parsed}), None


def _rows_of(cursor: sqlite3.Cursor, path: Path) -> Iterator[tuple[Any, ...]]:
    """Rows one at a time; a page that cannot be read is R002 (damaged), not a traceback."""
    try:
        yield from cursor
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from None


def _link(values: dict[str, Any], seal_row: tuple[Any, ...]) -> seals.Link:
    seal = None if seal_row[0] is None else seals.Seal(*seal_row)
    try:
        content: str | None = content_digest(values)
    except (TypeError, ValueError):
        content = None
    return seals.Link(values["id"], seal, content)


def _tampered(path: Path, why: str) -> Diagnostic:
    return Diagnostic("R006", f"{why} (in {path})",
                      hint="do not rely on this record; restore the database from a backup to see what was "
                           "recorded (the other records are checked on their own)")


def save(record: Record, path: Path, once: bool = False) -> int:
    """Open the store at `path`, append `record` and close; a record that cannot be stored goes to a file (R005)."""
    return save_new(record, path, once)[0]


def save_new(record: Record, path: Path, once: bool = False) -> tuple[int, bool]:
    """`save`, also saying whether the record was new (False: the same record was stored already)."""
    try:
        store = Store.open(path)
    except RecordError as exc:
        raise unsaved(record, path, "the database could not be opened", exc.diagnostics) from None
    with store:
        return store.add(record, once)


def unsaved(record: Record, path: Path, why: str, causes: Iterable[Diagnostic] = ()) -> RecordError:
    """Keep `record` in a file of its own next to the database, else in the per-user data folder, else in
    the current folder, and say where (R005); see kept.py."""
    try:
        data_home().mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        pass                               # then the current folder, the last resort
    return kept.keep(record, path, why, (path.parent, data_home(), Path.cwd()), causes)


def read_unsaved(path: Path) -> Record:
    """A record kept by `unsaved`, every field checked, ready to `append` again (R007 if damaged)."""
    record: Record = kept.read_kept(path)
    return record


def _create(path: Path) -> None:
    """A new, empty record database at `path`, made whole in a temporary file and linked into place (never
    over another file), readable by its owner only: a 0-byte file at `path` is never the advisor's."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA:
                conn.execute(statement)
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.chmod(temp, 0o600)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass                           # another process made it meanwhile: use theirs
    except (sqlite3.Error, OSError) as exc:
        raise _error("R001", f"cannot create the record database {path}: {getattr(exc, 'strerror', None) or exc}",
                     "check that the folder exists and is writable, or set ADVISOR_DB to another file") from None
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            try:
                leftover.unlink()
            except OSError:
                pass


def _seal_old(conn: sqlite3.Connection, path: Path) -> int:
    """Seal a schema-1 database in one transaction: add the seals table and a seal for every record as it is
    now (marked 'migrated'); no record is rewritten. A record whose report is already altered is refused."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] >= SEALED_SINCE:
            conn.execute("COMMIT")         # another writer sealed it while we waited
            return _check(conn, path)
        old = Store(path, conn, 1)
        for statement in SEALS:
            conn.execute(statement)
        prev_id, prev_seal = None, seals.GENESIS
        for row in conn.execute(f"{_SELECT_V1} ORDER BY r.id").fetchall():
            values = dict(zip(COLUMNS, row, strict=True))
            problem = old._record(values)[1]
            if problem is not None:
                raise RecordError([problem, Diagnostic(
                    "R006", f"{path} was not sealed: a record in it was altered before it could be",
                    hint="restore the database from a backup; the advisor writes no more records into it")])
            content = content_digest(values)
            seal = seals.seal_digest(values["id"], prev_id, prev_seal, content)
            conn.execute("INSERT INTO seals VALUES (?, ?, ?, ?, ?, 'migrated')",
                         (values["id"], content, prev_id, prev_seal, seal))
            prev_id, prev_seal = values["id"], seal
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise
    return SCHEMA_VERSION


def _check(conn: sqlite3.Connection, path: Path) -> int:
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
    seal_columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(seals)"))
    triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    if version not in TRIGGERS or columns != COLUMNS or not TRIGGERS[version] <= triggers or (
            version >= SEALED_SINCE and seal_columns != SEAL_COLUMNS):
        raise _damaged(path, "its tables or append-only triggers are not the ones the advisor made")
    return int(version)


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


def _damaged(path: Path, why: str, hint: str = "") -> RecordError:
    return _error("R002", f"{path} is not an advisor record database, or it is damaged: {why}",
                  hint or "the advisor left the file untouched; restore it from a backup, or set ADVISOR_DB to "
                  "another file")


def _error(code: str, message: str, hint: str) -> RecordError:
    return RecordError([Diagnostic(code, message, hint=hint)])
