"""Journal stage: a case's `journal:` list -> dated Entries per lender, every problem at its line and column;
then the snapshot fields (`negotiation.contacted`, `rejections`, `outcome`, `written_confirmation`, the
collection flags, a loan's settlement offer) derived from it, a contradiction with what the case states
being an error with a hint, never a silent choice (issue 17)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from . import values as amounts
from .choices import choice, text
from ..errors import Diagnostic, Location, suggest
from ..i18n import said
from ..knowledge.journal import at_night
from ..model import ENTRY_KINDS, Entry, Loan
from .source import Node

KIND_ALIASES = {"联系": "contact", "沟通": "contact", "方案": "proposal", "提出方案": "proposal", "申请": "proposal",
                "答复": "answer", "回复": "answer", "协议": "agreement", "达成": "agreement", "约定": "agreement",
                "还款": "payment", "付款": "payment", "催收": "incident", "事件": "incident"}
RESULTS = ("accepted", "refused", "counter_offer")
RESULT_ALIASES = {"接受": "accepted", "同意": "accepted", "拒绝": "refused", "不同意": "refused",
                  "还价": "counter_offer", "反提议": "counter_offer", "对方提出方案": "counter_offer"}
STATUSES = ("made", "missed")
STATUS_ALIASES = {"已还": "made", "按时还": "made", "已付": "made", "未还": "missed", "漏还": "missed",
                  "没还上": "missed", "逾期": "missed"}
INCIDENTS = ("call", "message", "visit", "third_party", "promise_broken")
INCIDENT_ALIASES = {"电话": "call", "来电": "call", "短信": "message", "消息": "message", "微信": "message",
                    "上门": "visit", "联系第三方": "third_party", "爆通讯录": "third_party",
                    "承诺未兑现": "promise_broken", "没有兑现承诺": "promise_broken"}
CHANNELS = ("phone", "app", "letter", "email", "in_person", "other")
CHANNEL_ALIASES = {"电话": "phone", "客服电话": "phone", "App": "app", "app": "app", "在线客服": "app",
                   "信函": "letter", "书面": "letter", "邮件": "email", "面谈": "in_person", "其他": "other"}
PLANS = ("extend_term", "installments", "reduce_interest", "pause")
PLAN_ALIASES = {"延期": "extend_term", "分期": "installments", "减免利息": "reduce_interest", "暂停": "pause"}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def _time(value: Any) -> str:
    """A clock time `22:40` (24-hour); YAML keeps `22:40` as text here (see source.py), never base 60."""
    written = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    match = _TIME.match(written)
    if not match:
        raise amounts.Unreadable(said(f"'{amounts.shown(value)}' 不是一天中的时间",
                                      f"'{amounts.shown(value)}' is not a time of day"),
                                 said('用 24 小时制、加引号写，例如 time: "22:40"',
                                      'write the 24-hour time in quotes, e.g. time: "22:40"'))
    return f"{int(match[1]):02d}:{match[2]}"


_COMMON: dict[str, Callable[[Any], Any]] = {"date": amounts.date, "lender": text, "kind": text,
                                             "time": _time, "note": text}
_MONEY = {"monthly": amounts.amount, "months": lambda v: amounts.count(v, "a number of months")}
FIELDS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "contact": {"channel": choice(CHANNELS, CHANNEL_ALIASES), "staff": text},
    "proposal": {**_MONEY, "plan": choice(PLANS, PLAN_ALIASES), "letter": text, "channel":
                 choice(CHANNELS, CHANNEL_ALIASES)},
    "answer": {"result": choice(RESULTS, RESULT_ALIASES), "reason": text, **_MONEY, "amount": amounts.amount,
               "deadline": amounts.date, "staff": text, "settlement": choice(
                   ("lump_sum", "waiver"), {"一次性结清": "lump_sum", "结清": "lump_sum", "减免": "waiver",
                                            "还本免息": "waiver"})},
    "agreement": {"what": text, **_MONEY, "first_due": amounts.date, "written": amounts.flag, "promise": text},
    "payment": {"status": choice(STATUSES, STATUS_ALIASES), "amount": amounts.amount, "due": amounts.date},
    "incident": {"type": choice(INCIDENTS, INCIDENT_ALIASES), "who": text, "said": text, "evidence": text},
}
REQUIRED = {"answer": ("result",), "payment": ("status",), "incident": ("type",), "agreement": ("written",)}
MAX_ENTRIES = 2_000


def read_journal(node: Node | None, loans: tuple[Loan, ...] | None, as_of: Any,
                 problems: list[Diagnostic]) -> tuple[Entry, ...]:
    """The entries of `journal:` in date order (file order within a day); problems go to `problems`."""
    if node is None or node.value is None:
        return ()
    if not node.is_seq():
        problems.append(node.at(said("'journal' 必须是列表，每条记录一项", "'journal' must be a list, one item per entry"),
                                "C050", said("每条记录以 '- date: …' 开头", "start each entry with '- date: …'")))
        return ()
    if len(node.value) > MAX_ENTRIES:
        problems.append(node.at(said(f"记录太多：{len(node.value):,} 条（上限 {MAX_ENTRIES:,}）",
                                     f"too many entries: {len(node.value):,} (limit {MAX_ENTRIES:,})"), "C050",
                                said("一个案例一个人；把旧的记录另存一个文件", "keep older entries in a file of their own")))
        return ()
    entries = [e for i, item in enumerate(node.value) if (e := _entry(i, item, loans, as_of, problems)) is not None]
    return tuple(sorted(entries, key=lambda e: (e.day, e.index)))


def _entry(index: int, item: Node, loans: tuple[Loan, ...] | None, as_of: Any,
           problems: list[Diagnostic]) -> Entry | None:
    where = f"journal[{index}]"
    if not item.is_map():
        problems.append(item.at(said(f"{where} 必须是一条记录（字段: 值）", f"{where} must be an entry of fields"), "C050",
                                said("写成 `- {date: 2026-11-20, lender: 某平台, kind: contact}`",
                                     "write `- {date: 2026-11-20, lender: 某平台, kind: contact}`")))
        return None
    fields = item.value
    kind = None
    if "kind" in fields:
        try:
            kind = choice(ENTRY_KINDS, KIND_ALIASES)(fields["kind"].value)
        except amounts.Unreadable as exc:
            problems.append(fields["kind"].at(amounts.prefixed(f"{where}.kind", exc.message), "C021", exc.hint))
            return None
    allowed = {**_COMMON, **FIELDS.get(kind or "", {})}
    values: dict[str, Any] = {}
    origins: dict[str, Location] = {}
    bad = False
    for key, child in fields.items():
        if key not in allowed:
            problems.append(item.key_at(key, said(f"{where}（{kind or '?'}）没有字段 '{key}'",
                                                  f"unknown field '{key}' in {where} ({kind or '?'})"), "C010",
                                        suggest(key, tuple(allowed))))
            bad = True
            continue
        if key == "kind" or child.value is None:
            continue
        try:
            values[key] = allowed[key](child.value)
            origins[key] = child.location
        except amounts.Unreadable as exc:
            problems.append(child.at(amounts.prefixed(f"{where}.{key}", exc.message), "C021", exc.hint))
            bad = True
    for key in ("date", "lender", "kind", *REQUIRED.get(kind or "", ())):
        if key not in fields:
            problems.append(item.at(said(f"{where} 缺少 '{key}'", f"{where} has no '{key}'"), "C051",
                                    said(f"每条记录要写 date、lender、kind；{kind or ''} 还要写 {', '.join(REQUIRED.get(kind or '', ())) or '—'}",
                                         f"every entry needs date, lender and kind; a {kind or '?'} entry also "
                                         f"{', '.join(REQUIRED.get(kind or '', ())) or '—'}")))
            bad = True
    if bad or kind is None or "date" not in values or "lender" not in values:
        return None
    if as_of is not None and values["date"] > as_of:
        problems.append(fields["date"].at(said(f"{where}: 记录日期 {values['date']} 晚于评估日期 as_of {as_of}",
                                               f"{where}: the entry is dated {values['date']}, after as_of {as_of}"),
                                          "C052", said("日志只记已经发生的事；把 as_of 改成今天，或改正日期",
                                                       "the journal records what happened: move as_of to today, or "
                                                       "correct the date")))
        return None
    loan = _lender(values["lender"], loans)
    if loan is None:
        names = ", ".join(f"{i + 1} {x.name}" for i, x in enumerate(loans or ()))
        problems.append(fields["lender"].at(said(f"{where}: 案例中没有借款 '{values['lender']}'",
                                                 f"{where}: no loan '{values['lender']}' in the case"), "C053",
                                            said(f"写借款的名称或序号：{names or '（案例还没有 loans）'}",
                                                 f"name a loan by its name or number: {names or '(the case has no loans)'}")))
        return None
    return Entry(index, values["date"], loan.index, loan.name, kind, values, item.location, origins)


def _lender(said_as: str, loans: tuple[Loan, ...] | None) -> Loan | None:
    for loan in loans or ():
        if loan.name == said_as:
            return loan
    if said_as.isdigit() and loans and 1 <= int(said_as) <= len(loans):
        return loans[int(said_as) - 1]
    return None


NEGOTIATING = ("contact", "proposal", "answer", "agreement")


def snapshot(entries: tuple[Entry, ...]) -> dict[str, tuple[Any, Entry]]:
    """What the journal says about the snapshot fields: name -> (value, the entry that decides it)."""
    out: dict[str, tuple[Any, Entry]] = {}
    talks = [e for e in entries if e.kind in NEGOTIATING]
    if talks:
        out["negotiation.contacted"] = (True, talks[0])
        refused = [e for e in talks if e.kind == "answer" and e.values.get("result") == "refused"]
        out["negotiation.rejections"] = (len(refused), refused[-1] if refused else talks[-1])
        last: dict[int, Entry] = {}
        for e in talks:
            if e.kind in ("proposal", "answer", "agreement"):
                last[e.loan] = e
        decided = [e for e in last.values() if e.kind == "agreement"]
        outcome = "agreed" if last and len(decided) == len(last) else "ongoing"
        out["negotiation.outcome"] = (outcome, max(last.values(), key=lambda e: (e.day, e.index)) if last else talks[-1])
        agreements = [e for e in entries if e.kind == "agreement"]
        if agreements:
            latest = {e.loan: e for e in agreements}
            unwritten = [e for e in latest.values() if not e.values.get("written")]
            out["negotiation.written_confirmation"] = (not unwritten, unwritten[0] if unwritten else agreements[-1])
    incidents = [e for e in entries if e.kind == "incident"]
    for field, test in (("collection.night_calls", at_night),
                        ("collection.third_party_contacted", lambda e: e.values.get("type") == "third_party"),
                        ("collection.home_visit", lambda e: e.values.get("type") == "visit"),
                        ("collection.evidence_kept", lambda e: bool(e.values.get("evidence")))):
        hits = [e for e in incidents if test(e)]
        if hits:
            out[field] = (True, hits[-1])
    return out


def compatible(name: str, stated: Any, derived: Any) -> bool:
    """A stated snapshot field agrees with the journal: equal, or (for what the journal only ever adds: a
    collection flag, a failure the borrower declares) not contradicted by it."""
    if stated == derived:
        return True
    if name == "negotiation.outcome":
        return bool(stated == "failed" and derived == "ongoing")
    if name == "negotiation.contacted":
        return False
    return name.startswith("collection.") and stated is True


def apply_snapshot(entries: tuple[Entry, ...], values: dict[str, Any], origins: dict[str, Location],
                   problems: list[Diagnostic]) -> None:
    """Fill in the snapshot fields the journal decides; a stated field it contradicts is an error."""
    for name, (value, entry) in snapshot(entries).items():
        if name not in values:
            values[name], origins[name] = value, entry.location
            continue
        if compatible(name, values[name], value):
            continue
        shown = str(value).lower() if isinstance(value, bool) else value
        stated = str(values[name]).lower() if isinstance(values[name], bool) else values[name]
        problems.append(Diagnostic("C054", said(
            f"{name} 写的是 {stated}，但日志（第 {entry.location.line} 行，{entry.day}）说明是 {shown}",
            f"{name} says {stated} but the journal (line {entry.location.line}, {entry.day}) says {shown}"),
            origins.get(name), hint=said(f"日志在时，这个字段由日志推出：删掉 `{name.split('.')[1]}`，或改正日志",
                                         f"with a journal this field follows from it: delete "
                                         f"`{name.split('.')[1]}`, or correct the journal")))


def apply_to_loans(entries: tuple[Entry, ...], loans: tuple[Loan, ...] | None,
                   problems: list[Diagnostic]) -> tuple[Loan, ...] | None:
    """A counter-offer to settle (an amount and a deadline, still open) becomes the loan's settlement offer,
    so the settlement rules read it; a loan that states a different offer is an error."""
    if loans is None:
        return None
    out = list(loans)
    for loan in loans:
        offers = [e for e in entries if e.loan == loan.index and e.kind == "answer"
                  and e.values.get("result") == "counter_offer" and "amount" in e.values and "deadline" in e.values]
        if not offers or any(e.kind == "agreement" and e.loan == loan.index and e.day >= offers[-1].day
                             for e in entries):
            continue
        offer = offers[-1]
        derived = {"settlement_offer": offer.values["amount"], "settlement_deadline": offer.values["deadline"]}
        values, origins = dict(loan.values), dict(loan.origins)
        for key, value in derived.items():
            if key in values and values[key] != value:
                problems.append(Diagnostic("C054", said(
                    f"loans[{loan.index}].{key} 写的是 {values[key]}，但日志（第 {offer.location.line} 行）是 {value}",
                    f"loans[{loan.index}].{key} says {values[key]} but the journal (line {offer.location.line}) "
                    f"says {value}"), origins.get(key), hint=said(
                    f"删掉 `{key}`（由日志推出），或改正日志", f"delete `{key}` (the journal gives it), or correct the journal")))
            values[key] = value
            origins.setdefault(key, offer.origins.get("amount" if key == "settlement_offer" else "deadline",
                                                      offer.location))
        values.setdefault("settlement_kind", offer.values.get("settlement", "lump_sum"))
        out[loan.index] = replace(loan, values=values, origins=origins)
    return tuple(out)
