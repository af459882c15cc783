"""The impact of a rule edit on one case, in a worker holding the old and the new rules: one JSON line saying
what changed (as `records.replay.compare` reads a borrower's advice: gained, lost, moved, reworded,
figures), or why the case could not be read or evaluated."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ...advise import Advisor
from ...errors import AdvisorError
from ...records.replay import compare, essentials
from ..batch import Item, case_of


@dataclass(frozen=True)
class Pair:
    """The old and the new rules in one worker."""

    old: Advisor
    new: Advisor

    def line(self, item: Item) -> str:
        result: dict[str, Any] = {"key": item.key}
        try:
            case = case_of(item)
            d = compare(essentials(self.old.advise(case)), essentials(self.new.advise(case)))
            result.update(status="ok", gained=d.gained, lost=d.lost, moved=d.moved, reworded=d.reworded,
                          figures=d.figures)
        except AdvisorError as exc:
            result.update(status="error", errors=[{"code": e.code, "message": str(e.message)}
                                                  for e in exc.diagnostics])
        except Exception as exc:  # a bug: this case says so; the diff goes on
            result.update(status="error", errors=[{"code": "I000", "message": f"{type(exc).__name__}: {exc}"}])
        return json.dumps(result, ensure_ascii=False, sort_keys=True, default=str)
