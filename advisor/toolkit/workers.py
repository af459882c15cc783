"""Worker processes for a batch: a pool that survives a worker killed (OOM, kill -9) or crashed in C code.

Cases go to a `concurrent.futures` pool a few at a time, and results come back in input order. When a
worker dies the pool breaks (`BrokenProcessPool`): the cases that were in flight run again one by one,
each in a process of its own — a case that kills that process too is reported as an error naming the
signal — and the rest of the batch goes on in a fresh pool.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..errors import OutputError
from .batch import Item, evaluate, line_of, start

# spawn, not fork: a worker must not inherit the parent's durable_rules handles (durable-notes.md)
_CONTEXT = multiprocessing.get_context("spawn")


def _start(rules_dir: str, setup: Callable[[str], None] = start) -> None:
    """Build the advisor; and end this worker if the batch process dies (kill -9 leaves no one to stop it)."""
    setup(rules_dir)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def results(todo: Iterable[Item], rules_dir: Path | str, jobs: int, task: Callable[[Item], str],
            setup: Callable[[str], None] = start) -> Iterator[tuple[Item, str]]:
    """(item, result line) for every item, in order. Items are taken from `todo` as workers need them
    (2 per worker in flight), so a batch holds a few cases at a time whatever its size. `setup(rules_dir)`
    prepares each worker process (by default the batch's `start`)."""
    source = iter(todo)
    back: deque[Item] = deque()                        # taken from `todo` but not yet run
    setup_args = (str(rules_dir), setup)

    def take() -> Item | None:
        return back.popleft() if back else next(source, None)

    while (first := take()) is not None:
        back.appendleft(first)
        with ProcessPoolExecutor(jobs, mp_context=_CONTEXT, initializer=_start, initargs=setup_args) as pool:
            window: deque[tuple[Item, Future[str]]] = deque()
            while True:
                while len(window) < 2 * jobs and (item := take()) is not None:
                    try:
                        window.append((item, pool.submit(task, item)))
                    except BrokenProcessPool:
                        back.appendleft(item)
                        break
                if not window:
                    break                                  # the pool broke before taking more: a new one
                item, future = window.popleft()
                try:
                    yield item, future.result()
                except BrokenProcessPool:
                    # Every case still in the window fails with it; those that finished keep their result.
                    for suspect, other in [(item, future), *window]:
                        yield suspect, _alone(suspect, setup_args, task) if _broke(other) else other.result()
                    window.clear()
                    break


def _broke(future: Future[str]) -> bool:
    return isinstance(future.exception(), BrokenProcessPool)


def _child(setup_args: tuple[str, Callable[[str], None]], item: Item, task: Callable[[Item], str], conn: Any) -> None:
    rules_dir, setup = setup_args
    setup(rules_dir)
    conn.send(task(item))
    conn.close()


def _alone(item: Item, setup_args: tuple[str, Callable[[str], None]], task: Callable[[Item], str]) -> str:
    """Run one case in a process of its own; if that process dies too, the case is an error naming how."""
    receive, send = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(setup_args, item, task, send))
    process.start()
    send.close()
    line: str | None
    try:
        line = receive.recv()
    except EOFError:
        line = None
    process.join()
    receive.close()
    if line is not None:
        return line
    code = process.exitcode or 0
    how = f"signal {signal.Signals(-code).name}" if code < 0 and -code in signal.valid_signals() else f"exit {code}"
    return died(item, how)


def died(item: Item, how: str) -> str:
    """The result line of a case whose worker process died evaluating it, every time it was tried."""
    return line_of({"key": item.key, "path": item.path, "sha256": item.sha256, "status": "error", "exit_code": 5,
                    "errors": [{"code": "B001", "where": None,
                                "message": f"the worker process evaluating this case died ({how})",
                                "hint": "the rules engine crashed or the process ran out of memory; "
                                        "try the case alone with `advisor run`"}]})


def run(todo: Iterable[Item], out: Path, rules_dir: Path, jobs: int, progress: Any = None,
        stale: dict[str, list[str]] | None = None, task: Callable[[Item], str] = evaluate) -> list[str]:
    """Run the cases over `jobs` worker processes, appending one line each to `out`; their statuses."""
    return write(results(todo, rules_dir, jobs, task), out, progress, stale)


def write(pairs: Iterable[tuple[Item, str]], out: Path, progress: Any = None,
          stale: dict[str, list[str]] | None = None) -> list[str]:
    """Append each (item, result line), in the order given, to `out`, flushed line by line; their statuses.
    Every engine (local processes, Ray) writes through here, so resuming reads the same file the same way."""
    statuses: list[str] = []
    try:
        with out.open("a", encoding="utf-8") as sink:
            for item, line in pairs:
                if stale and item.key in stale:
                    line = line_of({**json.loads(line), "supersedes": stale[item.key]})
                sink.write(line + "\n")
                sink.flush()                         # a complete line survives an interruption
                statuses.append(json.loads(line)["status"])
                if progress is not None:
                    progress.update(1)
    except OSError as exc:                           # a full disk, a folder that is gone
        raise OutputError.writing(out, exc) from None
    return statuses
