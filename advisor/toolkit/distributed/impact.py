"""`advisor diff --engine ray`: every case of batch sources under the old and the new rules, on Ray.

Each worker holds both rule sets; per case it sends one JSON line (`pair.Pair.line`). The driver prints each changed case as it arrives, in input order (the lines `advisor diff` prints), and
counts, per rule, the cases that gain, lose, reorder or reword it.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...i18n import said
from ...records.replay import Difference
from ..batch import Item, _file_item, items
from ..diff import CaseChange, render_change
from .jobs import actors
from .schedule import PARTITION, Stats, results

KINDS = ("gained", "lost", "moved", "reworded")


def died(item: Item) -> str:
    return json.dumps({"key": item.key, "status": "error", "errors": [
        {"code": "B001", "message": "the worker process evaluating this case died each time it ran alone"}]})


def sources(paths: Iterable[Path]) -> Iterator[Item]:
    """The cases of batch sources: folders of case files, .jsonl files, single case files."""
    for path in paths:
        if path.is_dir() or path.suffix == ".jsonl":
            yield from items(path)
        else:
            yield _file_item(path)


@dataclass
class Tally:
    total: int = 0
    changed: int = 0
    errors: int = 0
    per_rule: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, d: Difference) -> None:
        for kind, rules in zip(KINDS, (d.gained, d.lost, [m[0] for m in d.moved], [w[0] for w in d.reworded])):
            for rule in rules:
                counts = self.per_rule.setdefault(rule, dict.fromkeys(KINDS, 0))
                counts[kind] += 1


def change_of(row: dict[str, Any]) -> CaseChange:
    d = Difference(gained=list(row["gained"]), lost=list(row["lost"]), moved=[tuple(m) for m in row["moved"]],
                   reworded=[tuple(w) for w in row["reworded"]], figures=[tuple(f) for f in row["figures"]],
                   ruleset_changed=True)
    return CaseChange(row["key"], d)


def run(paths: Iterable[Path], old_dir: Path, new_dir: Path, echo: Callable[[str], None],
        address: str | None = None, workers: int | None = None, size: int = PARTITION,
        stats: Stats | None = None, lang: str = "zh") -> Tally:
    """Diff every case of `paths` on Ray; `echo` gets each changed case's lines (and each unreadable case),
    worded in `lang` as the local diff words them."""
    tally = Tally()
    with actors(new_dir, old_dir, address, workers) as started:
        for _, line in results(sources(paths), started, died, size, stats):
            row = json.loads(line)
            tally.total += 1
            if row["status"] == "error":
                tally.errors += 1
                first = row["errors"][0] if row["errors"] else {"code": "?", "message": ""}
                echo(f"! {row['key']}\n  {first['code']} {first['message']}\n")
                continue
            change = change_of(row)
            if not change.difference.identical:
                tally.changed += 1
                tally.count(change.difference)
                echo("\n".join(render_change(change, lang)) + "\n")
    return tally


def render_counts(tally: Tally, lang: str = "zh") -> str:
    """Per rule, how many cases gain, lose, reorder and reword it; rules sorted by id."""
    out = [] if not tally.per_rule else [said("按规则统计的个案数：+ 新增  - 失去  ~# 顺序变化  ~w 措辞变化",
                "cases per rule: + gained  - lost  ~# reordered  ~w reworded").get(lang)]
    width = max((len(rule) for rule in tally.per_rule), default=0)
    for rule in sorted(tally.per_rule):
        c = tally.per_rule[rule]
        out.append(f"  {rule:<{width}}  +{c['gained']}  -{c['lost']}  ~#{c['moved']}  ~w{c['reworded']}")
    if tally.errors:
        out.append(said(f"{tally.errors} 个个案无法读取或评估（见上方 !）",
                        f"{tally.errors} cases could not be read or evaluated (see ! above)").get(lang))
    return "".join(line + "\n" for line in out)
