"""The page's and the action plan's own words, zh and en, by key (the advice itself comes from the rules)."""
from __future__ import annotations

from ..knowledge.vocabulary import BY_NAME
from ..i18n import pick

UI = {
    "zh": {
        # the journal (issue 17)
        "journal": "协商日志", "journal_intro": "每次联系、提出的方案、对方的答复、约定、还款和催收事件，按日期记一条；建议会按已经发生的事更新。",
        "journal_text": "日志原文（YAML，可直接修改）", "journal_add": "＋ 记下这一条并更新建议", "journal_new": "新增一条记录",
        "entry_date": "日期", "entry_lender": "哪一笔借款", "entry_kind": "类型", "entry_time": "时间（如 22:40）",
        "entry_more": "其他字段，每行一个“字段: 值”", "entry_more_help": "例如 result: 拒绝 / reason: 金额太低 / monthly: 900 / months: 12 / written: 否 / who: 138****0077 / said: … / evidence: 录音（见 docs/cases.md）",
        "entry_added": "已加入日志，建议已更新。", "entry_refused": "这一条没有加入日志：", "no_journal": "还没有记录。",
        "evidence": "下载催收证据清单（Markdown）",
        "title": "协商还款助手", "lang_switch": "English", "other_lang": "en",
        "intro": "逐项填写借款人的情况，不清楚的可以空着或写“未知”。金额可以写 5000、2.4万、8000多、4000-5000；"
                 "日期写 2026-12-03 或 2026年12月3日。所有内容只在这台电脑上处理，不会发送到别处。",
        "borrower": "借款人", "income": "每月收入", "expenses": "每月支出", "loans": "借款清单",
        "collection": "催收情况", "negotiation": "协商进展", "situation": "其他情况",
        "name": "姓名或称呼", "as_of": "评估日期", "notes": "备注",
        "loan": "第 {n} 笔借款", "add_loan": "＋ 添加一笔借款", "remove_loan": "删除第 {n} 笔",
        "more": "更多字段（合同、结清方案、先息后本……）", "advise": "生成建议", "load": "打开案例文件（YAML）",
        "load_button": "打开", "yes": "是", "no": "否", "unknown": "未知", "not_given": "—",
        "errors": "案例中有 {n} 处问题，请按提示修改（已在对应的输入框旁标出）：",
        "warnings": "请留意", "ask_next": "先补充这几项（会影响最多的建议）", "answer": "填好后更新建议",
        "decides": "影响 {n} 条建议", "plan_waits": "还款方案也在等这一项",
        "findings": "从情况可以看出", "advice": "建议", "why": "为什么（依据）", "none": "没有触发任何建议。",
        "numbers": "数字", "budget": "每月预算", "offers": "给每家出借方的方案", "downloads": "下载与记录",
        "letter": "下载给 {name} 的协商申请", "phone": "电话沟通稿", "case_yaml": "下载案例（YAML）",
        "action_plan": "打开一页行动计划（可打印）", "record": "记录这次决定",
        "recorded": "已记录，编号 #{n}（{db}）", "held": "暂不起草申请：{name}",
        "no_loans": "还没有借款。", "sections": "指南章节", "legend": "✓ 成立　✗ 不成立　? 未知（案例没有写明）　· 数值及其来源",
        "form_origin": "表单", "internal": "出了问题（这是程序的错误，不是你的输入）。请把案例保存下来并报告。",
        "not_found": "没有这个页面。", "back": "回到首页", "load_problems": "打开的文件有问题（行:列）：",
        "not_on_page": "文件里这些字段网页上没有，已保留在原文件中：",
        "safety": "人身安全与权益", "urgent": "紧急", "high": "重要", "normal": "一般", "low": "参考",
        "note": "本工具提供信息，不构成法律意见；具体问题请咨询律师或拨打 12348 公共法律服务热线（免费法律咨询）。",
        "skip": "跳到建议", "calendar": "还款日与联系日（下载日历 .ics）", "charts": "图表",
        "pdf": "下载行动计划（PDF）", "calendar_h": "日历：还款日和最晚联系日", "true_cost": "每笔借款的真实年化成本（对照 24%、36%、4 倍 LPR）", "pdf_failed": "生成 PDF 没有成功：",
    },
    "en": {
        # the journal (issue 17)
        "journal": "Negotiation journal", "journal_intro": "Log each contact, proposal, answer, agreement, payment and collection incident by date; the advice follows what already happened.",
        "journal_text": "The journal as written (YAML, editable)", "journal_add": "+ Log this entry and update the advice", "journal_new": "New entry",
        "entry_date": "Date", "entry_lender": "Which loan", "entry_kind": "Kind", "entry_time": "Time (e.g. 22:40)",
        "entry_more": "Other fields, one \"field: value\" per line", "entry_more_help": "e.g. result: refused / reason: amount too low / monthly: 900 / months: 12 / written: no / who: 138****0077 / said: ... / evidence: recording (see docs/cases.md)",
        "entry_added": "Logged; the advice is updated.", "entry_refused": "This entry was not logged:", "no_journal": "Nothing logged yet.",
        "evidence": "Download the evidence list (Markdown)",
        "title": "Repayment negotiation helper", "lang_switch": "中文", "other_lang": "zh",
        "intro": "Fill in the borrower's situation section by section; leave a field empty or write 未知 when it is "
                 "not known. Amounts as 5000, 2.4万, 8000多, 4000-5000; dates as 2026-12-03 or 2026年12月3日. "
                 "Everything stays on this computer; nothing is sent anywhere.",
        "borrower": "Borrower", "income": "Monthly income", "expenses": "Monthly expenses", "loans": "Loans",
        "collection": "Collection", "negotiation": "Negotiation so far", "situation": "Situation",
        "name": "Name", "as_of": "Assessed on", "notes": "Notes",
        "loan": "Loan {n}", "add_loan": "+ Add a loan", "remove_loan": "Remove loan {n}",
        "more": "More fields (contract, settlement offer, balloon…)", "advise": "Get advice",
        "load": "Open a case file (YAML)", "load_button": "Open", "yes": "yes", "no": "no", "unknown": "unknown",
        "not_given": "—", "errors": "{n} problems in the case; each is marked next to its field:",
        "warnings": "Please check", "ask_next": "Find out these first (they decide the most advice)",
        "answer": "Update the advice", "decides": "decides {n} pieces of advice",
        "plan_waits": "the repayment plan waits on it too",
        "findings": "What the situation shows", "advice": "Advice", "why": "Why", "none": "No advice was triggered.",
        "numbers": "Numbers", "budget": "Monthly budget", "offers": "The offer to each lender",
        "downloads": "Downloads and records", "letter": "Download the request to {name}", "phone": "phone script",
        "case_yaml": "Download the case (YAML)", "action_plan": "Open the one-page action plan (printable)",
        "record": "Record this decision", "recorded": "Recorded as #{n} ({db})", "held": "No letter yet: {name}",
        "no_loans": "No loans yet.", "sections": "guidance",
        "legend": "✓ holds  ✗ does not hold  ? unknown (not in the case)  · a value and where it came from",
        "form_origin": "form", "internal": "Something went wrong (a bug in the program, not your input). "
                                           "Please keep the case and report it.",
        "not_found": "No such page.", "back": "Back to the start", "load_problems": "The file has problems (line:col):",
        "not_on_page": "These fields of the file have no input on the page; they are kept in the file:",
        "safety": "Safety and rights", "urgent": "Urgent", "high": "High", "normal": "Normal", "low": "For reference",
        "note": "This tool gives information, not legal advice; for legal questions ask a lawyer or the 12348 "
                "public legal-service line (free legal advice).",
        "skip": "Skip to the advice", "calendar": "Due dates and call-by dates (download .ics)", "charts": "Charts",
        "pdf": "Download the action plan (PDF)", "calendar_h": "Calendar: due dates and call-by dates", "true_cost": "Each loan's true annual cost (against 24%, 36%, 4 × LPR)", "pdf_failed": "The PDF could not be made:",
    },
}

