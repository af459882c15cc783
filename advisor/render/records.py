"""Rendering decision records: the list, one record as it was given, and a replay's differences."""
from __future__ import annotations

import json
from dataclasses import asdict

from ..records.record import Record
from ..records.store import Checked
from ..records.replay import Difference
from ..format import pad
from ..i18n import pick


def listing_header() -> str:
    return f"{'id':>4}  {'recorded (UTC)':<25}  {pad('case', 28)}  case sha256   ruleset       advice"


def listing_line(checked: Checked, lang: str = "en") -> str:
    """One record of `audit list`; a damaged one by its id only (what it says cannot be trusted)."""
    r = checked.record
    if r is None or checked.problem is not None:
        code = checked.problem.code if checked.problem else "R006"
        return pick(lang, f"{checked.id:>4}  （已损坏：{code}，见下文）", f"{checked.id:>4}  (damaged: {code}, see below)")
    return (f"{r.id:>4}  {r.created_at:<25}  {pad(r.case_name[:20], 28)}  {r.case_sha256[:12]}  "
            f"{r.ruleset_fingerprint[:12]}  {len(r.report.get('advice', []))}")


def listing_footer(count: int, damaged: int, version: int, head: str | None, lang: str = "en") -> str:
    """How many records, whether the chain holds, and its head (the newest seal) to keep elsewhere."""
    if count == 0:
        return pick(lang, "还没有记录（advisor run CASE --record 会存下一条）\n",
                    "no records yet (advisor run CASE --record stores one)\n")
    if version < 2:
        return pick(lang, f"{count} 条记录，记录格式第 1 版：每份报告只核对它的 sha256；下一次 `advisor run --record` 或 "
                          "`audit import` 会给每条记录加上封印（不改写任何记录）\n",
                    f"{count} records, schema 1: each report is checked against its sha256 only; the next "
                    "`advisor run --record` or `audit import` seals every record (none is rewritten)\n")
    head_text = (head or '')[:16]
    if damaged:
        state = pick(lang, f"{damaged} 条已损坏（见下文）", f"{damaged} damaged (below)")
    else:
        state = pick(lang, "链条完整", "chain intact")
    return pick(lang, f"{count} 条记录，{state}，链头 {head_text}（把它另存一处，就能发现从末尾被删掉的记录）\n",
                f"{count} records, {state}, head {head_text} (keep it elsewhere to notice records cut from the end)\n")


def show(record: Record) -> str:
    """A record as a reader sees it: what was run, with what, and the advice given with its reasons."""
    doc = record.report
    out = [f"record #{record.id} · {record.case_name} · recorded {record.created_at}",
           f"case      {record.case_path} (sha256 {record.case_sha256[:16]}…)",
           f"rules     {record.rules_dir} (fingerprint {record.ruleset_fingerprint[:16]}…)",
           f"versions  advisor {record.advisor_version} · {record.engine_name} {record.engine_version}",
           f"as_of     {doc.get('as_of')} · language {record.lang}", ""]
    dated = {k: v for k, v in record.params.items() if "rows" in v}
    for name, entry in dated.items():
        rows = "; ".join(f"{label}: {row['value']} from {row['in_force_from']}" if row else f"{label}: —"
                         for label, row in entry["rows"].items())
        out.append(f"param     {name} ({entry['in_force_on']}) {rows}")
    out.append("")
    for a in doc.get("advice", []):
        out.append(f"{a['rank']:>2}. [{a['priority']}] {a['title']}  ({a['rule']} · {', '.join(a['sources'])})")
        out.append(f"    {a['text']}")
        out.append(f"    because: {'; '.join(a['because'])}")
    return "\n".join(out) + "\n"


def as_json(record: Record) -> str:
    return json.dumps(asdict(record), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def replay(record: Record, diff: Difference, fingerprint: str, count: int, lang: str = "en") -> str:
    out = [f"replay of record #{record.id} · {record.case_name} · recorded {record.created_at}",
           f"ruleset   recorded {record.ruleset_fingerprint[:16]} · now {fingerprint[:16]} "
           f"({'changed' if diff.ruleset_changed else 'unchanged'})"]
    if diff.identical:
        out.append(pick(lang, f"完全相同：{count} 条建议，顺序、文字和数字都一样",
                        f"identical: {count} pieces of advice, in the same order, with the same words and figures"))
        return "\n".join(out) + "\n"
    out.append(pick(lang, "有差异：", "different:"))
    out += [f"  + {r} (new advice)" for r in diff.gained]
    out += [f"  - {r} (no longer given)" for r in diff.lost]
    out += [f"  ~ {r} moved from #{a} to #{b}" for r, a, b in diff.moved]
    for rule, was, now in diff.reworded:
        out += [f"  ~ {rule} reworded", f"      was: {was}", f"      now: {now}"]
    out += [f"  ~ {k}: {a} → {b}" for k, a, b in diff.figures]
    return "\n".join(out) + "\n"
