"""The declared facts: every name a rule condition may use, with its type, unit and labels."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import pick, t

LENDER_TYPES = ("bank", "consumer_finance", "microloan", "platform", "credit_card", "pay_later", "private", "unknown")
GOALS = ("extend_term", "installments", "reduce_interest", "pause", "none")
OUTCOMES = ("not_started", "ongoing", "agreed", "failed")
AGENCY = ("none", "considering", "engaged")
HARDSHIP = ("temporary", "long_term")
SETTLEMENT = ("lump_sum", "waiver")
CHANNELS = ("app", "email", "post", "wechat", "in_person")      # how a letter reaches the lender (issue 16)


@dataclass(frozen=True)
class Fact:
    """One declared fact. `scope` is 'case' (one per case) or 'loan' (one per loan)."""

    name: str
    type: str            # number | bool | enum | text | date
    scope: str
    zh: str
    en: str
    unit: str = ""       # cny | rate | days | count
    values: tuple[str, ...] = ()
    computed: bool = False  # derived by the advisor from other case fields, not written in the case

    @property
    def key(self) -> str:
        """The property name inside an engine fact (no dots)."""
        return self.name.split(".", 1)[1].replace(".", "__") if self.scope == "loan" else self.name.replace(".", "__")


def _f(name: str, type_: str, zh: str, en: str, unit: str = "", values: tuple[str, ...] = (),
       computed: bool = False) -> Fact:
    return Fact(name, type_, "loan" if name.startswith("loan.") else "case", zh, en, unit, values, computed)


FACTS: tuple[Fact, ...] = (
    # The numbers of guidance section 1, computed from the case (null when an input is unknown).
    _f("monthly_income", "number", "月收入合计", "monthly income", "cny", computed=True),
    _f("monthly_expenses", "number", "月支出合计", "monthly expenses", "cny", computed=True),
    _f("monthly_disposable", "number", "每月可支配", "monthly disposable income", "cny", computed=True),
    _f("total_balance", "number", "欠款余额合计", "total outstanding balance", "cny", computed=True),
    _f("monthly_due", "number", "每月应还合计", "monthly payments due", "cny", computed=True),
    _f("monthly_shortfall", "number", "每月缺口", "monthly shortfall", "cny", computed=True),
    _f("overdue_loans", "number", "逾期笔数", "overdue loans", "count", computed=True),
    _f("loan_count", "number", "借款笔数", "number of loans", "count", computed=True),
    # Bounds (guidance section 1 with messy data): what is certain although the exact figure is not.
    # "20余万" is at least 200,000; "4000-5000" a range; an unknown payment counts as at least 0.
    _f("monthly_income_min", "number", "月收入至少", "monthly income, at least", "cny", computed=True),
    _f("monthly_income_max", "number", "月收入至多", "monthly income, at most", "cny", computed=True),
    _f("monthly_expenses_min", "number", "月支出至少", "monthly expenses, at least", "cny", computed=True),
    _f("monthly_disposable_max", "number", "每月可支配至多", "monthly disposable income, at most", "cny",
       computed=True),
    _f("total_balance_min", "number", "欠款余额合计至少", "total outstanding balance, at least", "cny", computed=True),
    _f("monthly_due_min", "number", "每月应还合计至少", "monthly payments due, at least", "cny", computed=True),
    _f("monthly_shortfall_min", "number", "每月缺口至少", "monthly shortfall, at least", "cny", computed=True),
    _f("overdue_loans_min", "number", "逾期笔数至少", "overdue loans, at least", "count", computed=True),
    _f("as_of", "date", "评估日期", "assessment date"),
    _f("income.salary", "number", "工资收入", "salary", "cny"),
    _f("income.business", "number", "经营收入", "business income", "cny"),
    _f("income.benefits", "number", "补贴/保障收入", "benefits", "cny"),
    _f("income.family_support", "number", "家人资助", "family support", "cny"),
    _f("income.other", "number", "其他收入", "other income", "cny"),
    _f("income.extra", "number", "额外收入", "extra income", "cny"),
    _f("expenses.living", "number", "生活费", "living costs", "cny"),
    _f("expenses.rent", "number", "房租/房贷", "rent or mortgage", "cny"),
    _f("expenses.utilities", "number", "水电燃气通讯", "utilities", "cny"),
    _f("expenses.transport", "number", "交通", "transport", "cny"),
    _f("expenses.medical", "number", "医疗", "medical", "cny"),
    _f("expenses.education", "number", "子女教育", "education", "cny"),
    _f("expenses.family", "number", "家庭开支/赡养", "family support paid", "cny"),
    _f("expenses.other", "number", "其他支出", "other expenses", "cny"),
    _f("collection.third_party_contacted", "bool", "催收联系了第三方", "collector contacted third parties"),
    _f("collection.threats", "bool", "催收有威胁言语", "collector made threats"),
    _f("collection.home_visit", "bool", "上门催收", "collector visited the home"),
    _f("collection.night_calls", "bool", "夜间催收电话", "collection calls at night"),
    _f("collection.calls_per_day", "number", "每天催收电话次数", "collection calls per day", "count"),
    _f("collection.impersonation", "bool", "冒充公检法或伪造法律文书",
       "collector impersonated officials or sent fake legal papers"),
    _f("collection.entered_home", "bool", "催收人员未经同意进门或赖着不走",
       "collector entered the home without consent or refused to leave"),
    _f("collection.threatened_contacts", "bool", "催收威胁要联系家人、通讯录或单位（还没有联系）",
       "collector threatened to contact family, contacts or the employer (not yet done)"),
    _f("collection.threatened_visit", "bool", "催收威胁要上门（还没有来）",
       "collector threatened to come to the door (not yet done)"),
    _f("collection.evidence_kept", "bool", "已保存催收证据", "evidence of the collection is kept"),
    _f("negotiation.contacted", "bool", "已联系平台协商", "has contacted the lender"),
    _f("negotiation.outcome", "enum", "协商结果", "outcome of the negotiation", values=OUTCOMES),
    _f("negotiation.written_confirmation", "bool", "已取得书面确认", "the agreement is confirmed in writing"),
    _f("negotiation.rejections", "number", "协商被拒次数", "rejections so far", "count"),
    _f("negotiation.goal", "enum", "协商目标", "negotiation goal", values=GOALS),
    _f("negotiation.proposed_monthly", "number", "打算提出的每月还款额", "monthly amount the borrower plans to offer",
       "cny"),
    _f("situation.lawsuit", "bool", "已被起诉", "a lawsuit has been filed"),
    _f("situation.distress", "bool", "情绪压力很大", "in distress"),
    _f("situation.has_budget", "bool", "有家庭预算", "keeps a budget"),
    _f("situation.disputed_debt", "bool", "对欠款金额或合同有争议", "the debt or the contract is disputed"),
    _f("situation.borrowing_to_repay", "bool", "以贷养贷", "borrowing new loans to repay old ones"),
    _f("situation.debt_agency", "enum", "付费“债务优化/法务”机构", "paid debt-relief agency", values=AGENCY),
    _f("situation.hardship", "enum", "困难是暂时的还是长期的", "whether the hardship is temporary or long-term",
       values=HARDSHIP),
    _f("situation.income_stopped", "bool", "收入中断（失业、生病、生意失败）",
       "income has stopped (job lost, illness, business failed)"),
    _f("situation.lenders_cut_off", "bool", "平台已不再放款（断贷）", "lenders have stopped lending (cut off)"),
    _f("situation.hidden_from_family", "bool", "对家人隐瞒了债务", "the debt is hidden from the family"),
    _f("situation.court_mediation", "bool", "法院调解中或已调解", "court mediation under way or done"),
    _f("situation.enforcement", "bool", "已被强制执行（冻结、限高、失信）",
       "enforcement has started (frozen accounts, spending limits, dishonest-debtor list)"),
    _f("situation.agency_fee_paid", "number", "已付给中介机构的费用", "fee already paid to a debt agency", "cny"),
    _f("situation.shenzhen_insured_years", "number", "在深圳连续缴纳社保的年数",
       "years of continuous Shenzhen social insurance", "count"),
    # The negotiation journal (issue 17), computed from `journal:`; absent (unknown) when a case has none.
    _f("journal.entries", "number", "日志记录条数", "journal entries", "count", computed=True),
    _f("journal.refused_lender", "text", "最近一次拒绝方案的出借方", "lender that last refused", computed=True),
    _f("journal.refused_date", "date", "最近一次被拒的日期", "date of the last refusal", computed=True),
    _f("journal.refused_monthly", "number", "被拒方案的每月金额", "monthly amount of the refused proposal", "cny",
       computed=True),
    _f("journal.refused_months", "number", "被拒方案的期数", "months of the refused proposal", "months",
       computed=True),
    _f("journal.refused_reason", "text", "对方拒绝的理由", "reason given for the refusal", computed=True),
    _f("journal.refused_same_twice", "bool", "同一方案被同一出借方拒绝两次以上",
       "the same proposal was refused twice by the same lender", computed=True),
    _f("journal.adjusted_monthly", "number", "按预算调整后的每月方案", "adjusted monthly offer from the plan", "cny",
       computed=True),
    _f("journal.adjusted_months", "number", "调整后方案的期数", "months of the adjusted offer", "months",
       computed=True),
    _f("journal.refused_at_capacity", "bool", "被拒的方案已经是预算能给的全部",
       "the refused proposal was already all the budget allows", computed=True),
    _f("journal.counter_lender", "text", "提出还价的出借方", "lender that made a counter-offer", computed=True),
    _f("journal.counter_date", "date", "还价的日期", "date of the counter-offer", computed=True),
    _f("journal.counter_monthly", "number", "对方还价的每月金额", "monthly amount the lender asked for", "cny",
       computed=True),
    _f("journal.counter_months", "number", "对方还价的期数", "months the lender asked for", "months", computed=True),
    _f("journal.counter_capacity", "number", "预算里能给这家的每月金额", "monthly amount the plan has for that lender",
       "cny", computed=True),
    _f("journal.counter_over_capacity", "bool", "对方还价超过还款能力", "the counter-offer is above capacity",
       computed=True),
    _f("journal.agreement_unwritten", "bool", "有口头约定还没有书面确认", "an agreement is not confirmed in writing",
       computed=True),
    _f("journal.agreement_lender", "text", "口头约定的出借方", "lender of the unwritten agreement", computed=True),
    _f("journal.agreement_date", "date", "口头约定的日期", "date of the unwritten agreement", computed=True),
    _f("journal.agreement_what", "text", "约定的内容", "what was agreed", computed=True),
    _f("journal.next_payment_date", "date", "下一期约定还款日", "next agreed payment date", computed=True),
    _f("journal.next_payment_lender", "text", "下一期约定还款的出借方", "lender of the next agreed payment",
       computed=True),
    _f("journal.next_payment_amount", "number", "下一期约定还款额", "next agreed payment", "cny", computed=True),
    _f("journal.days_to_agreed_payment", "number", "距下一期约定还款日天数", "days until the next agreed payment",
       "days", computed=True),
    _f("journal.missed_payment", "bool", "约定的还款有一期没还上", "an agreed payment was missed", computed=True),
    _f("journal.missed_lender", "text", "漏还的出借方", "lender of the missed payment", computed=True),
    _f("journal.missed_due", "date", "漏还那期的还款日", "due date of the missed payment", computed=True),
    _f("journal.night_calls", "number", "记录的夜间催收（22:00–8:00）次数", "night collection contacts logged (22:00-08:00)",
       "count", computed=True),
    _f("journal.night_first", "date", "第一次夜间催收的日期", "date of the first night contact", computed=True),
    _f("journal.night_last", "date", "最近一次夜间催收的日期", "date of the last night contact", computed=True),
    _f("journal.incidents", "number", "记录的催收事件数", "collection incidents logged", "count", computed=True),
    _f("journal.promise_broken", "bool", "出借方的承诺没有兑现", "a promise by the lender was not kept", computed=True),
    _f("journal.promise_lender", "text", "没有兑现承诺的出借方", "lender that did not keep its promise", computed=True),
    _f("journal.promise", "text", "出借方承诺的内容", "what the lender promised", computed=True),
    _f("journal.promise_date", "date", "承诺的日期", "date of the promise", computed=True),
    _f("journal.broken_date", "date", "发现没兑现的日期", "date the promise was found broken", computed=True),
    _f("journal.accepted_lender", "text", "最近接受方案的出借方", "lender that last accepted", computed=True),
    _f("journal.accepted_date", "date", "接受的日期", "date of the acceptance", computed=True),
    _f("journal.accepted_monthly", "number", "被接受的每月金额", "monthly amount accepted", "cny", computed=True),
    _f("journal.accepted_months", "number", "被接受的期数", "months accepted", "months", computed=True),
    # Who writes the letters (issue 16): what a lender needs to find the account. Never the file name.
    _f("borrower.name", "text", "借款人姓名（写在信上）", "the borrower's name, as the letters carry it"),
    _f("borrower.id_number", "text", "身份证号（只写遮盖后的，如 1101**********1234）",
       "ID number, masked only (e.g. 1101**********1234)", "id_masked"),
    _f("borrower.phone", "text", "在出借方登记的手机号", "the phone number registered with the lenders", "phone"),
    # Per loan.
    _f("loan.name", "text", "借款名称", "loan name"),
    # Per loan, for the letters (issue 16).
    _f("loan.lender_name", "text", "出借方全称（个人出借人写姓名）", "the lender's full name (a person's name for a private loan)"),
    _f("loan.contract_number", "text", "借款合同编号或借据号", "contract or loan number"),
    _f("loan.card_last4", "text", "信用卡卡号后四位", "the card number's last four digits", "last4"),
    _f("loan.channel", "enum", "信件的递交方式", "how letters are sent to this lender", values=CHANNELS),
    _f("loan.first_overdue_date", "date", "首次逾期日期", "date of the first overdue payment"),
    _f("loan.lender_type", "enum", "出借方类型", "lender type", values=LENDER_TYPES),
    _f("loan.balance", "number", "剩余欠款", "outstanding balance", "cny"),
    _f("loan.principal", "number", "实际到手本金", "cash actually received", "cny"),
    _f("loan.annual_rate", "number", "年利率", "annual rate", "rate"),
    _f("loan.monthly_fee_rate", "number", "月费率", "monthly fee rate", "rate"),
    _f("loan.installments", "number", "期数", "installments", "count"),
    _f("loan.monthly_payment", "number", "每月还款额", "monthly payment", "cny"),
    _f("loan.next_due", "date", "下一个还款日", "next due date"),
    _f("loan.days_to_due", "number", "距还款日天数", "days until the due date", "days", computed=True),
    _f("loan.overdue_days", "number", "已逾期天数", "days overdue", "days"),
    _f("loan.overdue", "bool", "已逾期（天数可不填）", "overdue (the number of days may be unknown)"),
    _f("loan.lenders", "number", "这一行代表几家出借方", "how many lenders this line stands for", "count"),
    _f("loan.balloon_amount", "number", "先息后本：到期要一次还的本金", "balloon: principal due at once", "cny"),
    _f("loan.balloon_date", "date", "先息后本：本金到期日", "balloon: date the principal is due"),
    _f("loan.days_to_balloon", "number", "距本金到期日天数", "days until the balloon payment", "days",
       computed=True),
    _f("loan.settlement_offer", "number", "出借方提出的结清/减免金额", "amount the lender offered to settle for",
       "cny"),
    _f("loan.settlement_kind", "enum", "结清方案类型", "kind of settlement offer", values=SETTLEMENT),
    _f("loan.settlement_deadline", "date", "结清方案的截止日", "deadline of the settlement offer"),
    _f("loan.days_to_settlement_deadline", "number", "距结清截止日天数", "days until the settlement deadline",
       "days", computed=True),
    _f("loan.contract_date", "date", "合同签订日", "contract date"),
    _f("loan.contract_read", "bool", "已读过合同", "contract has been read"),
    _f("loan.penalty_terms_known", "bool", "清楚逾期/罚息条款", "overdue and penalty clauses are known"),
    _f("loan.early_repayment_terms_known", "bool", "清楚提前还款条款", "early-repayment clause is known"),
    _f("loan.overdue_amount", "number", "已逾期未还金额", "amount overdue", "cny"),
    _f("loan.last_payment_date", "date", "最后一次还款日", "date of the last payment"),
    _f("loan.apr", "number", "真实年化利率（按到手金额和还款额计算）",
       "true annual rate (from cash received and payments)", "rate", computed=True),
    _f("loan.days_since_last_payment", "number", "距最后一次还款天数", "days since the last payment", "days",
       computed=True),
    # Priority debts (domain.md B5, C2): paid in full before the other lenders share what is left.
    _f("loan.court_judgment", "bool", "已有法院判决或执行", "a court judgment or enforcement order exists"),
    _f("loan.secured", "bool", "有房产或车辆抵押", "secured on a home or car"),
    # Checks a counsellor makes (issue 12): the card's criminal line, cash received below the contract, short loans.
    _f("loan.unpaid_principal", "number", "未还本金（不含利息和费用）", "unpaid principal (without interest and fees)",
       "cny"),
    _f("loan.contract_amount", "number", "合同写的借款金额", "loan amount written in the contract", "cny"),
    _f("loan.term_days", "number", "借款期限（天）", "loan term in days", "days"),
    _f("loan.days_since_contract", "number", "距合同签订日天数", "days since the contract date", "days",
       computed=True),
)

BY_NAME: dict[str, Fact] = {fact.name: fact for fact in FACTS}
CASE_FACTS = tuple(f for f in FACTS if f.scope == "case")
LOAN_FACTS = tuple(f for f in FACTS if f.scope == "loan")


def label(name: str, lang: str) -> str:
    fact = BY_NAME.get(name)
    if fact is None:
        return name
    return pick(lang, fact.zh, fact.en)


_BLOCKS = ("income", "expenses", "loans")
_LOAN_PATH = re.compile(r"^loans\[(\d+)\]\.(\w+)$")


def missing_words(path: str, lang: str) -> str:
    """A field the case lacks, in the reader's words: `loans[0].monthly_payment` -> 第1笔借款·每月还款额."""
    if path in _BLOCKS:
        return t(f"block.{path}", lang)
    match = _LOAN_PATH.match(path)
    if match:
        field = label("loan." + match[2], lang)
        number = int(match[1]) + 1
        return t("field.loan", lang, number=number, field=field)
    return label(path, lang)
