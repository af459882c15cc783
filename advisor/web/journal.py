"""The page's journal (issue 17): the timeline per lender, and an entry typed into the page appended to the
journal's text, kept only when the case reader accepts it (otherwise the page says why and keeps the rest)."""
from __future__ import annotations

from typing import Any, Mapping

from ..model import ENTRY_KINDS
from ..render.journal import entry_words
from ..report import Report
from ..toolkit.journal_add import entry_text
from .form import CaseForm

ENTRY_KEYS = ("entry-date", "entry-lender", "entry-kind", "entry-time", "entry-more")


def timeline(report: Report | None, lang: str) -> list[dict[str, Any]]:
    """Per lender with entries: its name and the entries (date, words, line), oldest first."""
    if report is None or report.trace is None:
        return []
    case = report.trace.case
    out = []
    for loan in case.loans or ():
        mine = [e for e in case.journal if e.loan == loan.index]
        if mine:
            out.append({"name": loan.name, "loan": loan.index, "entries": [
                {"date": e.day.isoformat(), "kind": e.kind, "words": entry_words(e, lang), "line": e.location.line}
                for e in mine]})
    return out


def posted_entry(fields: Mapping[str, str]) -> dict[str, str]:
    """The entry the page's inputs describe: date, lender, kind, time, then the `field: value` lines."""
    out = {"date": fields.get("entry-date", "").strip(), "lender": fields.get("entry-lender", "").strip(),
           "kind": fields.get("entry-kind", "").strip()}
    if fields.get("entry-time", "").strip():
        out["time"] = fields["entry-time"].strip()
    for line in fields.get("entry-more", "").replace("\r\n", "\n").split("\n"):
        key, sep, value = line.partition(":") if ":" in line else line.partition("：")
        if sep and key.strip() and value.strip():
            out[key.strip()] = value.strip()
    return {k: v for k, v in out.items() if v}


def with_entry(form: CaseForm, entry: Mapping[str, str]) -> CaseForm:
    """The form with the entry appended to its journal text."""
    text = form.journal.rstrip("\n")
    added = entry_text(entry, "")
    return CaseForm(dict(form.values), [dict(row) for row in form.loans], form.original,
                    (text + "\n" if text else "") + added)


KINDS = ENTRY_KINDS
