"""The record database as a file: its schema (tables, append-only triggers, seals), where it lives, how it
is made whole before it appears, how an older one is sealed, and how a file is checked before it is trusted."""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from . import seals
from ..errors import Diagnostic, RecordError
from ..i18n import Said, chinese, said
from .record import COLUMNS, JSON_COLUMNS, Record, content_digest

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



SELECT_V1 = f"SELECT {', '.join(COLUMNS)} FROM records r"


def row_record(path: Path, values: dict[str, Any]) -> tuple[Record | None, Diagnostic | None]:
    """A stored row as a Record, or R006 when its report no longer matches the sha256 stored with it."""
    try:
        intact = hashlib.sha256(values["report"].encode("utf-8")).hexdigest() == values["report_sha256"]
        parsed = {c: json.loads(values[c]) for c in JSON_COLUMNS}
    except (AttributeError, ValueError):   # not text, or not JSON
        intact = False
    if not intact:
        return None, tampered(path, said(f"第 {values['id']} 号记录在 advisor 之外被改动过：它的报告和一起存下的 sha256 对不上了",
                                         f"record {values['id']} was altered outside the advisor: "
                                         "its report no longer matches the sha256 stored with it"))
    return Record(**{**values, **parsed}), None


def tampered(path: Path, why: str | Said) -> Diagnostic:
    return Diagnostic("R006", said(f"{chinese(why)}（在 {path} 中）", f"{why} (in {path})"),
                      hint=said("不要依赖这条记录；要看当时记录了什么，请从备份恢复数据库（其他记录各自单独核对）",
                                "do not rely on this record; restore the database from a backup to see what was "
                                "recorded (the other records are checked on their own)"))



def create(path: Path) -> None:
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
        why = getattr(exc, 'strerror', None) or exc
        raise record_error("R001", said(f"无法创建记录数据库 {path}：{why}", f"cannot create the record database {path}: {why}"),
                           said("检查这个文件夹是否存在、是否可写，或者把 ADVISOR_DB 设为另一个文件",
                                "check that the folder exists and is writable, or set ADVISOR_DB to another file")) from None
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            try:
                leftover.unlink()
            except OSError:
                pass


def seal_old(conn: sqlite3.Connection, path: Path) -> int:
    """Seal a schema-1 database in one transaction: add the seals table and a seal for every record as it is
    now (marked 'migrated'); no record is rewritten. A record whose report is already altered is refused."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] >= SEALED_SINCE:
            conn.execute("COMMIT")         # another writer sealed it while we waited
            return check(conn, path)
        for statement in SEALS:
            conn.execute(statement)
        prev_id, prev_seal = None, seals.GENESIS
        for row in conn.execute(f"{SELECT_V1} ORDER BY r.id").fetchall():
            values = dict(zip(COLUMNS, row, strict=True))
            problem = row_record(path, values)[1]
            if problem is not None:
                raise RecordError([problem, Diagnostic(
                    "R006", said(f"{path} 没有封印：其中有一条记录在封印之前就被改动过",
                                 f"{path} was not sealed: a record in it was altered before it could be"),
                    hint=said("从备份恢复数据库；advisor 不会再往里面写记录",
                              "restore the database from a backup; the advisor writes no more records into it"))])
            content = content_digest(values)
            seal = seals.seal_digest(values["id"], prev_id, prev_seal, content)
            conn.execute("INSERT INTO seals VALUES (?, ?, ?, ?, ?, 'migrated')",
                         (values["id"], content, prev_id, prev_seal, seal))
            prev_id, prev_seal = values["id"], seal
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return SCHEMA_VERSION


def check(conn: sqlite3.Connection, path: Path) -> int:
    """Ours (application id), not newer (schema version), intact (integrity check) and of the known shape."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise damaged(path, said("它没有 advisor 的应用标识（application id）", "it does not carry the advisor's application id"))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise record_error("R003", said(f"记录数据库 {path} 是由更新版本的 advisor 写的"
                                        f"（记录格式第 {version} 版；这个 advisor 最多读到第 {SCHEMA_VERSION} 版）",
                                        f"the record database {path} was written by a newer advisor "
                                        f"(record schema {version}; this advisor reads up to {SCHEMA_VERSION})"),
                           said("升级 advisor 再读它，或者把 ADVISOR_DB 设为另一个文件",
                                "upgrade the advisor to read it, or set ADVISOR_DB to another file"))
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        found = "; ".join(problems[:3])
        raise damaged(path, said(f"完整性检查没有通过：{found}", f"integrity check failed: {found}"))
    columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(records)"))
    seal_columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(seals)"))
    triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    if version not in TRIGGERS or columns != COLUMNS or not TRIGGERS[version] <= triggers or (
            version >= SEALED_SINCE and seal_columns != SEAL_COLUMNS):
        raise damaged(path, said("它的表或只许追加的触发器不是 advisor 建的那些",
                                 "its tables or append-only triggers are not the ones the advisor made"))
    return int(version)


def rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass                           # the write failed already; R005 says so


def unreadable(path: Path, exc: Exception) -> RecordError:
    """R002 when SQLite finds the file is no database or is corrupt; R001 when it cannot get at it (locked, I/O)."""
    if getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return damaged(path, str(exc))
    return record_error("R001", said(f"无法读取记录数据库 {path}：{exc}", f"cannot read the record database {path}: {exc}"),
                        said("检查这个文件是否可读、有没有被别的程序占用，然后再试",
                             "check that the file is readable and not held by another program, then try again"))


def damaged(path: Path, why: str | Said, hint: str | Said = "") -> RecordError:
    return record_error("R002", said(f"{path} 不是 advisor 的记录数据库，或者已经损坏：{chinese(why)}",
                                     f"{path} is not an advisor record database, or it is damaged: {why}"),
                        hint or said("advisor 没有动这个文件；请从备份恢复它，或者把 ADVISOR_DB 设为另一个文件",
                                     "the advisor left the file untouched; restore it from a backup, or set ADVISOR_DB to "
                                     "another file"))


def record_error(code: str, message: str | Said, hint: str | Said) -> RecordError:
    return RecordError([Diagnostic(code, message, hint=hint)])
