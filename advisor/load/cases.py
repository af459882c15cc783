"""Case stage: a case YAML file -> Case, with every problem found reported at its line and column."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from . import journal
from . import values as amounts
from ..errors import CaseError, Diagnostic, Location, suggest
from ..i18n import Said, said
from ..inert import one_line
from ..model import Bound, Case, Loan
from . import choices
from .read import MAX_BYTES, Source
from .source import Node, load_file, parse_yaml
from ..knowledge.vocabulary import CASE_FACTS, LOAN_FACTS, Fact
from . import personal

# durable_rules aborts the process for a case of about 7,500 loans (measured 7,300 ran, 7,600 crashed: heap
# corruption in delete_state; tests/faults/test_fault_limits.py). A person has tens of loans, not thousands.
MAX_LOANS = 1_000
UNKNOWN_WORDS = {"unknown", "未知", "不清楚", "不知道", "?", "？"}

LENDER_ALIASES = {
    "银行": "bank", "消费金融": "consumer_finance", "消金": "consumer_finance", "小贷": "microloan",
    "小额贷款": "microloan", "网络小贷": "microloan", "信用卡": "credit_card", "月付": "pay_later",
    "先用后付": "pay_later", "先买后付": "pay_later", "民间借贷": "private", "个人": "private",
    "私人": "private", "助贷": "platform", "网贷平台": "platform", "平台": "platform", "不清楚": "unknown",
}


# Chinese words a counsellor may write for a choice, per fact.
CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "loan.lender_type": LENDER_ALIASES,
    "negotiation.outcome": {"未开始": "not_started", "进行中": "ongoing", "已达成": "agreed", "达成": "agreed",
                            "失败": "failed", "被拒": "failed"},
    "situation.debt_agency": {"没有": "none", "无": "none", "考虑中": "considering", "在考虑": "considering",
                              "已委托": "engaged", "已付费": "engaged"},
    "situation.hardship": {"暂时": "temporary", "暂时的": "temporary", "长期": "long_term", "长期的": "long_term"},
    "negotiation.goal": {"延期": "extend_term", "延长期限": "extend_term", "分期": "installments",
                         "减免利息": "reduce_interest", "暂停": "pause", "没有": "none"},
    "loan.channel": personal.CHANNEL_ALIASES,       # the letters' fields (issue 16)
}
# General words that name no one choice (网贷: any online loan, not a kind of lender): refused with every choice
# and its Chinese words, never guessed (choices.py).
GENERAL_WORDS: dict[str, frozenset[str]] = {
    "loan.lender_type": frozenset({"网贷", "网络贷款", "网络借款", "贷款", "借款", "网贷app", "网贷APP", "APP", "app"}),
}


def reader(fact: Fact) -> Callable[[Any], Any]:
    """How a field is read is decided by its declaration in the vocabulary: type and unit (the letters'
    personal fields have readers of their own, load/personal.py)."""
    if fact.name in personal.READERS:
        return personal.READERS[fact.name]
    if fact.type == "bool":
        return amounts.flag
    if fact.type == "date":
        return amounts.date
    if fact.type == "enum":
        return choices.choice(fact.values, CHOICE_ALIASES.get(fact.name), GENERAL_WORDS.get(fact.name, frozenset()))
    if fact.type == "text":
        return choices.text
    if fact.unit == "rate":
        return amounts.rate
    if fact.unit in ("count", "days"):
        what = said("天数", "a number of days") if fact.unit == "days" else said(
            f"{fact.zh}的数目", f"a whole number ({fact.en})")
        return lambda value: amounts.count(value, what)
    return amounts.amount_or_bound


# block -> field -> reader, and loan field -> reader: every input fact of the vocabulary.
BLOCKS: dict[str, dict[str, Callable[[Any], Any]]] = {}
for _fact in CASE_FACTS:
    if "." in _fact.name and not _fact.computed:
        _block, _field = _fact.name.split(".", 1)
        BLOCKS.setdefault(_block, {})[_field] = reader(_fact)
LOAN_FIELDS: dict[str, Callable[[Any], Any]] = {
    f.name.split(".", 1)[1]: reader(f) for f in LOAN_FACTS if not f.computed}
LOAN_FIELDS["notes"] = choices.text
TOP_KEYS = ("as_of", "name", "notes", "loans", "expect", *BLOCKS, "journal")


# Inside { … } a comma separates entries, so `{balance: ¥12,000}` reads as balance ¥12 plus a field '000'.
_SPLIT_HINT = said("在 { … } 里逗号会结束一个值，所以 '12,000' 被读成了 '12' 和一个叫 '000' 的字段："
                   "给金额加引号（'¥12,000'）、写成 12000，或者每个字段单独写一行",
                   "inside { … } a comma ends the value, so '12,000' became '12' and a field '000': "
                   "quote the amount ('¥12,000'), write 12000, or put each field on its own line")


def _is_unknown(node: Node) -> bool:
    return node.value is None or (isinstance(node.value, str) and node.value.strip().lower() in UNKNOWN_WORDS)


class _Reader:
    """Collects values, their origins and problems while walking one case file."""

    def __init__(self) -> None:
        self.problems: list[Diagnostic] = []
        self.values: dict[str, Any] = {}
        self.origins: dict[str, Location] = {}
        self.unknown: set[str] = set()  # named explicitly unknown
        self.bounds: dict[str, Bound] = {}

    def mapping(self, node: Node, where: str, allowed: tuple[str, ...] | dict[str, Any]) -> bool:
        if not node.is_map():
            fields = ', '.join(allowed)
            self.problems.append(node.at(said(f"'{_where_zh(where)}' 必须是由字段组成的映射",
                                              f"'{where}' must be a mapping of fields"), "C020",
                                         said(f"写成 `{where}: {{字段: 值}}`，可用的字段：{fields}",
                                              f"write it as `{where}: {{field: value}}`, fields: {fields}")))
            return False
        for key, key_node in node.keys.items():
            if key not in allowed:
                self.problems.append(key_node.at(said(f"{_where_zh(where)}里没有 '{key}' 这个字段",
                                                      f"unknown field '{key}' in {where}"), "C010",
                                                 _SPLIT_HINT if key.isdigit() else suggest(key, tuple(allowed))))
        return True

    def read(self, node: Node, name: str, reader: Callable[[Any], Any],
             values: dict[str, Any] | None = None, origins: dict[str, Location] | None = None,
             key: str | None = None, bounds: dict[str, Bound] | None = None) -> Any:
        """Read one field into `values` under `key` (the case's own by default); a problem is kept.
        An amount known only within limits ("20余万") goes to `bounds`, never to `values`."""
        try:
            value = reader(node.value)
        except amounts.Unreadable as exc:
            self.problems.append(node.at(amounts.prefixed(name, exc.message), "C021", exc.hint))
            return None
        key = key or name
        if isinstance(value, Bound):
            (self.bounds if bounds is None else bounds)[key] = value
        else:
            (self.values if values is None else values)[key] = value
        (self.origins if origins is None else origins)[key] = node.location
        return value


def _where_zh(where: str) -> str:
    return "案例" if where == "the case" else where


def load_case(path: Path, display: str | None = None) -> Case:
    """Read and validate a case file; raise CaseError listing every problem."""
    display = display or str(path)
    root, problems = load_file(path, display, "Y000")
    if root is None:
        raise CaseError(problems)
    return _case(root, display)


def load_case_text(text: str, display: str) -> Case:
    """A case given as text (a line of a JSON Lines batch, which is YAML too), named `display`."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise CaseError([Diagnostic("Y000", said(f"案例太大（上限 {MAX_BYTES:,} 字节）",
                                                 f"the case is too large (limit {MAX_BYTES:,} bytes)"),
                                    Location(display, 0, 0))])
    root, problems = parse_yaml(Source(display, text), "Y000")
    if root is None:
        raise CaseError(problems)
    return _case(root, display)


