"""Memory at scale: resident memory of a batch worker and of `advisor diff` after N cases, in one run.

Each case is parsed and advised as the real thing does it: the batch worker's `evaluate(item)` on JSON
Lines items (every case different: the shipped cases with their names and amounts varied), and diff's
`case_change` (old and new rules, parsed from the case text) on the same cases. RSS is read from
/proc/self/statm after a garbage collection, at each checkpoint (default 1,000, 10,000 and 100,000 cases).
Goal (issue 18): RSS at the last checkpoint at most 10% above RSS at the first.

Usage: python benchmarks/memory.py [--counts 1000,10000,100000] [--only batch|diff] [--json]
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident memory now (not the peak), after a collection, in MB."""
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE / 2**20


def case_lines(count: int) -> Iterator[str]:
    """`count` JSON lines, each a shipped case with its own name and amounts (deterministic)."""
    shipped = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "cases").glob("*.yaml"))]
    for i in range(count):
        case = dict(shipped[i % len(shipped)])
        case["name"] = f"case {i:07d}"
        case.pop("expect", None)
        scale = 1 + (i % 89) / 100
        loans = case.get("loans")
        if isinstance(loans, list):
            case["loans"] = [{k: round(v * scale, 2) if k in ("balance", "monthly_payment") and isinstance(v, (int, float))
                              and not isinstance(v, bool) else v for k, v in loan.items()} if isinstance(loan, dict)
                             else loan for loan in loans]
        yield json.dumps(case, ensure_ascii=False, default=str)


def measure(name: str, run_one: Callable[[int, str], Any], counts: list[int]) -> dict[str, Any]:
    checkpoints = set(counts)
    out: dict[str, Any] = {"rss_mb": {}, "seconds": {}}
    start = time.perf_counter()
    out["rss_mb"]["0"] = rss_mb()
    for n, line in enumerate(case_lines(max(counts)), 1):
        run_one(n, line)
        if n in checkpoints:
            out["rss_mb"][str(n)] = rss_mb()
            out["seconds"][str(n)] = time.perf_counter() - start
            print(f"{name}: {n:>9,} cases  RSS {out['rss_mb'][str(n)]:7.1f} MB  "
                  f"{out['seconds'][str(n)]:7.1f} s", file=sys.stderr, flush=True)
    first, last = out["rss_mb"][str(counts[0])], out["rss_mb"][str(counts[-1])]
    out["growth"] = last / first - 1
    return out


def batch_worker() -> Callable[[int, str], Any]:
    from advisor.toolkit import batch

    batch.start(str(ROOT / "rules"))

    def one(n: int, line: str) -> Any:
        row = json.loads(batch.evaluate(batch.Item(f"mem.jsonl:{n}", "mem.jsonl", line.encode("utf-8"), line=n)))
        assert row["status"] == "ok", row
    return one


def diff_process() -> Callable[[int, str], Any]:
    from advisor.advise import Advisor
    from advisor.load.rules import load_rules
    from advisor.toolkit.diff import case_change

    rules = load_rules(ROOT / "rules")
    old, new = Advisor.build(rules), Advisor.build(rules)

    def one(n: int, line: str) -> Any:
        return case_change(old, new, Path(f"case-{n}.yaml"), line)
    return one


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,10000,100000", help="checkpoints, comma-separated, ascending")
    parser.add_argument("--only", choices=("batch", "diff"), help="measure one of the two")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counts = sorted(int(c.replace("_", "")) for c in args.counts.split(","))
    result: dict[str, Any] = {}
    for name, make in (("batch", batch_worker), ("diff", diff_process)):
        if args.only in (None, name):
            result[name] = measure(name, make(), counts)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, r in result.items():
        marks = " · ".join(f"{int(n):,}: {mb:.1f} MB" for n, mb in r["rss_mb"].items() if n != "0")
        print(f"{name:<6} RSS after {marks} · growth {counts[0]:,}→{counts[-1]:,}: {r['growth'] * 100:+.1f}% "
              f"(goal: growth ≤ 10%) · {counts[-1] / r['seconds'][str(counts[-1])]:.0f} cases/s")


if __name__ == "__main__":
    main()
