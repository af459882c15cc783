"""How long `advisor lint` takes on the shipped rules and cases, in process (median of N runs, one run of
this script), next to one `Advisor.advise` of every shipped case for scale.

Usage: python benchmarks/lint.py [--runs N]"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.load.rules import load_rules
from advisor.toolkit.lint import lint

ROOT = Path(__file__).resolve().parent.parent


def _median(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    rules, cases = ROOT / "rules", ROOT / "cases"
    advisor = Advisor.build(load_rules(rules))
    loaded = [load_case(p) for p in sorted(cases.glob("*.yaml"))]
    linting = _median(lambda: lint(rules, cases), runs)
    advising = _median(lambda: [advisor.advise(c) for c in loaded], runs)
    print(f"lint of rules/ and cases/: {linting * 1000:.0f} ms (median of {runs})")
    print(f"advise of all {len(loaded)} cases: {advising * 1000:.0f} ms; lint / advise-all = {linting / advising:.1f}x")


if __name__ == "__main__":
    main()
