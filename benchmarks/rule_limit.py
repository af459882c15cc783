"""The number of rules at which durable_rules fails, found by bisection (each try in a fresh process).

Usage: python benchmarks/rule_limit.py [--low 1000] [--high 12000] [--kind generated|minimal]
Each try builds an Advisor over N generated rules (benchmarks/scale.py's mix, N minimal one-test
rules, or N rules of four alternatives each) with the advisor's rule limit lifted, and advises one case. Prints every try and the threshold:
the advisor's MAX_RULES (advisor/rules.py) must sit well below it.

Measured (2 cores, Python 3.11, durable_rules 2.0.28), durable's error 106 (ERR_RULE_LIMIT_EXCEEDED):
  generated (scale.py's mix)   works at 3,717, fails at 3,722
  minimal (one test each)      works at 4,089, fails at 4,095
  or4 (four alternatives each) works at 4,090, fails at 4,096
MAX_RULES is 2,000: 54% of the lowest.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TRY = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from scale import case_with_loans, rules_folder
from advisor import rules as rules_module
rules_module.MAX_RULES = 10**9                      # measure the engine, not the advisor's limit
from advisor.advise import Advisor
from advisor.cases import load_case
n, kind, into = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
if kind in ("minimal", "or4"):
    folder = into / f"min{n}"
    folder.mkdir()
    (folder / "params.yaml").write_text((Path(sys.argv[4]).parent / "rules" / "params.yaml").read_text("utf-8"), "utf-8")
    lines = ["topic: generated", "rules:"]
    for i in range(n):
        lines += [f"  - id: m.r{i}", f"    title: 规则{i}", '    sources: ["1"]', "    when: " + (f"monthly_due > {i}" if kind == "minimal" else
                     f"monthly_due > {i} or loan_count > {i % 9} or total_balance > {i} or monthly_income > {i}"),
                  "    priority: low", f"    advice: 建议{i}"]
    (folder / "generated.yaml").write_text("\\n".join(lines) + "\\n", "utf-8")
else:
    folder = rules_folder(n, into)
report = Advisor.build(rules_module.load_rules(folder)).advise(load_case(case_with_loans(3, into)))
print("ok", len(report.advice))
"""


def attempt(n: int, kind: str) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as into:
        run = subprocess.run([sys.executable, "-c", TRY, str(n), kind, into, str(ROOT / "benchmarks")],
                             capture_output=True, text=True, timeout=1800, cwd=into)
    if run.returncode == 0 and run.stdout.startswith("ok"):
        return True, run.stdout.strip()
    last = (run.stderr.strip().splitlines() or run.stdout.strip().splitlines() or [""])[-1]
    return False, f"exit {run.returncode}: {last[:160]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--low", type=int, default=1000)
    parser.add_argument("--high", type=int, default=12000)
    parser.add_argument("--kind", choices=["generated", "minimal", "or4"], default="generated")
    args = parser.parse_args()
    low, high = args.low, args.high
    ok, said = attempt(low, args.kind)
    print(f"{low:>6} rules: {'ok' if ok else 'FAILS'}  {said}", flush=True)
    if not ok:
        sys.exit(f"already fails at {low} rules; lower --low")
    ok, said = attempt(high, args.kind)
    print(f"{high:>6} rules: {'ok' if ok else 'FAILS'}  {said}", flush=True)
    if ok:
        sys.exit(f"still works at {high} rules; raise --high")
    while high - low > 10:
        mid = (low + high) // 2
        ok, said = attempt(mid, args.kind)
        print(f"{mid:>6} rules: {'ok' if ok else 'FAILS'}  {said}", flush=True)
        low, high = (mid, high) if ok else (low, mid)
    print(f"threshold ({args.kind} rules): works at {low}, fails at {high}")


if __name__ == "__main__":
    main()
