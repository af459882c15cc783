"""Soak: many evaluations in one process; memory must stay flat and output must not drift.

Usage: python benchmarks/soak.py [--count N]   (default 100,000; cases/*.yaml round-robin)
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.load.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    count = parser.parse_args().count
    advisor = Advisor.build(load_rules(ROOT / "rules"))
    cases = [load_case(p) for p in sorted((ROOT / "cases").glob("*.yaml"))]
    first = [advisor.advise(c) for c in cases]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    for i in range(count):
        advisor.advise(cases[i % len(cases)])
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    same = [advisor.advise(c) for c in cases] == first
    print(f"{count:,} evaluations in {seconds:.1f} s; max RSS {rss_before:.1f} MB -> {rss_after:.1f} MB; "
          f"output {'identical' if same else 'CHANGED'}")
    raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
