"""Plan stage, the letter library (issue 16): which letters and scripts fit a lender's situation, and why.

Each kind is a template counsellors edit (templates/<file>). A kind marked `safe` never acknowledges a
debt (no promise, no plan, no amount confirmed): only those may be drafted for a debt held for the
limitation check (Civil Code arts. 192 and 195; SPC limitation rules arts. 14 and 19; domain.md A12, H),
and even those only on request, after advice: the plan says to ask before any contact."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import Said, said
from ..model import Case, Loan
from ..report import Plan


@dataclass(frozen=True)
class Kind:
    id: str
    file: str
    zh: str
    en: str
    safe: bool = False          # never acknowledges the debt: may be drafted for a limitation-held debt
    script: bool = False        # a phone script for the borrower, not a letter to send


KINDS: tuple[Kind, ...] = (
    Kind("hardship", "letter.zh.txt.j2", "初次协商还款申请", "first hardship application with a schedule"),
    Kind("card70", "card70.zh.txt.j2", "信用卡个性化分期申请（第七十条）", "credit-card art. 70 instalment application"),
    Kind("pause", "pause.zh.txt.j2", "暂缓或临时减少还款申请", "temporary reduced payment or pause, with a review date"),
    Kind("token", "token.zh.txt.j2", "象征性还款申请", "token offer when almost nothing is available"),
    Kind("statement", "statement.zh.txt.j2", "欠款明细查询函", "request for a statement of what is owed", safe=True),
    Kind("stop_contact", "stop_contact.zh.txt.j2", "停止联系第三方的要求", "request to stop contacting third parties",
         safe=True),
    Kind("follow_up", "follow_up.zh.txt.j2", "催复函（逾期未答复）", "follow-up when there is no reply"),
    Kind("refused", "refused.zh.txt.j2", "被拒后的再次申请", "response to a refused offer"),
    Kind("confirm_oral", "confirm_oral.zh.txt.j2", "口头约定的书面确认", "written confirmation of an oral agreement"),
    Kind("settlement", "settlement.zh.txt.j2", "结清方案书面确认请求", "request to confirm a settlement in writing"),
    Kind("complaint", "complaint.zh.txt.j2", "投诉信", "complaint to the lender, then the regulator"),
    Kind("phone", "phone.zh.txt.j2", "电话协商话术（我打给对方）", "phone script: calling the lender", script=True),
    Kind("collector", "collector.zh.txt.j2", "接到催收电话时的话术", "phone script: when a collector calls",
         safe=True, script=True),
)
BY_ID = {kind.id: kind for kind in KINDS}
OFFER_KINDS = ("hardship", "card70", "pause", "token", "follow_up", "refused")   # carry the budget sheet
MISCONDUCT = ("collection.threats", "collection.impersonation", "collection.entered_home", "collection.night_calls",
              "collection.third_party_contacted")
CALLS_LINE = 3       # connected collection calls a day (2025 national standard; domain.md A8, H)


@dataclass(frozen=True)
class Fit:
    kind: Kind
    why: Said


def private(loan: Loan) -> bool:
    return loan.values.get("lender_type") == "private"


def fits(case: Case, plan: Plan | None, loan: Loan) -> tuple[Fit, ...]:
    """The letters and scripts that fit this loan, in the order a negotiation uses them."""
    if plan is None:
        return ()
    out: list[Fit] = []

    def add(kind: str, zh: str, en: str) -> None:
        out.append(Fit(BY_ID[kind], said(zh, en)))

    v: dict[str, Any] = dict(case.values)
    held = any(h.loan == loan.index for h in plan.held)
    offer = next((o for o in plan.offers if o.loan == loan.index), None)
    institution = not private(loan)
    overdue = bool(loan.values.get("overdue"))
    if held:
        add("statement", "这笔借款在核查诉讼时效：只可以要求对方列出明细，信中写明不确认金额；发出前先咨询律师或 12348",
            "held for the limitation check: only a request for a statement that confirms no amount; take advice first")
    elif any(index == loan.index for index, _, _ in plan.to_confirm):
        add("statement", "欠款余额或月供还不清楚：先要求对方列出本金、利息、罚息和费用",
            "balance or payment unknown: ask for a statement split into principal, interest, penalty and fees")
    if offer is not None and not plan.affordable and loan.lenders == 1:   # a line for N lenders has no one amount
        if "pause" in offer.proposals and offer.offer > 0:
            add("token", "可用的钱不够每家的最低还款额：申请暂缓，期间每月象征性还一点",
                "not enough for every lender's minimum: a pause with a token payment")
        elif "pause" in offer.proposals:
            add("pause", "连象征性还款也拿不出：申请暂停还款，约定复核日期",
                "not even a token payment is available: a payment pause with a review date")
        elif loan.values.get("lender_type") == "credit_card":
            add("card70", "信用卡：依《商业银行信用卡业务监督管理办法》第七十条申请个性化分期（最长 60 期）",
                "credit card: apply for personalised instalments under art. 70 (at most 60)")
        elif v.get("situation.hardship") == "temporary":
            add("pause", "困难是暂时的：申请一段时间内减少还款，到复核日期再商定",
                "the hardship is temporary: a reduced payment for a while, with a review date")
        else:
            add("hardship", "按比例分配的月供低于合同月供：提出附还款计划表的协商申请",
                "the pro-rata share is below the contract payment: an application with a schedule")
    if not held and not any(f.kind.id == "statement" for f in out) and (
            overdue or v.get("situation.disputed_debt") is True):
        add("statement", "已逾期或对金额有疑问：要求对方列出欠款明细（本函不确认金额）",
            "overdue or the amount is disputed: ask for a statement (it confirms no amount)")
    if institution and (v.get("collection.third_party_contacted") is True
                        or v.get("collection.threatened_contacts") is True):
        add("stop_contact", "催收联系了或威胁联系家人、同事等第三方：书面要求停止",
            "collectors contacted or threatened to contact third parties: ask in writing that they stop")
    asked = offer is not None and not plan.affordable and not held and loan.lenders == 1
    rejections = v.get("negotiation.rejections") or 0
    if asked and v.get("negotiation.contacted") is True and rejections == 0 and v.get("negotiation.outcome") in (
            None, "ongoing", "not_started"):
        add("follow_up", "已经申请过、还没有答复：到期后发催复函",
            "applied already with no answer yet: a follow-up after the deadline")
    if asked and (rejections > 0 or v.get("negotiation.outcome") == "failed"):
        add("refused", "申请被拒过：附上收支表再次申请，并说明下一步",
            "the offer was refused: apply again with the budget and say the next step")
    if not held and v.get("negotiation.outcome") == "agreed" and v.get("negotiation.written_confirmation") is not True:
        add("confirm_oral", "已经口头谈好、还没有书面确认：请对方书面确认",
            "agreed orally but not in writing: ask for written confirmation")
    if not held and "settlement_offer" in loan.values:
        add("settlement", "对方提出了结清或减免方案：付款前先要书面确认",
            "the lender offered a settlement: get it in writing before paying")
    calls = v.get("collection.calls_per_day")
    if institution and not held and (rejections >= 2 or any(v.get(f) is True for f in MISCONDUCT)
                                     or (isinstance(calls, (int, float)) and calls > CALLS_LINE)):
        add("complaint", "多次被拒或催收方式不当：先向出借方投诉，15 日内无结果再向监管部门反映",
            "refused repeatedly or improper collection: complain to the lender, then the regulator")
    if asked:
        add("phone", "打电话协商时照着说：要工单号，说明会书面提交",
            "what to say when calling: get a ticket number, say it follows in writing")
    if institution and (overdue or held):
        add("collector", "接到催收电话时：核实身份，不给验证码，不向个人账户付款",
            "when a collector calls: check who it is, no codes, no personal accounts")
    return tuple(out)


def held_reason(plan: Plan | None, loan: Loan) -> Said | None:
    held = next((h for h in plan.held if h.loan == loan.index), None) if plan else None
    return held.reason if held else None
