"""Journal rendering (issue 17): the timeline per lender, the evidence list (Markdown, to attach to a
complaint and to 12378) and the journal's part of the JSON document. Renderers return strings."""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..format import fmt
from ..i18n import pick, words
from ..inert import one_line
from ..model import Case, Entry
from ..report import Report

_FIGURES = (("monthly", "cny"), ("months", "months"), ("amount", "cny"), ("deadline", "date"),
            ("first_due", "date"), ("due", "date"))


def entry_words(entry: Entry, lang: str) -> str:
    """One entry in the reader's words: `答复：拒绝 · 理由 每月金额太低`, `约定：口头，未书面确认 · 每月 600 元 …`."""
    w = words("journal", lang)
    v = entry.values
    parts: list[str] = []
    for key in ("result", "status", "type", "channel", "plan", "settlement"):
        if key in v:
            parts.append(w.get(str(v[key]), str(v[key])))
    if entry.kind == "agreement":
        parts.append(w["written"] if v.get("written") else w["oral"])
    for key, unit in _FIGURES:
        if key not in v:
            continue
        shown = fmt(v[key], unit, lang)
        if key == "months":
            parts.append(shown)
        elif key == "monthly":
            parts.append(pick(lang, f"{w['monthly']} {shown}", f"{shown} {w['monthly']}"))
        else:
            parts.append(f"{w.get(key, key)} {shown}")
    for key in ("what", "reason", "promise", "staff", "who", "said", "evidence", "letter", "note"):
        if v.get(key):
            label = w.get(key, "")
            parts.append(f"{label} {v[key]}".strip())
    head = w[entry.kind] + (pick(lang, f"（{v['time']}）", f" ({v['time']})") if v.get("time") else "")
    return one_line(head + pick(lang, "：", ": ") + " · ".join(parts) if parts else head)


def timeline(case: Case, lang: str) -> str:
    """The journal per lender, each lender's entries in date order, with their lines in the case file."""
    w = words("journal", lang)
    if not case.journal:
        return w["none"] + "\n"
    out = [f"{w['title']} · {case.name} · {w['as_of']} {case.as_of.isoformat()}", ""]
    for loan in case.loans or ():
        mine = [e for e in case.journal if e.loan == loan.index]
        if not mine:
            continue
        out.append(f"== {loan.name} ==")
        out.extend(f"  {e.day.isoformat()}  {entry_words(e, lang)}   [{e.location.file}:{e.location.line}]"
                   for e in mine)
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return one_line(text).replace("|", "\\|") or "—"


def evidence_markdown(report: Report, lang: str) -> str:
    """The evidence list: one numbered row per incident, ready to attach to a complaint (lender, 12378)."""
    w = words("journal", lang)
    if not report.evidence:
        return w["evidence_none"] + "\n"
    out = [f"# {w['evidence_title']}", "",
           f"{w['case']}{pick(lang, '：', ': ')}{report.case} · {w['as_of']} {report.as_of.isoformat()}", "",
           w["cols"], "|---|---|---|---|---|---|---|---|"]
    for n, e in enumerate(report.evidence, 1):
        how = w.get(e.kind, e.kind) + (f" · {w['night']}" if e.night else "")
        out.append(f"| {n} | {e.date.isoformat()} | {_cell(e.time)} | {_cell(e.lender)} | {_cell(how)} | "
                   f"{_cell(e.who)} | {_cell(e.said)} | {_cell(e.evidence) if e.evidence else w['no_evidence']} |")
    nights = sum(1 for e in report.evidence if e.night)
    out += ["", *([w["nights"].format(n=nights)] if nights else []), w["evidence_note"], ""]
    return "\n".join(out)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def document(report: Report) -> dict[str, Any]:
    """The journal in the JSON report: the entries and the evidence list (the shape a letter template reads)."""
    case = report.trace.case
    return {
        "entries": [{"date": e.day.isoformat(), "lender": e.lender, "loan": e.loan, "kind": e.kind,
                     "line": e.location.line, **{k: _plain(v) for k, v in e.values.items()
                                                  if k not in ("date", "lender", "kind")}}
                    for e in case.journal],
        "evidence": [{"date": e.date.isoformat(), "time": e.time, "lender": e.lender, "kind": e.kind, "who": e.who,
                      "said": e.said, "evidence": e.evidence, "night": e.night, "line": e.line}
                     for e in report.evidence],
    }
