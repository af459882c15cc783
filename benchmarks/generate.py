"""Case generator: the shipped cases perturbed into N realistic cases, one JSON object a line (a batch source).

Each generated case starts from a shipped case (cases/*.yaml, round-robin), without its `expect:` block, and
is perturbed: amounts scaled (×0.4–2.5, rounded as people write them), stated rates scaled, the whole case
moved in time (every date by the same shift, a due date or two moved a little more), some lenders given
another type, and some optional fields left out (unknown to the counsellor). Every case is read back by the
advisor's own case reader; one it refuses is drawn again (and after a few refusals the case is taken
unperturbed), so every line is a valid case. Same --seed, same cases: the file is byte-identical.

Usage: python benchmarks/generate.py N [--seed S] --out FILE.jsonl [--cases DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import AdvisorError
from advisor.knowledge.vocabulary import LENDER_TYPES
from advisor.toolkit.batch import Item, case_of

ROOT = Path(__file__).resolve().parent.parent
TRIES = 8
AMOUNTS = {"salary", "business", "benefits", "family_support", "other", "extra", "living", "rent", "utilities",
           "transport", "medical", "education", "family", "balance", "principal", "monthly_payment",
           "settlement_offer", "overdue_amount", "balloon_amount", "unpaid_principal", "contract_amount",
           "proposed_monthly", "agency_fee_paid"}
RATES = {"annual_rate", "monthly_fee_rate", "apr"}
# Fields a counsellor often does not know yet: left out now and then (never the case's date or a loan's name).
OPTIONAL = {"principal", "annual_rate", "installments", "monthly_payment", "next_due", "contract_date",
            "contract_read", "penalty_terms_known", "early_repayment_terms_known", "overdue_days", "lender_type",
            "utilities", "transport", "other", "extra", "benefits", "family_support"}


def _plain(value: Any) -> Any:
    """YAML's values as JSON: dates as ISO strings (the case reader reads them back)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _amount(value: float, rng: random.Random) -> int | float:
    scaled = value * rng.uniform(0.4, 2.5)
    step = 100 if scaled >= 5_000 else 10 if scaled >= 100 else 1
    return max(step, int(round(scaled / step)) * step) if value else 0


def _rate(value: Any, rng: random.Random) -> Any:
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = float(value.strip()[:-1])
        except ValueError:
            return value
        return f"{round(number * rng.uniform(0.5, 2.0), 2):g}%"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value * rng.uniform(0.5, 2.0), 4)
    return value


def _shift(value: Any, days: int) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value + dt.timedelta(days=days)
    return value


def _block(block: dict[str, Any], rng: random.Random, days: int, drop: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in block.items():
        if key in OPTIONAL and rng.random() < drop:
            continue
        if key in AMOUNTS and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _amount(value, rng)
        elif key in RATES:
            value = _rate(value, rng)
        elif key == "lender_type" and rng.random() < 0.2:
            value = rng.choice(LENDER_TYPES)
        elif key == "overdue_days" and isinstance(value, int) and not isinstance(value, bool):
            value = max(0, value + rng.choice((0, 0, 0, 3, 15, 40, -value)))
        elif key == "next_due" and isinstance(value, dt.date):
            value = value + dt.timedelta(days=rng.randint(-5, 20))
        out[key] = _shift(value, days)
    return out


def perturb(case: dict[str, Any], rng: random.Random, number: int) -> dict[str, Any]:
    """One realistic variant of a shipped case."""
    days = rng.randint(-400, 200)
    drop = rng.choice((0.0, 0.0, 0.05, 0.15))
    out: dict[str, Any] = {}
    for key, value in case.items():
        if key == "expect":
            continue
        if key == "name":
            value = f"{value} · #{number}"
        elif key == "loans" and isinstance(value, list):
            value = [_block(loan, rng, days, drop) if isinstance(loan, dict) else loan for loan in value]
        elif isinstance(value, dict):
            value = _block(value, rng, days, drop if key in ("income", "expenses") else 0.0)
        else:
            value = _shift(value, days)
        out[key] = value
    return out


def _valid(line: str, number: int) -> bool:
    try:
        case_of(Item(f"generated:{number}", "generated", line.encode("utf-8")))
    except AdvisorError:
        return False
    return True


def generate(count: int, seed: int, cases_dir: Path = ROOT / "cases") -> Iterator[str]:
    """`count` JSON lines (without their newline), the same for the same seed and shipped cases."""
    bases = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(cases_dir.glob("*.yaml"))]
    bases = [b for b in bases if isinstance(b, dict)]
    rng = random.Random(seed)
    for number in range(1, count + 1):
        base = bases[(number - 1) % len(bases)]
        for _ in range(TRIES):
            line = json.dumps(_plain(perturb(base, rng, number)), ensure_ascii=False)
            if _valid(line, number):
                break
        else:                                           # the shipped case itself: valid, as `advisor test` checks
            line = json.dumps(_plain({k: v for k, v in base.items() if k != "expect"}), ensure_ascii=False)
        yield line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    args = parser.parse_args()
    temporary = args.out.with_name(args.out.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as out:
        for line in generate(args.count, args.seed, args.cases):
            out.write(line + "\n")
    os.replace(temporary, args.out)                     # a complete file, or the old one untouched
    print(f"{args.count:,} cases (seed {args.seed}) in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
