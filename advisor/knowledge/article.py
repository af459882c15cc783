"""The guidance article's own words, one passage per section id, for audits ("which sentence is this
advice from?"). Quoted from ../shared/seed/000_9d3bf3e84535607b.txt with its systematic typo
corrected: the copy drops 题 after 问 (问 → 问题, 财务顾问题 → 财务顾问); its ASCII commas are shown
full-width. tests/knowledge/test_article.py checks each passage against the seed text. The related topics R1–R6
are only linked from the article; their passage is the link's teaser line. `en` is our summary
(../shared/seed/OUTLINE.md), not a translation.
"""
from __future__ import annotations

from ..i18n import pick

PASSAGES: dict[str, tuple[str, str]] = {
    "0": ("当经济状况发生变化，无法按期还款时，与网贷平台协商还款显得尤为重要。",
          "When circumstances change and you cannot repay on time, negotiating with the platform matters."),
    "1": ("在与网贷平台协商之前，首先要清楚自己的还款能力。",
          "Before negotiating, know your repayment capacity."),
    "1.1": ("了解自己的月收入、其他来源的收入以及可能的额外收入。计算出可用于还款的金额，"
            "确保在协商时能够提出合理的还款方案。",
            "Know your monthly income, other income and possible extra income; work out what is available for "
            "repayment."),
    "1.2": ("明确每月的固定支出，如生活费、房租、家庭开支等，了解自己的财务状况，确保在协商中不超出自己的承受范围。",
            "Know your fixed monthly costs (living, rent, family) and stay within what you can bear."),
    "1.3": ("清楚自己已经借款的金额、利息以及还款期限，掌握这些信息有助于在协商时提出有效的建议。",
            "Know each loan's amount, interest and term."),
    "2": ("在确定了自己的还款能力后，积极与网贷平台进行沟通是协商成功的关键。",
          "Once capacity is known, active communication with the platform is the key to success."),
    "2.1": ("避免在还款日临近或已经逾期的情况下进行协商，这样可能会导致对方的不满。"
            "最好提前几天与对方联系，表明你的还款意愿。",
            "Avoid negotiating when the due date is near or already passed; contact the lender a few days ahead."),
    "2.2": ("说明自己的经济状况变化，诚实地告诉他们你目前的困境，而不是试图隐瞒。"
            "诚实的态度有助于建立信任，从而增加协商的成功率。",
            "Explain the change honestly and do not hide the difficulty; honesty builds trust."),
    "2.3": ("提出具体的还款方案。例如，延长还款期限、分期还款或减免部分利息等。"
            "确保这些方案是基于你自身的还款能力提出的，避免提出不切实际的要求。",
            "Propose a concrete plan (a longer term, installments, reducing part of the interest) grounded in "
            "your capacity."),
    "3": ("在与网贷平台协商时，了解相关的法律法规可以帮助你更好地保护自己的权益。",
          "Knowing the relevant law helps protect your rights."),
    "3.1": ("仔细阅读借贷合同中的条款，了解自己的权利和义务。特别是关于逾期还款、提前还款、利息计算等方面的规定。",
            "Read the contract: rights and duties, especially overdue, early-repayment and interest clauses."),
    "3.2": ("消费者在借贷过程中有权获得公平、公正的对待。若网贷平台在处理你的还款请求时存在不当行为，"
            "可以依据相关法律进行维权。",
            "Consumers have the right to fair treatment; improper conduct by the platform can be challenged."),
    "4": ("如果在协商过程中遇到困难，不妨寻求专业的帮助。",
          "If negotiating is hard, get professional help."),
    "4.1": ("若借款金额较大，或与网贷平台的纠纷较为复杂，可以咨询专业律师。"
            "律师可以帮助你分析合同，提供法律建议，甚至在协商中代理你。",
            "For a large amount or a complex dispute, consult a lawyer, who can analyse the contract and act "
            "for you."),
    "4.2": ("请教专业的财务顾问，帮助你制定合理的还款计划。",
            "A financial adviser can help build a reasonable repayment plan."),
    "5": ("在整个协商过程中，保持积极的心态非常重要。即使遇到挫折，也不要轻易放弃。",
          "Stay positive throughout; do not give up after setbacks."),
    "5.1": ("在协商前设定明确的目标，例如希望延长还款期限或减免部分利息，并为达成这些目标制定具体的计划。",
            "Set a clear goal before negotiating and a plan to reach it."),
    "5.2": ("可能会遇到对方不愿意接受的情况。这时需要保持灵活性，及时调整自己的方案，寻找双方都能接受的解决办法。",
            "If the lender refuses, stay flexible and adjust toward something both sides accept."),
    "6": ("在协商结束后，不论结果如何，都要进行小编总结与反思。",
          "After negotiating, whatever the result, review."),
    "6.1": ("无论协商成功与否，都要小编总结经验教训。思考哪些策略有效，哪些不够完善，为下一次的协商做好准备。",
            "Learn which strategies worked and which did not; prepare for the next round."),
    "6.2": ("在面对网贷问题时，也要反思自己的财务管理方式。是否存在不合理的消费行为？是否制定了合理的预算？",
            "Review money management: unreasonable spending? a budget?"),
    "7": ("通过了解自身的还款能力、积极沟通、掌握法律法规、寻求专业帮助、保持积极心态，"
          "以及小编总结反思，借款人能够更有效地与网贷平台协商还款。",
          "Capacity, communication, law, professional help, mindset and review, in that order."),
    "R1": ("信用卡逾期了可以协商分期还款吗", "Can an overdue credit card be negotiated into installments?"),
    "R2": ("抖音月付逾期1天", "A Douyin pay-later bill overdue by one day."),
    "R3": ("樊少皇法务咨询是一家专业的法律服务机构，为客户提供各种法律咨询和解决方案。",
           "A paid 'legal consultancy' firm and its own fees."),
    "R4": ("欠款逾期不经本人同意可以上村委会吗", "May collectors go to the village committee without consent?"),
    "R5": ("如果借款人未能按时偿还借款或者未能按照合同约定进行还款，就会发生逾期现象",
           "What happens step by step once a platform loan is overdue."),
    "R6": ("特别是当催债行为采取上门的方式时，往往会引发一系列的社会问题和法律争议。",
           "Door-to-door collection and where it becomes unlawful."),
}


def passage(section: str, lang: str = "zh") -> str:
    zh, en = PASSAGES[section]
    return pick(lang, zh, en)
