"""`advisor batch --engine ray`: the batch's work on Ray, written through the local batch's writer.

The driver writes each result line in input order with `workers.write`, flushed line by line, exactly as
`--jobs N` does: a killed driver leaves complete lines (and at most one torn line, which resuming sets
aside), and the same command again runs only what is missing. Results are byte-identical to `--jobs 1`.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import workers as local
from ..batch import Item
from .actor import Task
from .jobs import actors
from .schedule import PARTITION, Stats, results


def died(item: Item) -> str:
    return local.died(item, "a Ray worker, each time the case ran alone")


def run(todo: Iterable[Item], out: Path, rules_dir: Path, address: str | None = None, workers: int | None = None,
        progress: Any = None, stale: dict[str, list[str]] | None = None, size: int = PARTITION,
        task: Task | None = None, stats: Stats | None = None) -> list[str]:
    """Run the cases on Ray, appending one line each to `out`; their statuses (as `workers.run`)."""
    with actors(rules_dir, None, address, workers, task) as started:
        return local.write(results(todo, started, died, size, stats), out, progress, stale)
