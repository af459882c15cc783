"""The page's work without the web: a form or a case text -> the case reader -> the advisor -> a Report,
with every problem kept as data and placed at the input it came from."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..advise import Advisor
from ..load.cases import load_case_text, warnings
from ..errors import CaseError, Diagnostic
from ..report import Report
from ..load.rules import load_rules
from .form import DISPLAY, CaseForm, compact, to_yaml


@dataclass
class Outcome:
    """One evaluation of the page's form: the case text it became, and the report or the problems."""

    form: CaseForm
    text: str
    where: dict[int, str]                      # YAML line -> form key (or section)
    report: Report | None = None
    problems: dict[str, list[Diagnostic]] = field(default_factory=dict)   # form key -> its problems
    general: list[Diagnostic] = field(default_factory=list)              # problems no input stands for
    count: int = 0                                                        # problems in all


class Service:
    """A rules folder loaded and compiled once; evaluates one case at a time (the engine is shared)."""

    def __init__(self, rules_dir: Path, db: Path | None = None, templates_dir: Path | None = None):
        self.rules_dir, self.db, self.templates_dir = rules_dir, db, templates_dir
        self.advisor = Advisor.build(load_rules(rules_dir))
        self.lock = threading.Lock()

    def advise_text(self, text: str, lang: str, display: str = DISPLAY) -> Report:
        """A case's text -> its report; a CaseError lists every problem (file:line:col)."""
        case = load_case_text(text, display)
        with self.lock:
            return self.advisor.advise(case, lang, explain=True)

    def advise_form(self, form: CaseForm, lang: str) -> Outcome:
        form = compact(form)
        text, where = to_yaml(form)
        out = Outcome(form, text, where)
        try:
            case = load_case_text(text, DISPLAY)
        except CaseError as exc:
            place(out, exc.diagnostics)
            return out
        place(out, warnings(case))
        out.count = 0                              # warnings are shown, they do not stop the advice
        with self.lock:
            out.report = self.advisor.advise(case, lang, explain=True)
        return out


def place(out: Outcome, diagnostics: list[Diagnostic]) -> None:
    """Put each diagnostic at the input on its line; a missing `as_of` at the date's input."""
    for diagnostic in diagnostics:
        loc = diagnostic.location
        key = "as_of" if diagnostic.code == "C030" else (out.where.get(loc.line) if loc and loc.file == DISPLAY
                                                          else None)
        if key is None:
            out.general.append(diagnostic)
        else:
            out.problems.setdefault(key, []).append(diagnostic)
        out.count += 1
