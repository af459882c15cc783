"""How per-case time grows with the number of rules and with loans per case (generated inputs).

Usage: python benchmarks/scale.py [--runs N]
Prints, for 50/100/200/500 generated rules and for 1/10/100 loans per case, the median time of
Advisor.evaluate (facts, one durable session, agreement check) and of Advisor.advise.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.load.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = (
    "monthly_shortfall > {a}",
    "any (loan.overdue_days > {k} and loan.balance > {a})",
    "income.salary > {a} and not negotiation.contacted",
    "any loan.days_to_due <= {k} and monthly_due > {a}",
    "total_balance > {a} or loan_count > {k}",
)


def rules_folder(n: int, into: Path) -> Path:
    """`n` generated rules (a tenth of them chained through derived facts) plus the shipped params."""
    folder = into / f"rules{n}"
    folder.mkdir()
    shutil.copy(ROOT / "rules" / "params.yaml", folder / "params.yaml")
    lines = ["topic: generated", "rules:"]
    for i in range(n):
        when = TEMPLATES[i % len(TEMPLATES)].format(a=500 * (i % 7), k=i % 5)
        if i % 10 == 9:
            when += f" and g{i - 1}"
        lines += [f"  - id: g.r{i}", f"    title: 规则{i}", f"    title_en: rule {i}", '    sources: ["1"]',
                  f"    when: {when}"]
        lines += [f"    derive: g{i}"] if i % 10 == 8 else [
            "    priority: normal", f"    advice: 建议{i}：{{monthly_due}}", f"    advice_en: advice {i}"]
    (folder / "generated.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def case_with_loans(n: int, into: Path) -> Path:
    path = into / f"loans{n}.yaml"
    loans = "\n".join(f"  - {{name: L{i}, lender_type: microloan, balance: {1000 + i}, monthly_payment: {100 + i}, "
                      f"annual_rate: 0.2, installments: 12, next_due: 2026-12-{1 + i % 28:02d}, "
                      f"overdue_days: {i % 3}}}" for i in range(n))
    path.write_text(f"as_of: 2026-11-28\nincome: {{salary: 6000}}\nexpenses: {{living: 3000}}\n"
                    f"negotiation: {{contacted: false}}\nloans:\n{loans}\n", encoding="utf-8")
    return path


def median_us(fn, runs: int) -> float:
    for _ in range(5):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def measure(runs: int) -> list[str]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [load_case(p) for p in sorted((ROOT / "cases").glob("*.yaml"))]
        out.append(f"{'generated rules':<18}{'evaluate':>14}{'advise':>14}   (median per case over {len(cases)} cases)")
        base = None
        for n in (50, 100, 200, 500):
            adv = Advisor.build(load_rules(rules_folder(n, folder)))
            ev = median_us(lambda adv=adv: [adv.evaluate(c) for c in cases], runs) / len(cases)
            ad = median_us(lambda adv=adv: [adv.advise(c) for c in cases], runs) / len(cases)
            base = base or ev
            out.append(f"{n:<18}{ev:>11.0f} us{ad:>11.0f} us   ×{ev / base:.2f} vs 50 rules")
        shipped = Advisor.build(load_rules(ROOT / "rules"))
        out.append("")
        out.append(f"{'loans per case':<18}{'evaluate':>14}{'advise':>14}   (shipped rules)")
        base = None
        for n in (1, 10, 100):
            case = load_case(case_with_loans(n, folder))
            ev = median_us(lambda case=case: shipped.evaluate(case), runs)
            ad = median_us(lambda case=case: shipped.advise(case), runs)
            base = base or ev
            out.append(f"{n:<18}{ev:>11.0f} us{ad:>11.0f} us   ×{ev / base:.2f} vs 1 loan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    print("\n".join(measure(parser.parse_args().runs)))


if __name__ == "__main__":
    main()
