"""Rendering decision records: the list, one record as it was given, and a replay's differences."""
from __future__ import annotations

import json
from dataclasses import asdict

from ..records.record import Record
from ..records.store import Checked
from ..records.replay import Difference
from ..format import pad
from ..i18n import pick, words


def listing_header(lang: str = "en") -> str:
    return pick(lang, f"{'编号':>3}  {pad('记录时间（UTC）', 25)}  {pad('案例', 28)}  {pad('案例 sha256', 12)}  "
                      f"{pad('规则集', 12)}  建议条数",
                f"{'id':>4}  {'recorded (UTC)':<25}  {pad('case', 28)}  case sha256   ruleset       advice")


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


def show(record: Record, lang: str = "en") -> str:
    """A record as a reader sees it: what was run, with what, and the advice given with its reasons (the
    labels in `lang`; the advice as it was given, in the record's language)."""
    doc = record.report
    w = words("record", lang)
    out = [w["record"].format(id=record.id, case=record.case_name, at=record.created_at),
           f"{w['case']}{record.case_path} (sha256 {record.case_sha256[:16]}…)",
           f"{w['rules']}{record.rules_dir} ({w['fingerprint']} {record.ruleset_fingerprint[:16]}…)",
           f"{w['versions']}advisor {record.advisor_version} · {record.engine_name} {record.engine_version}",
           f"{w['as_of']}{doc.get('as_of')} · {w['language']} {record.lang}", ""]
    dated = {k: v for k, v in record.params.items() if "rows" in v}
    for name, entry in dated.items():
        rows = "; ".join(w["row"].format(label=label, value=row["value"], start=row["in_force_from"]) if row
                         else f"{label}: —" for label, row in entry["rows"].items())
        out.append(f"{w['param']}{name} ({entry['in_force_on']}) {rows}")
    out.append("")
    for a in doc.get("advice", []):
        out.append(f"{a['rank']:>2}. [{a['priority']}] {a['title']}  ({a['rule']} · {', '.join(a['sources'])})")
        out.append(f"    {a['text']}")
        out.append(f"    {w['because']}{'; '.join(a['because'])}")
    return "\n".join(out) + "\n"



def as_json(record: Record) -> str:
    return json.dumps(asdict(record), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def replay(record: Record, diff: Difference, fingerprint: str, count: int, lang: str = "en") -> str:
    changed = diff.ruleset_changed
    out = [pick(lang, f"重放记录 #{record.id} · {record.case_name} · 记录于 {record.created_at}",
                f"replay of record #{record.id} · {record.case_name} · recorded {record.created_at}"),
           pick(lang, f"规则集    记录时 {record.ruleset_fingerprint[:16]} · 现在 {fingerprint[:16]}"
                      f"（{'已改变' if changed else '未改变'}）",
                f"ruleset   recorded {record.ruleset_fingerprint[:16]} · now {fingerprint[:16]} "
                f"({'changed' if changed else 'unchanged'})")]
    if diff.identical:
        out.append(pick(lang, f"完全相同：{count} 条建议，顺序、文字和数字都一样",
                        f"identical: {count} pieces of advice, in the same order, with the same words and figures"))
        return "\n".join(out) + "\n"
    out.append(pick(lang, "有差异：", "different:"))
    out += [pick(lang, f"  + {r}（新增的建议）", f"  + {r} (new advice)") for r in diff.gained]
    out += [pick(lang, f"  - {r}（不再给出）", f"  - {r} (no longer given)") for r in diff.lost]
    out += [pick(lang, f"  ~ {r} 从第 {a} 条移到第 {b} 条", f"  ~ {r} moved from #{a} to #{b}") for r, a, b in diff.moved]
    for rule, was, now in diff.reworded:
        out += [pick(lang, f"  ~ {rule} 措辞变了", f"  ~ {rule} reworded"), pick(lang, f"      原来：{was}", f"      was: {was}"),
                pick(lang, f"      现在：{now}", f"      now: {now}")]
    out += [f"  ~ {k}: {a} → {b}" for k, a, b in diff.figures]
    return "\n".join(out) + "\n"
