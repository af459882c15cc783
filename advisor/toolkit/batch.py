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
from typing import Any, BinaryIO

from ..errors import AdvisorError, CaseError, Diagnostic, Location, OutputError
from ..i18n import Said, said
from .trim import Trimmer
from ..load.read import MAX_BYTES
from ..model import Case

STATUSES = ("ok", "error")


@dataclass(frozen=True)
class Item:
    """One case to run: its key (file path, or path:line of a JSON Lines file), the file and its bytes."""

    key: str
    path: str
    data: bytes
    unreadable: str | Said = ""   # why the file could not be read (then `data` is empty)
    line: int = 0                 # its line number in a JSON Lines file; 0 for a case file

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def items(source: Path) -> Iterator[Item]:
    """The cases of a folder or a .jsonl file, in a stable order, each read once, one at a time (a JSON
    Lines file is read line by line: a batch never holds its whole input)."""
    if source.is_dir():
        for path in sorted(source.glob("*.yaml")):
            yield _file_item(path)
        return
    with source.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            line = line.removesuffix(b"\n")
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]                            # a byte-order mark, as `run` allows
            if line.strip():
                yield Item(f"{source}:{number}", str(source), line.strip(), line=number)


def _file_item(path: Path) -> Item:
    """A case file's bytes; a folder, FIFO or device named *.yaml is not read (it could block the batch)."""
    try:
        if not path.is_file():
            return Item(str(path), str(path), b"", said("这不是一个普通文件", "this is not a regular file"))
        with path.open("rb") as handle:
            return Item(str(path), str(path), handle.read(MAX_BYTES + 1))  # `decode` reports an oversized file
    except OSError as exc:
        why = exc.strerror or exc
        return Item(str(path), str(path), b"", said(f"无法读取文件：{why}", f"cannot read file: {why}"))


def evaluate(item: Item) -> str:
    """The result line of one case (in a worker process, after `start`)."""
    result: dict[str, Any] = {"key": item.key, "path": item.path, "sha256": item.sha256}
    try:
        brief = _ADVISOR.brief(case_of(item))     # what `advise` gives, without what the line omits
        result.update(status="ok", case=brief.case, summary=brief.summary,
                      advice=[{"rank": n, "rule": rule, "priority": priority} for n, rule, priority in brief.advice],
                      ruleset=brief.fingerprint)
    except AdvisorError as exc:
        result.update(status="error", exit_code=exc.exit_code, errors=[_diagnostic(d) for d in exc.diagnostics])
    except Exception as exc:  # a bug: one result line says so; the batch goes on
        result.update(status="error", exit_code=70,
                      errors=[{"code": "I000", "message": f"{type(exc).__name__}: {exc}"}])
    TRIMMER.done()                                 # a long run gives freed memory back (toolkit/trim.py)
    return line_of(result)


def case_of(item: Item) -> Case:
    """The case an item holds, read as `advisor run` reads a file; CaseError when it cannot be."""
    from ..load.cases import load_case_text
    from ..load.jsonl import load_case_line
    from ..load.read import decode

    if item.unreadable:
        raise CaseError([Diagnostic("Y000", item.unreadable, Location(item.key, 0, 0))])
    source, problems = decode(item.data, item.key, "Y000")
    if source is None:
        raise CaseError(problems)
    load = load_case_line if item.line else load_case_text    # a JSON line: the JSON parser first
    return load(source.text, item.key)


def line_of(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=True)


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    where = {"file": d.location.file, "line": d.location.line, "col": d.location.col} if d.location else None
    return {"code": d.code, "message": d.message, "where": where, "hint": d.hint}


_ADVISOR: Any = None
TRIMMER = Trimmer()


def start(rules_dir: str) -> None:
    """Worker set-up: build the advisor once per process."""
    global _ADVISOR
    from ..advise import Advisor
    _ADVISOR = Advisor.from_folder(Path(rules_dir))


# -- the results file ----------------------------------------------------------------------
@dataclass
class Previous:
    """What an existing results file holds: for each key, the (sha256, status) of its result rows, in
    order (not the rows: a resumed batch of a million cases holds a few hundred bytes a case, not the
    results), and how many other lines it has."""

    rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
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


def _lines(handle: BinaryIO) -> Iterator[tuple[int, bytes, dict[str, Any] | None]]:
    """Each line of a results file with its byte offset and its row (None: not a complete result), read
    one line at a time. Lines end as `bytes.splitlines` ends them (at \\n, \\r\\n or a lone \\r). A last
    line missing only its newline counts as complete: `previous` ends it before anything is appended."""
    offset = 0
    for chunk in handle:                   # up to and including each \n; a lone \r splits it further
        for line in chunk.splitlines(keepends=True) if b"\r" in chunk else (chunk,):
            row = _row(line if line.endswith(b"\n") else line + b"\n")
            yield offset, line, row
            offset += len(line)


def complete_rows(out: Path) -> Iterator[dict[str, Any]]:
    """The complete result rows of a results file, in order: what any reader of it should take."""
    with out.open("rb") as handle:
        for _, _, row in _lines(handle):
            if row is not None:
                yield row


def previous(out: Path) -> Previous:
    """Read `out` without changing what it holds: its complete rows by key; every other line is recorded,
    once, in `<out>.damaged`. A torn last line is ended with a newline (nothing is removed)."""
    found = Previous()
    if not out.is_file():                 # absent, or a device such as /dev/stdout: nothing to resume
        return found
    try:
        bad: list[tuple[int, bytes]] = []
        last = b""
        with out.open("rb") as handle:
            for offset, line, row in _lines(handle):
                last = line
                if row is None:
                    bad.append((offset, line))
                else:
                    found.rows.setdefault(row["key"], []).append((row["sha256"], row["status"]))
        if last and not last.endswith(b"\n"):
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
class Todo:
    """The cases of `source` still to run, read from it again each time it is iterated (never held in a
    list); `len` is how many there were when `pending` looked."""

    source: Path
    before: Previous
    count: int

    def __iter__(self) -> Iterator[Item]:
        for item in items(self.source):
            if not _done(self.before, item):
                yield item

    def __len__(self) -> int:
        return self.count


@dataclass(frozen=True)
class Pending:
    """The cases still to run, how many are done, how many of those failed, lines set aside."""

    todo: Todo
    done: int
    failed: int
    damaged: int
    stale: dict[str, list[str]]                     # key -> sha256 of results its new bytes supersede


def _done(before: Previous, item: Item) -> list[str]:
    """The statuses of the results `before` holds for the item's current bytes."""
    rows = before.rows.get(item.key)
    if not rows:
        return []
    sha = item.sha256
    return [status for digest, status in rows if digest == sha]


def pending(source: Path, out: Path) -> Pending:
    """The cases of `source` without a result for their current bytes in `out` (one pass over `source`
    to count them, holding no case; `todo` reads them again as they run)."""
    before = previous(out)
    count = done = failed = 0
    stale: dict[str, list[str]] = {}
    for item in items(source):
        current = _done(before, item)
        if current:
            done += 1
            failed += current[-1] == "error"
            continue
        count += 1
        old = sorted({digest for digest, _ in before.rows.get(item.key, ())})
        if old:
            stale[item.key] = old
    return Pending(Todo(source, before, count), done, failed, before.damaged, stale)
