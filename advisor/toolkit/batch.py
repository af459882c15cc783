"""Batch stage: many cases over worker processes, one JSON result line per case, resumable.

Input: a folder of case files (*.yaml, sorted) or a JSON Lines file (one case per line, as a JSON
object shaped like a case file). Output: one line per case, in input order, each naming the case
(`key`, `path`), the sha256 of its bytes, and either the advice or the errors — a bad case is a result
line, never an aborted batch. Case bytes are read once and decoded exactly as `advisor run` decodes a file.

Resuming (the same command again) never loses a complete result line: the results file is only ever
appended to, never rewritten. A line that is not a complete result (torn by a kill, damaged, empty) is
skipped by every reader (`complete_rows`), stays where it is, and is recorded once in `<out>.damaged`
(its byte offset and text, one JSON line each); its case runs again and the new line is appended. A torn
last line is first ended with a newline, so the next result starts a line of its own. A case whose bytes
changed since its result was written runs again; the new line names the stale result's sha256 under
`supersedes`.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AdvisorError, CaseError, Diagnostic, Location, OutputError
from ..load.read import MAX_BYTES
from ..model import Case

STATUSES = ("ok", "error")


@dataclass(frozen=True)
class Item:
    """One case to run: its key (file path, or path:line of a JSON Lines file), the file and its bytes."""

    key: str
    path: str
    data: bytes
    unreadable: str = ""          # why the file could not be read (then `data` is empty)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def items(source: Path) -> Iterator[Item]:
    """The cases of a folder or a .jsonl file, in a stable order, each read once."""
    if source.is_dir():
        for path in sorted(source.glob("*.yaml")):
            yield _file_item(path)
        return
    for number, line in enumerate(source.read_bytes().split(b"\n"), 1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]                                # a byte-order mark, as `run` allows
        if line.strip():
            yield Item(f"{source}:{number}", str(source), line.strip())


def _file_item(path: Path) -> Item:
    """A case file's bytes; a folder, FIFO or device named *.yaml is not read (it could block the batch)."""
    try:
        if not path.is_file():
            return Item(str(path), str(path), b"", "this is not a regular file")
        with path.open("rb") as handle:
            return Item(str(path), str(path), handle.read(MAX_BYTES + 1))  # `decode` reports an oversized file
    except OSError as exc:
        return Item(str(path), str(path), b"", f"cannot read file: {exc.strerror or exc}")


def evaluate(item: Item) -> str:
    """The result line of one case (in a worker process, after `start`)."""
    result: dict[str, Any] = {"key": item.key, "path": item.path, "sha256": item.sha256}
    try:
        report = _ADVISOR.advise(case_of(item))
        result.update(status="ok", case=report.case, summary=dict(report.summary),
                      advice=[{"rank": a.rank, "rule": a.rule, "priority": a.priority} for a in report.advice],
                      ruleset=report.fingerprint)
    except AdvisorError as exc:
        result.update(status="error", exit_code=exc.exit_code, errors=[_diagnostic(d) for d in exc.diagnostics])
    except Exception as exc:  # a bug: one result line says so; the batch goes on
        result.update(status="error", exit_code=70,
                      errors=[{"code": "I000", "message": f"{type(exc).__name__}: {exc}"}])
    return line_of(result)


def case_of(item: Item) -> Case:
    """The case an item holds, read as `advisor run` reads a file; CaseError when it cannot be."""
    from ..load.cases import load_case_text
    from ..load.read import decode

    if item.unreadable:
        raise CaseError([Diagnostic("Y000", item.unreadable, Location(item.key, 0, 0))])
    source, problems = decode(item.data, item.key, "Y000")
    if source is None:
        raise CaseError(problems)
    return load_case_text(source.text, item.key)


def line_of(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=True)


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    where = {"file": d.location.file, "line": d.location.line, "col": d.location.col} if d.location else None
    return {"code": d.code, "message": d.message, "where": where, "hint": d.hint}


_ADVISOR: Any = None


def start(rules_dir: str) -> None:
    """Worker set-up: build the advisor once per process."""
    global _ADVISOR
    from ..advise import Advisor
    from ..load.rules import load_rules

    _ADVISOR = Advisor.build(load_rules(Path(rules_dir)))


