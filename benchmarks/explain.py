"""Benchmark of explanations and JSON output against `advise`, all figures from one run.

Per case, over every shipped case (`cases/*.yaml`), rules loaded and registered once, in process:

- advise          `Advisor.advise(case, lang)`                  (explain=False: the advice, its `because` lines)
- advise+explain  `Advisor.advise(case, lang, explain=True)`    (plus the why-tree of every advice item)
- advise+all      `Advisor.advise(case, lang, explain=True, every_rule=True)` when supported
                  (plus the status and tree of every rule: `advisor explain --all`)
- json            `render.json.render(advise(case, lang, explain=True))`: what `advisor run --format json` does
- json.document   the share of `json` spent making the document (render.json.document)
- json.dumps      the share of `json` spent encoding it as `advisor run --format json` does (indent=2,
                  which runs Python's pure-Python encoder)
- json.dumps C    the same document through the C encoder (no indent), for comparison

Each figure is the median of the per-case means over `--runs` rounds (wall time, or CPU time with
`--cpu`, steadier on a shared machine); ratios are to `advise` of the same run.

Usage: python benchmarks/explain.py [--runs N] [--lang zh|en] [--cpu] [--json]
"""
from __future__ import annotations

import argparse
import inspect
import json
import statistics
import time
from pathlib import Path
from typing import Any, Callable

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.load.rules import load_rules
from advisor.model import Case
from advisor.render import json as render_json

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 3


CLOCK = time.perf_counter


def per_case(fn: Callable[[Case], Any], cases: list[Case], runs: int) -> float:
    """Median over rounds of the mean time per case, in microseconds."""
    for _ in range(WARMUP):
        for case in cases:
            fn(case)
    rounds = []
    for _ in range(runs):
        start = CLOCK()
        for case in cases:
            fn(case)
        rounds.append((CLOCK() - start) / len(cases))
    return statistics.median(rounds) * 1e6


def measure(runs: int, lang: str) -> dict[str, float]:
    adv = Advisor.build(load_rules(ROOT / "rules"))
    cases = [load_case(p) for p in sorted((ROOT / "cases").glob("*.yaml"))]
    every = "every_rule" in inspect.signature(adv.advise).parameters   # the script also runs on older code
    reports = {case.name: adv.advise(case, lang, explain=True) for case in cases}
    docs = {name: render_json.document(r) for name, r in reports.items()}
    out = {
        "cases": float(len(cases)),
        "advise": per_case(lambda c: adv.advise(c, lang), cases, runs),
        "advise+explain": per_case(lambda c: adv.advise(c, lang, explain=True), cases, runs),
        "json": per_case(lambda c: render_json.render(adv.advise(c, lang, explain=True)), cases, runs),
        "json.document": per_case(lambda c: render_json.document(reports[c.name]), cases, runs),
        "json.dumps": per_case(lambda c: json.dumps(docs[c.name], ensure_ascii=False, indent=2), cases, runs),
        "json.dumps C": per_case(lambda c: json.dumps(docs[c.name], ensure_ascii=False, separators=(",", ":")),
                                 cases, runs),
    }
    if every:
        out["advise+all"] = per_case(lambda c: adv.advise(c, lang, explain=True, every_rule=True), cases, runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--cpu", action="store_true", help="CPU time of this process instead of wall time")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    r = measure(args.runs, args.lang)
    if args.json:
        print(json.dumps(r, indent=2))
        return
    base = r["advise"]
    clock = "CPU" if args.cpu else "wall"
    print(f"{int(r['cases'])} shipped cases, lang {args.lang}, median of {args.runs} rounds, {clock} µs per case")
    for key, value in r.items():
        if key != "cases":
            print(f"  {key:<16} {value:9.0f} µs   {value / base:5.2f}× advise")


if __name__ == "__main__":
    main()