def _case(root: Node, display: str) -> Case:
    r = _Reader()
    if not r.mapping(root, "the case", TOP_KEYS):
        raise CaseError(r.problems)
    top = root.value
    as_of = None
    given: list[str] = []
    if "as_of" not in top:
        r.problems.append(Diagnostic("C030", said("案例没有写评估日期 'as_of'", "the case has no 'as_of' date"),
                                     root.source.location(1, 1),
                                     said("加一行 `as_of: YYYY-MM-DD`，写评估的日期（规则从不使用今天的日期）",
                                          "add `as_of: YYYY-MM-DD`, the date of the assessment "
                                          "(rules never use today's date)")))
    else:
        as_of = r.read(top["as_of"], "as_of", amounts.date)
    for block, fields in BLOCKS.items():
        node = top.get(block)
        if node is None or _is_unknown(node):
            continue
        if not r.mapping(node, block, fields):
            continue
        for key, child in node.value.items():
            if key not in fields:
                continue
            name = f"{block}.{key}"
            if _is_unknown(child):
                if name == "negotiation.goal" and child.value is None:
                    r.values[name], r.origins[name] = "none", child.location  # `goal: null`: no goal set
                else:
                    r.unknown.add(name)
                continue
            r.read(child, name, fields[key])
        if node.value:
            given.append(block)
    loans = _loans(top.get("loans"), r)
    if loans is not None:
        r.origins["loans"] = top["loans"].location
    # The negotiation journal (issue 17): its own block, read after the loans it names.
    entries = journal.read_journal(top.get("journal"), loans, as_of, r.problems)
    if entries:
        journal.apply_snapshot(entries, r.values, r.origins, r.problems)
        loans = journal.apply_to_loans(entries, loans, r.problems)
    expect = top["expect"].plain() if "expect" in top else {}
    if "expect" in top and not isinstance(expect, dict):
        r.problems.append(top["expect"].at(said("'expect' 必须是一个映射", "'expect' must be a mapping"), "C020",
                                           said("见 docs/cases.md 的 “Expectations” 一节",
                                                "see docs/cases.md, 'Expectations'")))
    if r.problems or as_of is None:
        raise CaseError(r.problems)
    name = top["name"].value if "name" in top and isinstance(top["name"].value, str) else Path(display).stem
    name = one_line(name)                 # names reach every output: no control or line break left (inert.py)
    return Case(name, as_of, r.values, loans, r.origins, expect if isinstance(expect, dict) else {},
                tuple(given), tuple(sorted(r.unknown)), dict(r.bounds), entries)


