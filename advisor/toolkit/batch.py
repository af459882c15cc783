"""Batch stage: many cases over worker processes, one JSON result line per case, resumable.

Input: a folder of case files (*.yaml, sorted) or a JSON Lines file (one case per line, as a JSON
object shaped like a case file). Output: one line per case, in input order, each naming the case
(`key`, `path`), the sha256 of its bytes, and either the advice or the errors — a bad case is a result
line, never an aborted batch. Case bytes are read once and decoded exactly as `advisor run` decodes a file.

Resuming (the same command again) never loses a complete result line: results are only appended; a
line that is not a complete result (torn by a kill, damaged, empty) is copied to `<out>.damaged` before
the results file is rewritten without it, and its case runs again. A case whose bytes changed since its
result was written runs again; the new line names the stale result's sha256 under `supersedes`.
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
    from ..load.cases import load_case_text
    from ..load.read import decode

    result: dict[str, Any] = {"key": item.key, "path": item.path, "sha256": item.sha256}
    try:
        if item.unreadable:
            raise CaseError([Diagnostic("Y000", item.unreadable, Location(item.key, 0, 0))])
        source, problems = decode(item.data, item.key, "Y000")
        if source is None:
            raise CaseError(problems)
        report = _ADVISOR.advise(load_case_text(source.text, item.key))
        result.update(status="ok", case=report.case, summary=dict(report.summary),
                      advice=[{"rank": a.rank, "rule": a.rule, "priority": a.priority} for a in report.advice],
                      ruleset=report.fingerprint)
    except AdvisorError as exc:
        result.update(status="error", exit_code=exc.exit_code, errors=[_diagnostic(d) for d in exc.diagnostics])
    except Exception as exc:  # a bug: one result line says so; the batch goes on
        result.update(status="error", exit_code=70,
                      errors=[{"code": "I000", "message": f"{type(exc).__name__}: {exc}"}])
    return line_of(result)


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
    """What an existing results file holds: result rows by key, and the lines that were set aside."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    damaged: int = 0


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


def previous(out: Path) -> Previous:
    """Read `out`; lines that are not complete results go to `<out>.damaged`, then leave `out`."""
    found = Previous()
    if not out.is_file():                 # absent, or a device such as /dev/stdout: nothing to resume
        return found
    try:
        raw = out.read_bytes()
        good: list[bytes] = []
        bad: list[bytes] = []
        for line in raw.splitlines(keepends=True):
            row = _row(line)
            if row is None:
                bad.append(line)
                continue
            good.append(line)
            found.rows.setdefault(row["key"], []).append(row)
        if bad:
            _set_aside(out, good, bad)
    except OSError as exc:
        raise OutputError.writing(out, exc) from None
    found.damaged = len(bad)
    return found


def _set_aside(out: Path, good: list[bytes], bad: list[bytes]) -> None:
    """Keep the bad lines in `<out>.damaged` (appended, synced), then replace `out` by its good lines."""
    aside = out.with_name(out.name + ".damaged")
    with aside.open("ab") as handle:
        handle.writelines(bad if bad[-1].endswith(b"\n") else [*bad, b"\n"])
        handle.flush()
        os.fsync(handle.fileno())
    fresh = out.with_name(out.name + ".resume-tmp")
    with fresh.open("wb") as handle:
        handle.writelines(good)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(fresh, out)


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