CHOICES = {
    "loan.lender_type": {"bank": ("银行", "bank"), "consumer_finance": ("消费金融公司", "consumer finance company"),
                         "microloan": ("小额贷款公司（网络小贷）", "microloan company"),
                         "platform": ("网贷平台/助贷", "lending platform"), "credit_card": ("信用卡", "credit card"),
                         "pay_later": ("月付/先用后付", "pay later"), "private": ("民间借贷（个人）", "private lender"),
                         "unknown": ("不清楚是哪类", "not known which kind")},
    "negotiation.goal": {"extend_term": ("延长期限", "extend the term"), "installments": ("重新分期", "installments"),
                         "reduce_interest": ("减免利息", "reduce interest"), "pause": ("暂停还款", "pause"),
                         "none": ("还没有目标", "no goal yet")},
    "negotiation.outcome": {"not_started": ("还没开始", "not started"), "ongoing": ("进行中", "ongoing"),
                            "agreed": ("已达成", "agreed"), "failed": ("失败/被拒", "failed")},
    "situation.debt_agency": {"none": ("没有", "none"), "considering": ("在考虑", "considering"),
                              "engaged": ("已委托", "engaged")},
    "situation.hardship": {"temporary": ("暂时的", "temporary"), "long_term": ("长期的", "long-term")},
    "loan.settlement_kind": {"lump_sum": ("一次性结清", "lump sum"), "waiver": ("减免部分", "waiver")},
    "loan.channel": {"app": ("App/在线客服", "app or online service"), "email": ("邮件", "email"),
                     "post": ("邮寄", "post"), "wechat": ("微信", "WeChat"), "in_person": ("当面递交", "in person")},
}

EXAMPLES = {"cny": "5000 · 2.4万 · 8000多", "rate": "18% · 0.18", "days": "30", "count": "3", "date": "2026-12-03"}


def label(path: str, lang: str) -> str:
    """An input's label: the vocabulary's words for its fact (loan fields by their `loan.` name)."""
    if path in ("name", "as_of", "notes"):
        return UI[lang][path]
    name = "loan." + path.split(".", 1)[1] if path.startswith("loans[") else path
    if name == "loan.notes":
        return UI[lang]["notes"]
    fact = BY_NAME.get(name)
    return path if fact is None else pick(lang, fact.zh, fact.en)