def _loans(node: Node | None, r: _Reader) -> tuple[Loan, ...] | None:
    if node is None or _is_unknown(node):
        return None
    if not node.is_seq():
        r.problems.append(node.at(said("'loans' 必须是一个列表，每笔借款一项", "'loans' must be a list, one item per loan"),
                                  "C020", said("每笔借款另起一行，以 '- name: …' 开头",
                                               "start each loan with '- name: …' on its own line")))
        return None
    if len(node.value) > MAX_LOANS:
        r.problems.append(node.value[MAX_LOANS].at(
            said(f"借款太多：{len(node.value):,} 笔（上限 {MAX_LOANS:,} 笔）；这里是第 {MAX_LOANS + 1:,} 笔",
                 f"too many loans: {len(node.value):,} (limit {MAX_LOANS:,}); this is loan {MAX_LOANS + 1:,}"), "C022",
            said("一个案例是一个人的借款；把清单拆开，或者确认文件没有选错",
                 "a case is one person's loans; split the list, or check the file is the right one")))
        return None
    loans = []
    for index, item in enumerate(node.value):
        if not r.mapping(item, f"loans[{index}]", LOAN_FIELDS):
            continue
        values: dict[str, Any] = {}
        origins: dict[str, Location] = {}
        bounds: dict[str, Bound] = {}
        for key, child in item.value.items():
            if key not in LOAN_FIELDS or _is_unknown(child) or key == "notes":
                continue
            r.read(child, f"loans[{index}].{key}", LOAN_FIELDS[key], values, origins, key, bounds)
        _overdue(item, index, values, origins, r)
        if values.get("lenders") == 0:
            r.problems.append(item.value["lenders"].at(said(
                f"loans[{index}].lenders：一行至少代表一家出借方", f"loans[{index}].lenders: a line stands for at least one "
                "lender"), "C021", said("只有一家出借方就不写这一项，否则写这一行合计了几家，例如 `lenders: 20`",
                                        "leave it out for one lender, or write "
                                        "how many lenders this line adds up, e.g. `lenders: 20`")))
        name = one_line(str(values.get("name") or f"借款{index + 1}"))
        values["name"] = name
        loans.append(Loan(index, name, values, origins, bounds))
    return tuple(loans)


def _overdue(item: Node, index: int, values: dict[str, Any], origins: dict[str, Location], r: _Reader) -> None:
    """`overdue` (yes/no) and `overdue_days` say the same thing when both are given: a day count fills in
    `overdue`; a contradiction (`overdue: false` with 30 days) is an error, never a silent choice."""
    days = values.get("overdue_days")
    if days is None:
        return
    stated = values.get("overdue")
    if stated is None:
        values["overdue"] = days > 0
        if "overdue_days" in origins:
            origins["overdue"] = origins["overdue_days"]   # worked out from the day count on that line
    elif stated != (days > 0):
        node = item.value["overdue"]
        r.problems.append(node.at(said(f"loans[{index}]：overdue 写的是 {str(stated).lower()}，但 overdue_days 是 {days}",
                                       f"loans[{index}]: overdue is {str(stated).lower()} but overdue_days is {days}"),
                                  "C041", said("只留其中一项：单写 `overdue_days: N` 就同时说明了两者；不知道逾期天数时"
                                               "只写 `overdue: true`",
                                               "keep one of them: `overdue_days: N` alone says both; write "
                                               "`overdue: true` alone when the number of days is not known")))


def warnings(case: Case) -> list[Diagnostic]:
    """What is legal in a case but likely a mistake, lint-style: two loans with one name (C040)."""
    out = []
    first: dict[str, Loan] = {}
    for loan in case.loans or ():
        if loan.name in first:
            one, other = first[loan.name].index + 1, loan.index + 1
            out.append(Diagnostic(
                "C040", said(f"借款名称重复：第 {one} 笔和第 {other} 笔都叫 '{loan.name}'",
                             f"loans {one} and {other} are both named '{loan.name}'"), loan.origins.get("name"),
                said("给每笔借款起一个不同的名字（例如加上 App 名或合同号的末几位）；在那之前按编号选借款："
                     "advisor letter CASE --loan 2",
                     "give each loan its own name (e.g. add the app or the last digits of the contract); until then "
                     "pick a loan by number: advisor letter CASE --loan 2"), "warning"))
        first.setdefault(loan.name, loan)
    return out
