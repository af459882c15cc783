"""Batch stage: many cases over worker processes, one JSON result line per case, resumable.

Input: a folder of case files (*.yaml, sorted) or a JSON Lines file (one case per line, as a JSON
object shaped like a case file). Output: one line per case, in input order, each naming the case
(`key`), the sha256 of its text, and either the advice or the errors — a bad case is a result line,
never an aborted batch. A batch that was interrupted is resumed by running the same command again:
cases whose key and sha256 already have a complete line are skipped, a half-written last line is cut
off, and nothing is duplicated or lost.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AdvisorError, Diagnostic


@dataclass(frozen=True)
class Item:
    """One case to run: a key that names it, its text, and the name it is shown under."""

    key: str
    text: str
    display: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def items(source: Path) -> Iterator[Item]:
    """The cases of a folder or a .jsonl file, in a stable order."""
    if source.is_dir():
        for path in sorted(source.glob("*.yaml")):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace")  # the loader reports the encoding problem
            yield Item(str(path), text, str(path))
        return
    with source.open(encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield Item(f"{source}:{number}", line.strip(), f"{source}:{number}")


def done(out: Path) -> set[tuple[str, str]]:
    """(key, sha256) of the complete result lines in `out`; a torn last line is cut off."""
    if not out.exists():
        return set()
    raw = out.read_bytes()
    keep = raw.rfind(b"\n") + 1                          # everything after the last newline is torn
    seen: set[tuple[str, str]] = set()
    for line in raw[:keep].splitlines():
        try:
            record = json.loads(line)
            seen.add((record["key"], record["sha256"]))
        except (ValueError, KeyError, TypeError):
            keep = min(keep, raw.find(line))             # a damaged line: redo it and what follows
            break
    if keep < len(raw):
        with out.open("r+b") as handle:
            handle.truncate(keep)
    return seen


# -- worker processes ----------------------------------------------------------------------
_ADVISOR: Any = None


def _start(rules_dir: str) -> None:
    global _ADVISOR
    from .advise import Advisor
    from .rules import load_rules

    _ADVISOR = Advisor.build(load_rules(Path(rules_dir)))


def _run(item: Item) -> str:
    from .cases import load_case_text

    result: dict[str, Any] = {"key": item.key, "sha256": item.sha256}
    try:
        report = _ADVISOR.advise(load_case_text(item.text, item.display))
        result.update(status="ok", case=report.case, summary=dict(report.summary),
                      advice=[{"rank": a.rank, "rule": a.rule, "priority": a.priority} for a in report.advice],
                      ruleset=report.fingerprint)
    except AdvisorError as exc:
        result.update(status="error", exit_code=exc.exit_code, errors=[_diagnostic(d) for d in exc.diagnostics])
    except Exception as exc:  # a bug: one result line says so; the batch goes on
        result.update(status="error", exit_code=70,
                      errors=[{"code": "I000", "message": f"{type(exc).__name__}: {exc}"}])
    return json.dumps(result, ensure_ascii=False, sort_keys=True)


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    where = {"file": d.location.file, "line": d.location.line, "col": d.location.col} if d.location else None
    return {"code": d.code, "message": d.message, "where": where, "hint": d.hint}


def pending(source: Path, out: Path) -> tuple[list[Item], int]:
    """The cases of `source` not yet in `out` (reading each once), and how many are already done."""
    finished = done(out)
    every = list(items(source))
    todo = [i for i in every if (i.key, i.sha256) not in finished]
    return todo, len(every) - len(todo)


def run(todo: list[Item], out: Path, rules_dir: Path, jobs: int, progress: Any = None) -> int:
    """Run the cases, appending one line each to `out`; return how many had errors."""
    # spawn, not fork: a worker must not inherit the parent's durable_rules handles (durable-notes.md)
    context = multiprocessing.get_context("spawn")
    with out.open("a", encoding="utf-8") as sink:
        if jobs <= 1:
            _start(str(rules_dir))
            results: Iterator[str] = map(_run, todo)
            return _write(results, sink, progress)
        with context.Pool(jobs, initializer=_start, initargs=(str(rules_dir),)) as pool:
            return _write(pool.imap(_run, todo, chunksize=8), sink, progress)


def _write(results: Iterator[str], sink: Any, progress: Any) -> int:
    errors = 0
    for line in results:
        sink.write(line + "\n")
        sink.flush()                                     # a complete line survives an interruption
        errors += '"status": "error"' in line
        if progress is not None:
            progress.update(1)
    return errors
