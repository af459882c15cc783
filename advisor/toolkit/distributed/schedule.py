"""Partitions over actors, results in input order, every case exactly once.

Cases go in partitions of `size` (a few hundred, so a task's overhead is spread thin), at most `DEPTH` in
flight per worker, and come back in input order, however the workers finish. When a worker dies (killed,
out of memory, a crash in C), the partitions it held run again case by case on the restarted workers: a case
that kills its worker alone too gets the line `died(item)` says, and the rest go on. A reply cut short by a
tainted engine has its remaining cases sent again after the worker is restarted.
"""
from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...errors import Diagnostic
from ...i18n import said
from ..batch import Item
from .actor import Reply

PARTITION = 256
DEPTH = 2
ALONE_TRIES = 2                              # a case alone whose worker dies this often is the cause
REVIVE_TRIES = 5
REVIVE_SECONDS = 120.0
EARLY = 1_000                                # cases a worker has done when its memory baseline is taken


@dataclass
class Stats:
    """What the workers reported: resident memory by process id (last, highest, and at the first reply after
    EARLY cases, the baseline for "memory stays flat"), cases per process, restarts, retries."""

    rss: dict[int, int] = field(default_factory=dict)
    peak: dict[int, int] = field(default_factory=dict)
    early: dict[int, int] = field(default_factory=dict)
    cases: dict[int, int] = field(default_factory=dict)
    restarts: int = 0
    alone: int = 0                           # cases run again one by one after a worker died


@dataclass
class _Part:
    items: list[Item]
    lines: list[str | None]
    left: int                                # lines still missing


@dataclass(frozen=True)
class _Unit:
    part: _Part
    start: int
    items: list[Item]
    tries: int                               # 0: a partition; n: one case, sent alone for the nth time


def results(todo: Iterable[Item], actors: list[Any], died: Callable[[Item], str], size: int = PARTITION,
            stats: Stats | None = None) -> Iterator[tuple[Item, str]]:
    """(item, line) for every item of `todo`, in order; `actors` are Worker handles (cluster.worker_class)."""
    import ray
    from ray.exceptions import RayActorError

    stats = stats if stats is not None else Stats()
    source = iter(todo)
    parts: deque[_Part] = deque()             # in input order, until yielded
    retry: deque[_Unit] = deque()
    flight: dict[Any, tuple[_Unit, int]] = {}  # object ref -> unit, actor index
    load = [0] * len(actors)
    alone = [False] * len(actors)             # running a case alone: nothing else is sent to it meanwhile
    killed: set[int] = set()                  # processes restarted for a tainted engine
    down: set[int] = set()                    # workers that died: nothing is sent to one until it is back
    exhausted = False

    def pick(single: bool) -> int | None:
        free = [i for i in range(len(actors)) if not alone[i] and load[i] < (1 if single else DEPTH)]
        return min(free, key=lambda i: load[i]) if free else None

    def submit(unit: _Unit, index: int) -> None:
        flight[actors[index].run.remote(unit.items)] = (unit, index)
        load[index] += 1
        alone[index] = unit.tries > 0

    while True:
        for dead in sorted(down):
            _revive(actors[dead])
        down.clear()
        while True:
            if retry:
                index = pick(retry[0].tries > 0)
                if index is None:
                    break
                submit(retry.popleft(), index)
                continue
            index = pick(False)
            if exhausted or index is None or len(parts) >= 2 * DEPTH * len(actors):
                break
            chunk = list(itertools.islice(source, size))
            if not chunk:
                exhausted = True
                break
            part = _Part(chunk, [None] * len(chunk), len(chunk))
            parts.append(part)
            submit(_Unit(part, 0, chunk, 0), index)
        while parts and parts[0].left == 0:
            done = parts.popleft()
            for item, line in zip(done.items, done.lines):
                assert line is not None
                yield item, line
        if not flight:
            if exhausted and not retry:
                return
            continue
        (ref,), _ = ray.wait(list(flight), num_returns=1)
        unit, index = flight.pop(ref)
        load[index] -= 1
        alone[index] = False
        try:
            reply: Reply = ray.get(ref)
        except RayActorError:
            down.add(index)
            if unit.tries >= ALONE_TRIES:      # it died each time with this one case alone: the case is the cause
                _fill(unit, [died(unit.items[0])])
            elif unit.tries:
                retry.appendleft(_Unit(unit.part, unit.start, unit.items, unit.tries + 1))
            else:
                retry.extend(_Unit(unit.part, unit.start + i, [item], 1) for i, item in enumerate(unit.items))
                stats.alone += len(unit.items)
            continue
        stats.rss[reply.pid] = reply.rss
        stats.peak[reply.pid] = max(reply.rss, stats.peak.get(reply.pid, 0))
        stats.cases[reply.pid] = stats.cases.get(reply.pid, 0) + len(reply.lines)
        if stats.cases[reply.pid] >= EARLY:
            stats.early.setdefault(reply.pid, reply.rss)
        _fill(unit, list(reply.lines))
        if reply.tainted:
            if reply.pid not in killed:           # once per process: its other partitions come back cut short too
                killed.add(reply.pid)
                ray.kill(actors[index], no_restart=False)   # a new process, the same rules
                stats.restarts += 1
            rest = unit.items[len(reply.lines):]
            if rest:
                retry.appendleft(_Unit(unit.part, unit.start + len(reply.lines), rest, unit.tries))


def _revive(actor: Any) -> None:
    """Wait until a worker that died is running again (Ray restarts it): a case sent during its restart
    could fail with it, and a case sent alone must fail only for its own sake."""
    import ray
    from ray.exceptions import GetTimeoutError, RayActorError

    for _ in range(REVIVE_TRIES):
        try:
            ray.get(actor.pid.remote(), timeout=REVIVE_SECONDS)
            return
        except (RayActorError, GetTimeoutError):
            continue
    from .cluster import ClusterError

    raise ClusterError([Diagnostic("B014", said("一个 Ray 工作进程死后没有重新启动",
                                                "a Ray worker that died did not start again"),
                                   hint=said("查看集群状态（ray status）；再运行同一命令即可续跑，已完成的个案不会重算",
                                             "check the cluster (`ray status`); the same command again resumes, "
                                             "finished cases are not run again"))])


def _fill(unit: _Unit, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        unit.part.lines[unit.start + i] = line
    unit.part.left -= len(lines)
