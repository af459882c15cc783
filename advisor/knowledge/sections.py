"""The guidance article's section ids (../shared/seed/OUTLINE.md): the contract between article and rules."""
from __future__ import annotations

from ..i18n import pick

# id -> (heading zh, heading en). Dict order is the article's flow; ranking uses it (section 7:
# capacity -> communication -> law -> professional help -> mindset -> review).
SECTIONS: dict[str, tuple[str, str]] = {
    "0": ("引言", "Introduction"),
    "1": ("了解自身的还款能力", "Know your repayment capacity"),
    "1.1": ("收入状况", "Income"),
    "1.2": ("支出状况", "Expenses"),
    "1.3": ("借款金额及利息", "Loan amounts and interest"),
    "2": ("与网贷平台进行积极沟通", "Communicate actively with the platform"),
    "2.1": ("选择合适的时机", "Choose the right moment"),
    "2.2": ("表达诚意", "Show good faith"),
    "2.3": ("提出具体方案", "Propose a concrete plan"),
    "3": ("掌握相关法律法规", "Know the relevant law"),
    "3.1": ("了解借贷合同", "Understand the loan contract"),
    "3.2": ("了解消费者权益保护法", "Know consumer-protection law"),
    "4": ("寻求专业帮助", "Seek professional help"),
    "4.1": ("律师咨询", "Consult a lawyer"),
    "4.2": ("财务顾问", "Financial adviser"),
    "5": ("保持积极的心态", "Stay positive"),
    "5.1": ("设定目标", "Set a goal"),
    "5.2": ("学会调整", "Learn to adjust"),
    "6": ("总结与反思", "Review and reflect"),
    "6.1": ("总结经验教训", "Lessons learned"),
    "6.2": ("反思财务管理", "Review money management"),
    "7": ("总结", "Summary"),
    "R1": ("信用卡逾期协商分期", "Credit-card overdue and negotiated installments"),
    "R2": ("抖音月付逾期1天", "Pay-later product overdue by a day"),
    "R3": ("法务咨询机构", "Paid legal-consultancy firms"),
    "R4": ("欠款逾期上村委会", "Collectors contacting the village committee"),
    "R5": ("网贷平台逾期流程", "The overdue process of a platform loan"),
    "R6": ("上门催收", "Door-to-door collection"),
}

FLOW: dict[str, int] = {sid: i for i, sid in enumerate(SECTIONS)}


def heading(section: str, lang: str) -> str:
    zh, en = SECTIONS[section]
    return pick(lang, zh, en)
