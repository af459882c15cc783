"""Decision records of runs: what is stored for a run, and what changed when it is replayed.

A record holds everything needed to replay the run without the original files: the case file's text
and hash, the ruleset fingerprint, the parameters with their effective dates, the versions, and the
JSON report with its trace and explanations. Replaying evaluates the stored case text with the rules
as they are now and compares the advice: the same pieces, in the same order, with the same words.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import Loan
from ..report import Report
from .record import Record, report_digest


def make_record(report: Report, case_path: Path, rules_dir: Path, raw: bytes, doc: dict[str, Any]) -> Record:
    """A record of one run of the case bytes `raw` (as read for it, once: a pipe cannot be read again), keeping
    `doc`, the run's JSON report (render.json.document: the records stage does not import the renderers).
    The wall clock is read here only, for `created_at` (metadata)."""
    assert report.trace is not None
    return Record(
        id=None,
        created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        case_name=report.case, case_path=str(case_path), case_sha256=hashlib.sha256(raw).hexdigest(),
        case_text=raw.decode("utf-8-sig", errors="replace"), rules_dir=str(rules_dir),
        ruleset_fingerprint=report.fingerprint, params=params_in_force(report),
        advisor_version=__version__, engine_name=str(report.engine.get("name")),
        engine_version=str(report.engine.get("version")), lang=report.lang, report=doc,
        report_sha256=report_digest(doc))


def params_in_force(report: Report) -> dict[str, Any]:
    """Every parameter's value for this run: a fixed value, or the row in force on the case's date or
    on each loan's contract date, with the date it came into force."""
    assert report.trace is not None
    case = report.trace.case
    out: dict[str, Any] = {}
    for name, param in sorted(report.trace.ruleset.params.items()):
        if not param.dated:
            out[name] = {"value": _plain(param.value), "source": param.source, "confidence": param.confidence}
            continue
        loans = case.loans or ()
        days = {"as_of": case.as_of} if param.on == "as_of" else {
            _label(loan, loans): loan.values.get("contract_date") for loan in loans}
        rows = {}
        for label, day in days.items():
            row = param.row(day) if day else None
            rows[label] = None if row is None or day is None else {"on": day.isoformat(), "in_force_from": row[0].isoformat(),
                                                     "value": _plain(row[1])}
        out[name] = {"in_force_on": param.on, "rows": rows, "source": param.source,
                     "confidence": param.confidence}
    return out


def _label(loan: Loan, loans: tuple[Loan, ...]) -> str:
    """A loan's name, with its number when another loan has the same name (rows must not collide)."""
    shared = sum(other.name == loan.name for other in loans) > 1
    return f"{loan.name} (#{loan.index + 1})" if shared else loan.name


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class Difference:
    """How the advice of a replay differs from the recorded advice (empty lists: identical)."""

    gained: list[str]
    lost: list[str]
    moved: list[tuple[str, int, int]]        # rule, recorded rank, new rank
    reworded: list[tuple[str, str, str]]     # rule, recorded text, new text
    figures: list[tuple[str, Any, Any]]      # summary figure, recorded, now
    ruleset_changed: bool

    @property
    def identical(self) -> bool:
        return not (self.gained or self.lost or self.moved or self.reworded or self.figures)


def essentials(report: Report) -> dict[str, Any]:
    """What `compare` reads of a run, shaped like the JSON report (a recorded report has the same keys),
    without building the explanations and rule statuses the full document carries."""
    return {"advice": [{"rule": a.rule, "rank": a.rank, "priority": a.priority, "title": a.title, "text": a.text,
                        "sources": list(a.sources)} for a in report.advice],
            "summary": dict(report.summary), "ruleset": {"fingerprint": report.fingerprint}}


def _wording(advice: dict[str, Any]) -> str:
    """What a reader sees of one piece of advice, besides its rank."""
    return f"[{advice['priority']}] {advice['title']}: {advice['text']} ({', '.join(advice['sources'])})"


def compare(recorded: dict[str, Any], now: dict[str, Any]) -> Difference:
    """Compare two JSON reports by what a borrower reads: the advice, its order and words, the figures."""
    old = {a["rule"]: a for a in recorded["advice"]}
    new = {a["rule"]: a for a in now["advice"]}
    both = [r for r in old if r in new]
    # Moved: a change in the order of the advice given both times, not a shift caused by gains or losses.
    old_order = {r: i for i, r in enumerate(both)}
    new_order = {r: i for i, r in enumerate(sorted(both, key=lambda r: new[r]["rank"]))}
    return Difference(
        gained=[r for r in new if r not in old],
        lost=[r for r in old if r not in new],
        moved=[(r, old[r]["rank"], new[r]["rank"]) for r in both if old_order[r] != new_order[r]],
        reworded=[(r, _wording(old[r]), _wording(new[r])) for r in both if _wording(old[r]) != _wording(new[r])],
        figures=[(k, v, now["summary"].get(k)) for k, v in recorded["summary"].items()
                 if now["summary"].get(k) != v],
        ruleset_changed=recorded["ruleset"]["fingerprint"] != now["ruleset"]["fingerprint"],
    )
