"""The case schema's `journal:` (issue 17): one entry per item, the fields its kind admits, the words
(English or Chinese) the journal reader accepts for each choice."""
from __future__ import annotations

from typing import Any

from ..load import journal as j
from ..model import ENTRY_KINDS

HELP: dict[str, tuple[str, str]] = {
    "date": ("日期（必填）", "the date (required)"), "lender": ("借款名称或序号（必填）", "the loan's name or number (required)"),
    "kind": ("记录类型（必填）", "the kind of entry (required)"), "time": ("时间，如 \"22:40\"", "time of day, e.g. \"22:40\""),
    "note": ("备注", "a note"), "channel": ("联系方式", "channel"), "staff": ("对方工号或工单号", "the agent's id or ticket"),
    "monthly": ("每月金额（元）", "monthly amount, yuan"), "months": ("期数（月）", "number of months"),
    "plan": ("方案类型", "kind of proposal"), "letter": ("信件类型", "kind of letter sent"),
    "result": ("答复：接受、拒绝或还价", "the answer: accepted, refused or a counter-offer"),
    "reason": ("拒绝的理由", "reason for a refusal"), "amount": ("金额（元）", "amount, yuan"),
    "deadline": ("还价或结清方案的截止日", "deadline of the counter-offer or settlement"),
    "settlement": ("结清方式", "kind of settlement"), "what": ("约定的内容", "what was agreed"),
    "first_due": ("约定的第一期还款日", "first agreed payment date"),
    "written": ("有书面确认（必填）", "confirmed in writing (required)"),
    "promise": ("出借方的承诺", "what the lender promised"), "status": ("已还或未还（必填）", "made or missed (required)"),
    "due": ("这期的约定还款日", "the agreed date of this payment"), "type": ("事件类型（必填）", "kind of incident (required)"),
    "who": ("谁（号码、姓名、工号）", "who (number, name, id)"), "said": ("对方说了什么", "what was said"),
    "evidence": ("留下的证据（录音、截图）", "evidence kept (recording, screenshot)")}

CHOICES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "kind": (ENTRY_KINDS, j.KIND_ALIASES), "channel": (j.CHANNELS, j.CHANNEL_ALIASES), "plan": (j.PLANS, j.PLAN_ALIASES),
    "result": (j.RESULTS, j.RESULT_ALIASES), "status": (j.STATUSES, j.STATUS_ALIASES),
    "type": (j.INCIDENTS, j.INCIDENT_ALIASES), "settlement": (("lump_sum", "waiver"),
                                                             {"一次性结清": "lump_sum", "结清": "lump_sum", "减免": "waiver",
                                                              "还本免息": "waiver"})}
REFS = {"date": "date", "deadline": "date", "first_due": "date", "due": "date", "monthly": "amount",
        "amount": "amount", "months": "count", "written": "yes_no"}


def _field(name: str) -> dict[str, Any]:
    said = {"description": f"{HELP[name][0]} / {HELP[name][1]}"}
    if name in CHOICES:
        allowed, aliases = CHOICES[name]
        return {**said, "type": "string", "enum": list(dict.fromkeys([*allowed, *aliases]))}
    if name == "time":
        return {**said, "type": "string", "pattern": r"^([01]?\d|2[0-3])[:：][0-5]\d$"}
    return {**said, "$ref": f"#/definitions/{REFS.get(name, 'text')}"}


def journal_schema() -> dict[str, Any]:
    """The `journal:` list: every field any kind admits, the ones each kind requires (draft 7 if/then)."""
    names = list(dict.fromkeys([*j._COMMON, *(f for fields in j.FIELDS.values() for f in fields)]))
    rules = []
    for kind in ENTRY_KINDS:
        words = [kind, *(w for w, v in j.KIND_ALIASES.items() if v == kind)]
        allowed = [*j._COMMON, *j.FIELDS[kind]]
        rules.append({"if": {"properties": {"kind": {"enum": words}}, "required": ["kind"]},
                      "then": {"required": list(j.REQUIRED.get(kind, ())),
                               "propertyNames": {"enum": allowed}}})
    entry = {"type": "object", "required": ["date", "lender", "kind"], "additionalProperties": False,
             "properties": {name: _field(name) for name in names}, "allOf": rules}
    return {"type": ["array", "null"], "items": entry,
            "description": "协商日志：每条一项，按日期 / the negotiation journal: one item per entry (docs/cases.md)"}
