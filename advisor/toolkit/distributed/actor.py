"""The Ray worker: one long-lived Advisor per worker process, built once per rule set, fed partitions.

Plain Python (wrapped with `ray.remote` by `cluster.worker_class`), so it can be read and tested without Ray.
A partition stops at the first case whose line says the engine failed in C (X003) or had failed before
(X004): the process is tainted, the driver restarts the actor and sends it the cases not yet evaluated.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..batch import Item, evaluate, start
from .rules import RulesContent

# An unescaped `"code": "X003"` occurs in a result line only as a diagnostic's code (json.dumps escapes the
# quotes of any text from a case), so the test needs no parse. X003: this case made the engine fail (its
# result); X004: the engine had failed before (not this case's result: it runs again in a fresh process).
FAILED, REFUSED = '"code": "X003"', '"code": "X004"'

Task = Callable[[Item], str]


@dataclass(frozen=True)
class Reply:
    """What a worker sends back for a partition: one line per case evaluated, in order (fewer than sent
    when the engine became tainted), and the worker's process id and resident memory."""

    lines: tuple[str, ...]
    pid: int
    rss: int                  # bytes
    tainted: bool


def tainted(line: str) -> bool:
    return FAILED in line or REFUSED in line


def rss() -> int:
    """This process's resident set size, in bytes."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Worker:
    """`batch` mode (old is None): the result line of each case, as `advisor batch` writes it.
    `impact` mode: each case under the old and the new rules, as `impact.line`."""

    def __init__(self, rules: bytes, old: bytes | None = None, task: Task | None = None) -> None:
        """`rules` (and `old`): RulesContent.pack() of the rules folders."""
        self._task: Task
        self._tainted = False
        if old is None:
            RulesContent.unpack(rules).using(lambda folder: start(str(folder)))
            self._task = task or evaluate
        else:
            from .pair import Pair

            pair = Pair(RulesContent.unpack(old).using(_build), RulesContent.unpack(rules).using(_build))
            self._task = task or pair.line

    def run(self, items: Sequence[Item]) -> Reply:
        lines: list[str] = []
        for item in items:
            if self._tainted:
                break
            line = self._task(item)
            if REFUSED in line:                   # refused by an engine tainted before: not this case's result
                self._tainted = True
                break
            lines.append(line)
            self._tainted = FAILED in line
        return Reply(tuple(lines), os.getpid(), rss(), self._tainted)

    def pid(self) -> int:
        return os.getpid()


def _build(folder: Path) -> Any:
    from ...advise import Advisor
    from ...load.rules import load_rules

    return Advisor.build(load_rules(folder))