def help_text(path: str, lang: str) -> str:
    """The other language's words for the field, and an example of how to write its value."""
    name = "loan." + path.split(".", 1)[1] if path.startswith("loans[") else path
    fact = BY_NAME.get(name)
    if fact is None:
        return EXAMPLES["date"] if path == "as_of" else ""
    other = pick(lang, fact.en, fact.zh)
    example = EXAMPLES.get(fact.unit) or EXAMPLES.get(fact.type, "")
    return f"{other}" + (f" · {pick(lang, '例如', 'e.g.')} {example}" if example else "")


def choice(name: str, value: str, lang: str) -> str:
    words = CHOICES.get(name, {}).get(value)
    return value if words is None else pick(lang, words[0], words[1])


# The action plan's own words (web/plan.py, web/actions.py and the action_plan template).
PLAN = {
    "zh": {"title": "我的还款行动计划", "as_of": "制定日期", "three": "这周先做的三件事", "today": "今天",
           "by": "{date} 前", "this_week": "本周内（{date} 前）", "budget": "每月收支（每一行都列出，可以核对）",
           "income": "每月收入合计", "essential": "必要开支", "flexible": "可调整开支", "buffer": "备用金（应急用）",
           "priority": "优先债务月供（法院判决/抵押）", "available": "每月可用于其他借款", "gap": "每月缺口",
           "due": "其他借款按合同每月应还", "plan_total": "方案每月合计还款", "offers": "向每家出借方提出的方案", "chart": "收入到可用的钱（图）", "colon": "：", "cost": "每笔借款的真实成本（超过参考线的部分值得核实、可以要求减免）",
           "lender": "出借方", "owed": "欠款", "contract": "合同月供", "offer": "每月提出", "months": "约几个月还清",
           "how": "方式", "calls": "什么时候打电话", "call_by": "最晚联系日", "due_date": "还款日",
           "overdue": "已逾期：尽快联系", "phones": "电话", "safety": "人身安全：先做这些",
           "letters": "协商申请信", "letters_text": "给每家出借方的书面申请：请帮你的顾问在网页的“下载与记录”里下载，"
                                                  "填好空白处后发出。发出后留好记录，要求书面确认。",
           "no_budget": "还算不出预算：先查清 {what}。", "call_lender": "联系 {name}（用 App 或合同上的官方客服电话），"
                                                             "说明情况，提出每月 {offer}",
           "keep_paying": "按合同按时还款（能力范围内）", "print": "打印 / 保存为 PDF",
           "lender_line": "出借方的官方客服电话（App 内或合同上；不要用催收人员给的号码）",
           "l12378": "12378：银行保险消费者投诉热线（金融监管总局）", "l12348": "12348：公共法律服务热线（免费法律咨询）",
           "l12356": "12356：心理援助热线", "l110": "110：受到威胁、有人未经同意进门时报警",
           "held": "暂不联系、不承诺、不付款：{name}——先咨询律师或 12348", "none": "—",
           "note": "本计划提供信息，不构成法律意见。"},
    "en": {"title": "My repayment action plan", "as_of": "made on", "three": "Three things to do this week",
           "today": "today", "by": "by {date}", "this_week": "this week (by {date})",
           "budget": "Money each month (every line shown, so it can be checked)", "income": "monthly income",
           "essential": "essential costs", "flexible": "flexible costs", "buffer": "safety buffer",
           "priority": "priority debts (judgment/secured)", "available": "available for the other loans",
           "gap": "shortfall each month", "due": "the other loans' contractual payments", "plan_total": "the plan pays",
           "offers": "The offer to each lender", "chart": "From income to what is available", "colon": ": ", "cost": "What each loan really costs (above a reference line is worth checking and asking to reduce)", "lender": "lender", "owed": "owed", "contract": "contract",
           "offer": "offer per month", "months": "months to clear", "how": "how", "calls": "When to call",
           "call_by": "call by", "due_date": "due", "overdue": "overdue: call as soon as possible", "phones": "Phone lines",
           "safety": "Safety first", "letters": "Letters",
           "letters_text": "A written request to each lender: ask your counsellor to download it on the page "
                           "(Downloads), fill in the blanks and send it. Keep a copy and ask for written confirmation.",
           "no_budget": "No budget yet: find out {what} first.",
           "call_lender": "call {name} (the official line in the app or the contract), explain, and offer "
                          "{offer} a month", "keep_paying": "keep paying as agreed (it is affordable)",
           "print": "Print / save as PDF",
           "lender_line": "each lender's official customer line (in the app or the contract; never a number a collector gives)",
           "l12378": "12378: banking and insurance consumer complaints", "l12348": "12348: public legal-service line (free)",
           "l12356": "12356: psychological support line", "l110": "110: police, for threats or entry without consent",
           "held": "Do not contact, promise or pay yet: {name}; ask a lawyer or 12348 first", "none": "—",
           "note": "This plan gives information, not legal advice."},
}
