"""Decision records: every run kept, append-only, in an embedded SQLite file, so it can be audited and replayed.
The file itself (schema, creation, checks, sealing an older one) is database.py; this module reads and writes
records in it."""
from __future__ import annotations

import builtins
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import kept, seals
from ..errors import Diagnostic, RecordError
from ..i18n import Said, said
from . import database as db
from .database import BUSY_TIMEOUT, SEAL_COLUMNS, SEALED_SINCE, SELECT_V1
from .database import DEFAULT_DB_NAME as DEFAULT_DB_NAME, SCHEMA_VERSION as SCHEMA_VERSION  # re-exported
from .database import data_home as data_home, default_db as default_db
from .seals import canonical_json  # noqa: F401
from .record import COLUMNS, JSON_COLUMNS, Record, _stored, content_digest, content_digest_of, report_digest  # noqa: F401


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
            why = said("它是一个文件夹", "it is a folder") if path.is_dir() else said("没有这个文件", "no such file")
            raise db.record_error("R001", said(f"无法打开记录数据库 {path}：{why.zh}",
                                               f"cannot open the record database {path}: {why}"),
                                  said("检查路径，或者把 ADVISOR_DB 设为记录数据库",
                                       "check the path, or set ADVISOR_DB to the record database"))
        if not path.exists():
            db.create(path)
        elif path.stat().st_size == 0:
            raise db.damaged(path, said("它是空的（0 字节），里面既没有记录也没有表结构",
                                        "it is empty (0 bytes), so it holds no records and no schema"), hint=said(
                "advisor 没有动这个空文件，也没有把它当作新数据库；如果从来没有往里面存过记录，就删掉它（或者另选一个 --db）"
                "再运行；否则请从备份恢复它",
                "the advisor left the empty file untouched rather than treat it as new; if no records were "
                "ever stored in it, delete it (or choose another --db) and run again; otherwise restore it "
                "from a backup"))
        try:
            conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT,
                                   isolation_level=None)
        except sqlite3.Error as exc:
            raise db.record_error("R001", said(f"无法打开记录数据库 {path}：{exc}",
                                               f"cannot open the record database {path}: {exc}"),
                                  said("检查这个文件是否可读可写，或者把 ADVISOR_DB 设为另一个文件",
                                       "check that the file is readable and writable, or set ADVISOR_DB to another file")) from None
        try:
            version = db.check(conn, path)
            if create and version < SEALED_SINCE:
                version = db.seal_old(conn, path)
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            raise db.unreadable(path, exc) from None
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
            db.rollback(self._conn)
            raise unsaved(record, self.path, said(f"数据库拒绝了它（{exc}）", f"the database refused it ({exc})")) from None
        return new_id, True

    def get(self, record_id: int) -> Record:
        """The record with this id, its seal and both its links in the chain checked (R004 if absent,
        R006 if it, or its place in the chain, was altered)."""
        window = self._rows("WHERE r.id < ? ORDER BY r.id DESC LIMIT 1", (record_id,)) + \
            self._rows("WHERE r.id >= ? ORDER BY r.id LIMIT 2", (record_id,))
        if not any(row[0] == record_id for row in window):
            raise db.record_error("R004", said(f"{self.path} 里没有第 {record_id} 号记录",
                                               f"no record with id {record_id} in {self.path}"),
                                  said("`advisor audit list` 会列出存下的记录和它们的编号",
                                       "`advisor audit list` shows the stored records and their ids"))
        start = window[0] if window[0][0] < record_id else None
        links = [row for row in window if row[0] >= record_id]
        checked = self._check_rows(links, start=start)
        return next(self._trusted(c) for c in checked if c.id == record_id)

    def scan(self) -> Iterator[Checked]:
        """Every record, oldest first, one at a time (never all in memory), each with its seal and its link
        to the one before checked: a damaged record is yielded with its problem and the walk goes on."""
        try:
            cursor = self._conn.execute(f"{_SELECT if self.version >= SEALED_SINCE else SELECT_V1} ORDER BY r.id")
            given = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'records'").fetchone()
        except sqlite3.Error as exc:
            raise db.unreadable(self.path, exc) from None
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
            cursor = self._conn.execute(f"{_SELECT if self.version >= SEALED_SINCE else SELECT_V1} {where}", args)
            return builtins.list(_rows_of(cursor, self.path))
        except sqlite3.Error as exc:
            raise db.unreadable(self.path, exc) from None

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
                    diagnostic = db.tampered(self.path, why)
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
                yield Checked(ids[0], None, db.tampered(self.path, why))

    def _trusted(self, checked: Checked) -> Record:
        if checked.problem is not None or checked.record is None:
            raise RecordError([checked.problem] if checked.problem else [])
        return checked.record

    def _record(self, values: dict[str, Any]) -> tuple[Record | None, Diagnostic | None]:
        return db.row_record(self.path, values)


def _rows_of(cursor: sqlite3.Cursor, path: Path) -> Iterator[tuple[Any, ...]]:
    """Rows one at a time; a page that cannot be read is R002 (damaged), not a traceback."""
    try:
        yield from cursor
    except sqlite3.Error as exc:
        raise db.unreadable(path, exc) from None


def _link(values: dict[str, Any], seal_row: tuple[Any, ...]) -> seals.Link:
    seal = None if seal_row[0] is None else seals.Seal(*seal_row)
    try:
        content: str | None = content_digest(values)
    except (TypeError, ValueError):
        content = None
    return seals.Link(values["id"], seal, content)


def save(record: Record, path: Path, once: bool = False) -> int:
    """Open the store at `path`, append `record` and close; a record that cannot be stored goes to a file (R005)."""
    return save_new(record, path, once)[0]


def save_new(record: Record, path: Path, once: bool = False) -> tuple[int, bool]:
    """`save`, also saying whether the record was new (False: the same record was stored already)."""
    try:
        store = Store.open(path)
    except RecordError as exc:
        raise unsaved(record, path, said("数据库打不开", "the database could not be opened"), exc.diagnostics) from None
    with store:
        return store.add(record, once)


def unsaved(record: Record, path: Path, why: str | Said, causes: Iterable[Diagnostic] = ()) -> RecordError:
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


