"""Random cases that follow the vocabulary: any field present, absent or null (for property tests)."""
from __future__ import annotations

import random

from advisor.knowledge.vocabulary import CASE_FACTS, LOAN_FACTS
from advisor.load.cases import load_case


_DATES = ["2018-01-01", "2019-08-19", "2020-04-20", "2020-08-20", "2021-03-05", "2023-06-01", "2025-12-21",
          "2026-02-10", "2026-03-31", "2026-11-20", "2026-11-28", "2026-12-05", "2026-12-06", "2027-01-01"]
_NUMBERS = {"cny": [0, 500, 1500, 3000, 10000, 50000, 120000, '"8000多"', '"3000-5000"', '"20余万"'], "count": [0, 1, 2, 3, 5, 60],
            "days": [0, 1, 2, 3, 30, 400], "rate": [0.008, 0.1, 0.154, 0.24, 0.3, 0.36, 0.4]}


# The letters' personal fields are read strictly (load/personal.py): a masked ID, a phone, four digits.
_PERSONAL = {"borrower.id_number": ['"1101**********1234"', '"3101********12"'],
             "borrower.phone": ['"138 0000 1234"', '"+86 139-0000-0000"'], "loan.card_last4": ['"0427"', '"9981"']}


def random_value(rng: random.Random, fact):
    if fact.name in _PERSONAL:
        return rng.choice(_PERSONAL[fact.name])
    if fact.name == "loan.lenders":
        return rng.choice([1, 2, 20])
    if fact.type == "bool":
        return rng.choice(["true", "false"])
    if fact.type == "enum":
        return rng.choice(fact.values)
    if fact.type == "date":
        return rng.choice(_DATES)
    if fact.type == "text":
        return f"借款{rng.randint(1, 9)}"
    return rng.choice(_NUMBERS.get(fact.unit, _NUMBERS["count"]))


def random_case(rng: random.Random, tmp_path, n: int):
    """Any field of the vocabulary may be present, absent or null: the generator follows the
    vocabulary, so a new fact is covered by this property test as soon as it is declared."""
    lines = [f"as_of: {rng.choice(['2026-11-28', '2026-02-10', '2025-12-21', '2026-03-31'])}"]
    blocks: dict[str, list[str]] = {}
    for fact in CASE_FACTS:
        if fact.computed or "." not in fact.name or rng.random() < 0.5:
            continue
        block, field = fact.name.split(".", 1)
        value = "null" if rng.random() < 0.1 else random_value(rng, fact)
        blocks.setdefault(block, []).append(f"{field}: {value}")
    lines += [f"{block}: {{{', '.join(items)}}}" for block, items in blocks.items()]
    if rng.random() < 0.9:
        lines.append("loans:")
        for _ in range(rng.randint(0, 4)):
            kept = [f"{f.name[5:]}: {random_value(rng, f)}" for f in LOAN_FACTS
                    if not f.computed and rng.random() < 0.6]
            if any(k.startswith("overdue_days:") for k in kept):   # the day count says `overdue` already
                kept = [k for k in kept if not k.startswith("overdue:")]
            lines.append("  - {" + ", ".join(kept) + "}")
    path = tmp_path / f"random{n}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_case(path)


def loans_case(rng: random.Random, n: int) -> str:
    """A case with every vocabulary field set and n loans with every loan field, each named."""
    lines = ["as_of: 2026-11-28"]
    blocks: dict[str, list[str]] = {}
    for fact in CASE_FACTS:
        if not fact.computed and "." in fact.name:
            block, field = fact.name.split(".", 1)
            blocks.setdefault(block, []).append(f"{field}: {random_value(rng, fact)}")
    lines += [f"{block}: {{{', '.join(items)}}}" for block, items in blocks.items()]
    lines.append("loans:")
    for k in range(n):
        fields = [f"{f.name[5:]}: {random_value(rng, f)}" for f in LOAN_FACTS
                  if not f.computed and f.name not in ("loan.name", "loan.overdue") and rng.random() < 0.9]
        lines.append("  - {" + ", ".join([f"name: 借款{k}", *fields]) + "}")
    return "\n".join(lines) + "\n"