# -- the results file ----------------------------------------------------------------------
@dataclass
class Previous:
    """What an existing results file holds: result rows by key, and how many other lines it has."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    damaged: int = 0                  # lines not complete results, first recorded in <out>.damaged this time
    skipped: int = 0                  # all lines not complete results (recorded now or before)


def _row(line: bytes) -> dict[str, Any] | None:
    """A complete result line, or None."""
    if not line.endswith(b"\n"):
        return None
    try:
        row = json.loads(line)
    except ValueError:
        return None
    ok = (isinstance(row, dict) and isinstance(row.get("key"), str) and isinstance(row.get("sha256"), str)
          and row.get("status") in STATUSES)
    return row if ok else None


def _lines(raw: bytes) -> Iterator[tuple[int, bytes, dict[str, Any] | None]]:
    """Each line of a results file with its byte offset and its row (None: not a complete result). A last
    line missing only its newline counts as complete: `previous` ends it before anything is appended."""
    offset = 0
    for line in raw.splitlines(keepends=True):
        row = _row(line if line.endswith(b"\n") else line + b"\n")
        yield offset, line, row
        offset += len(line)


def complete_rows(out: Path) -> Iterator[dict[str, Any]]:
    """The complete result rows of a results file, in order: what any reader of it should take."""
    for _, _, row in _lines(out.read_bytes()):
        if row is not None:
            yield row


def previous(out: Path) -> Previous:
    """Read `out` without changing what it holds: its complete rows by key; every other line is recorded,
    once, in `<out>.damaged`. A torn last line is ended with a newline (nothing is removed)."""
    found = Previous()
    if not out.is_file():                 # absent, or a device such as /dev/stdout: nothing to resume
        return found
    try:
        raw = out.read_bytes()
        bad: list[tuple[int, bytes]] = []
        for offset, line, row in _lines(raw):
            if row is None:
                bad.append((offset, line))
            else:
                found.rows.setdefault(row["key"], []).append(row)
        if raw and not raw.endswith(b"\n"):
            _append(out, b"\n")           # the torn line stays, ended; the next result gets its own line
        found.skipped = len(bad)
        found.damaged = _set_aside(out, bad)
    except OSError as exc:
        raise OutputError.writing(out, exc) from None
    return found


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _set_aside(out: Path, bad: list[tuple[int, bytes]]) -> int:
    """Record in `<out>.damaged` each bad line not recorded there before (by offset); how many were new."""
    aside = out.with_name(out.name + ".damaged")
    known: set[int] = set()
    tail = b""
    if aside.is_file():
        text = aside.read_bytes()
        tail = b"" if not text or text.endswith(b"\n") else b"\n"
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue                  # a torn or older entry: left as it is
            if isinstance(entry, dict) and isinstance(entry.get("offset"), int):
                known.add(entry["offset"])
    new = [(offset, line) for offset, line in bad if offset not in known]
    if new:
        entries = [json.dumps({"offset": offset, "line": line.rstrip(b"\n").decode("utf-8", "backslashreplace")},
                              ensure_ascii=False) + "\n" for offset, line in new]
        _append(aside, tail + "".join(entries).encode("utf-8"))
    return len(new)


@dataclass(frozen=True)
class Pending:
    """The cases still to run, how many are done, how many of those failed, lines set aside."""

    todo: list[Item]
    done: int
    failed: int
    damaged: int
    stale: dict[str, list[str]]                     # key -> sha256 of results its new bytes supersede


def pending(source: Path, out: Path) -> Pending:
    """The cases of `source` without a result for their current bytes in `out`."""
    before = previous(out)
    todo: list[Item] = []
    done = failed = 0
    stale: dict[str, list[str]] = {}
    for item in items(source):
        rows = before.rows.get(item.key, [])
        current = [r for r in rows if r["sha256"] == item.sha256]
        if current:
            done += 1
            failed += current[-1]["status"] == "error"
            continue
        todo.append(item)
        old = sorted({r["sha256"] for r in rows})
        if old:
            stale[item.key] = old
    return Pending(todo, done, failed, before.damaged, stale)
