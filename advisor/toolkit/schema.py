"""Schema stage: JSON Schemas (draft-07) of rule, case and params files, built from the code's declarations.

The editor (VS Code with redhat.vscode-yaml) reads them through the first line of each file,
`# yaml-language-server: $schema=../schemas/case.schema.json`, and then completes keys, shows the
zh / en description of each and flags unknown keys and bad values as they are typed. The advisor's own
loaders stay the authority: they also check what no schema can (conditions, placeholders, facts).
Regenerate the shipped files with `python -m advisor.toolkit.schema --write`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..load import params as parameters
from ..load import rules
from ..load.cases import BLOCKS, CHOICE_ALIASES, LOAN_FIELDS, TOP_KEYS
from .expectations import KEYS as EXPECT_KEYS
from .schema_journal import journal_schema
from ..expr.parser import KEYWORDS
from ..knowledge.figures import SUMMARY_KEYS
from ..plan.offers import PROPOSALS
from ..model import PRIORITIES
from .schema_values import definitions, kind as value_kind
from ..knowledge.sections import SECTIONS
from ..knowledge.vocabulary import BY_NAME, Fact

KINDS = ("rule", "case", "params")
SCHEMA_FILES = {kind: f"{kind}.schema.json" for kind in KINDS}
SCHEMA_DIR = "schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"
REGENERATE = "python -m advisor.toolkit.schema --write"

Help = tuple[str, str]  # (zh, en)
# Every key the loaders accept needs a line here; a key added to the code without one fails loudly.
FILE_HELP: dict[str, Help] = {
    "topic": ("本文件的主题", "the topic of this file"),
    "rules": ("规则列表，每条以 '- id:' 开头", "the rules, each starting with '- id:'")}
RULE_HELP: dict[str, Help] = {
    "id": ("规则编号，不可重复：字母、数字和 . _ -", "unique rule id: letters, digits and . _ -, e.g. timing.due_soon"),
    "title": ("中文标题（必填）", "title in Chinese (required)"),
    "title_en": ("英文标题（可选）", "title in English (optional)"),
    "sources": ("所依据的指南章节（至少一个）", "the guidance sections the rule encodes (at least one)"),
    "when": ("条件，写法见 docs/rules.md", "the condition (docs/rules.md), e.g. monthly_shortfall > 0"),
    "derive": ("推出的事实，供其他规则使用", "derived fact(s) other rules can use"),
    "priority": ("建议的优先级（有 advice 时必填）", "priority of the advice (required with advice)"),
    "advice": ("中文建议，{占位符} 填入案例中的数字", "advice in Chinese; {placeholders} take the case's numbers"),
    "advice_en": ("英文建议（可选）", "advice in English (optional)"),
    "outranks": ("两条都触发时，本条总排在这些规则之前", "advice rules this one is always shown before when both fire"),
    "contradicts": ("与本条意思相反的建议规则", "advice rules that say the opposite (lint checks their precedence)"),
    "note": ("给编辑者的备注，程序不读", "a note for editors; the advisor does not read it"),
    "finding": ("推出的结论怎么告诉读者（只用于有 derive、没有 advice 的规则），如“你已逾期 {loan.overdue_days}，说明……”",
                "what was inferred, told to the reader (a rule with derive and no advice)"),
    "finding_en": ("英文的推断说明（可选）", "the finding in English (optional)")}
PRIORITY_HELP: dict[str, Help] = {
    "safety": ("人身安全，总是最先", "personal safety: always shown first"), "urgent": ("紧急", "urgent"),
    "high": ("重要", "high"), "normal": ("一般", "normal"), "low": ("次要", "low")}
PARAM_HELP: dict[str, Help] = {
    "value": ("固定值：数字；unit 为 date 时写日期", "a fixed value: a number, or a date when unit is date"),
    "values": ("按生效日期的值表，旧的在前", "values by effective date, oldest first: {2019-08-20: 0.0425, …}"),
    "in_force_on": ("按哪个日期查表", "the date the table is looked up on"),
    "verified": ("最后核对日期", "when the value was last checked against its source"),
    "unit": ("单位", "the unit"),
    "source": ("出处：指南章节或 domain.md", "where it comes from: a guidance section id or ../shared/domain.md"),
    "confidence": ("可信度", "how sure we are"),
    "note": ("说明", "a note")}
UNIT_HELP: dict[str, Help] = {
    "cny": ("元", "yuan"), "rate": ("利率，0.24 即 24%", "a rate as a fraction: 0.24 is 24%"),
    "days": ("天", "days"), "months": ("个月", "months"), "count": ("个数或倍数", "a count or multiple"),
    "ratio": ("比例", "a ratio"), "date": ("日期（value 写日期）", "a date (the value is a date)")}
CONFIDENCE_HELP: dict[str, Help] = {
    "H": ("已读原始文本", "primary text read"), "M": ("可靠的二手来源", "good secondary source"),
    "L": ("我们的判断，请复核", "our judgement, review it")}
IN_FORCE_ON_HELP: dict[str, Help] = {
    "as_of": ("案例的评估日期（默认）", "the case's as_of date (the default)"),
    "loan.contract_date": ("每笔借款的合同日，在 any (…) 中使用", "each loan's contract date, used inside any (…)")}
CASE_HELP: dict[str, Help] = {
    "as_of": ("评估日期（必填）：所有日期都从这天算起", "assessment date (required): every date rule counts from it"),
    "name": ("案例名称（可选，默认为文件名）", "name of the case (optional; defaults to the file name)"),
    "notes": ("备注，程序不读", "notes; the advisor does not read them"),
    "loans": ("借款，每笔一项", "the loans, one item each"),
    "expect": ("测试期望，规则不读", "what the tests check for this case; never read by the rules"),
    "income": ("每月收入（元）", "income per month, yuan"), "expenses": ("每月支出（元）", "expenses per month, yuan"),
    "collection": ("催收情况", "how the collectors behave"), "negotiation": ("协商情况", "the negotiation so far"),
    "situation": ("其他情况", "the borrower's situation"),
    "journal": ("协商日志：每条记录一项（日期、借款、类型）", "the negotiation journal: one item per entry (date, loan, kind)"),
    "borrower": ("借款人信息（写在信上）", "the borrower, as the letters name them")}
EXPECT_HELP: dict[str, Help] = {
    "advice": ("必须出现的建议（规则编号）", "rule ids whose advice must appear"),
    "forbid": ("不得出现的建议（规则编号）", "rule ids whose advice must not appear"),
    "before": ("顺序：[在前, 在后]", "order constraints: [first, second] pairs"),
    "says": ("建议文本必须包含的内容", "what each rule's advice text must contain"),
    "summary": ("手算的汇总数字，未知写 null", "the summary figures worked out by hand; null when unknown"),
    "bounds": ("未知数字的确定范围：{min: …, max: …}", "bounds of unknown figures: {min: …, max: …}"),
    "ask_next": ("最先要补充的字段（按顺序）", "the fields asked for first, in order"),
    "plan": ("还款方案：可用金额、总额，以及每笔借款的月供、月数、建议", "the plan: money available, total offered, "
             "and per loan name its monthly offer, months to clear and proposals")}
LOAN_NOTES: Help = ("备注，程序不读", "notes; the advisor does not read them")

RULE_ID = "^[A-Za-z_.-][A-Za-z0-9_.-]*$"
NAME = "^[A-Za-z_][A-Za-z0-9_]*$"


def schema_file(kind: str) -> str:
    """The file name of a kind's schema, e.g. 'case.schema.json'."""
    return SCHEMA_FILES[kind]


def schema_comment(kind: str) -> str:
    """The first line of a shipped file of this kind, read by the YAML extension."""
    return f"# yaml-language-server: $schema=../{SCHEMA_DIR}/{schema_file(kind)}"


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a rule, case or params file."""
    builders = {"rule": _rule_file, "case": _case_file, "params": _params_file}
    if kind not in builders:
        raise ValueError(f"unknown schema kind '{kind}'; one of {', '.join(KINDS)}")
    return builders[kind]()


def render(kind: str) -> str:
    """The schema as the shipped file holds it: indented, Chinese kept as is, a final newline."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"


def stale(directory: Path) -> list[str]:
    """The kinds whose file in `directory` is missing or differs from the generated schema."""
    def differs(kind: str) -> bool:
        path = directory / schema_file(kind)
        return not path.is_file() or path.read_text(encoding="utf-8") != render(kind)
    return [kind for kind in KINDS if differs(kind)]


def write(directory: Path) -> list[Path]:
    """Write every schema into `directory`; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / schema_file(k) for k in KINDS]
    for k, path in zip(KINDS, paths, strict=True):
        path.write_text(render(k), encoding="utf-8")
    return paths


def _say(help_: Help, **rest: Any) -> dict[str, Any]:
    return {"description": f"{help_[0]} / {help_[1]}", **rest}


def _described(help_: dict[str, Help], keys: tuple[str, ...] | list[str], types: dict[str, dict[str, Any]]
               ) -> dict[str, Any]:
    return {key: _say(help_[key], **types.get(key, {})) for key in keys}


def _choices(allowed: tuple[str, ...], help_: dict[str, Help]) -> dict[str, Any]:
    """An enum of the code's allowed values, each described (a value without help text is a KeyError)."""
    return {"type": "string", "enum": list(allowed), "enumDescriptions": [" / ".join(help_[v]) for v in allowed]}


def _one_or_many(item: dict[str, Any], **many: Any) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "items": item, **many}]}


def _document(title: str, defs: dict[str, Any], **body: Any) -> dict[str, Any]:
    return {"$schema": DRAFT, "title": title, **body, "definitions": defs}


# --- rule files ---------------------------------------------------------------------------------

def _rule_file() -> dict[str, Any]:
    rule_id = {"$ref": "#/definitions/rule_id"}
    text = {"type": "string", "pattern": "\\S", "patternErrorMessage": "write some text here"}
    numbered = [s for s in SECTIONS if s.replace(".", "", 1).isdigit()]
    types: dict[str, dict[str, Any]] = {
        "id": rule_id, "title": text, "title_en": text, "when": text, "advice": text, "advice_en": text,
        "finding": text, "finding_en": text,
        "sources": {"markdownDescription": "\n".join(f"- `{s}` {zh} / {en}" for s, (zh, en) in SECTIONS.items()),
                    **_one_or_many({"$ref": "#/definitions/section"}, minItems=1)},
        "derive": _one_or_many({"$ref": "#/definitions/fact_name"}),
        "priority": _choices(PRIORITIES, PRIORITY_HELP),
        "outranks": _one_or_many(rule_id), "contradicts": _one_or_many(rule_id)}
    rule = {
        "type": "object", "properties": _described(RULE_HELP, rules.RULE_KEYS, types),
        "required": list(rules.REQUIRED_KEYS), "additionalProperties": False,
        "dependencies": {"advice": ["priority"], "priority": ["advice"], "advice_en": ["advice"],
                         "finding": ["derive"], "finding_en": ["finding"], "outranks": ["advice"]},
        "anyOf": [{"required": ["advice"]}, {"required": ["derive"], "properties": {"derive": {"minItems": 1}}}]}
    reserved = [*sorted(KEYWORDS), *(name for name in BY_NAME if "." not in name)]
    defs = {
        "rule": rule,
        "rule_id": {"type": "string", "pattern": RULE_ID,
                    "patternErrorMessage": "a rule id is letters, digits and . _ -, e.g. timing.due_soon"},
        "section": {"description": "指南章节编号 / a guidance section id (OUTLINE.md)", "anyOf": [
            _choices(tuple(SECTIONS), SECTIONS),
            {"type": "number", "enum": [float(s) if "." in s else int(s) for s in numbered]}]},
        "fact_name": {"description": "推出的事实名 / a derived fact name, e.g. cannot_cover_payments",
                      "type": "string", "pattern": NAME, "not": {"enum": reserved},
                      "patternErrorMessage": "letters, digits and _ only, not a keyword or a case fact"}}
    body = {"type": "object", "required": ["rules"], "additionalProperties": False,
            "properties": _described(FILE_HELP, rules.FILE_KEYS, {
                "topic": {"type": "string"},
                "rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}}})}
    return _document("advisor rule file / 规则文件 (docs/rules.md)", defs, **body)


# --- the parameters file ------------------------------------------------------------------------

def _params_file() -> dict[str, Any]:
    date = {"$ref": "#/definitions/date"}
    number = {"type": "number"}
    types: dict[str, dict[str, Any]] = {
        "values": {"type": "object", "minProperties": 1, "propertyNames": date},
        "in_force_on": _choices(parameters.IN_FORCE_ON, IN_FORCE_ON_HELP), "verified": date,
        "unit": _choices(parameters.UNITS, UNIT_HELP), "source": {"type": ["string", "number"]},
        "confidence": _choices(parameters.CONFIDENCE, CONFIDENCE_HELP)}
    param = {
        "type": "object", "properties": _described(PARAM_HELP, parameters.PARAM_KEYS, types),
        "required": list(parameters.REQUIRED_KEYS), "additionalProperties": False,
        "oneOf": [{"required": ["value"]}, {"required": ["values"]}],
        "dependencies": {"in_force_on": ["values"]},
        "if": {"required": ["unit"], "properties": {"unit": {"const": "date"}}},
        "then": {"properties": {"value": date, "values": {"additionalProperties": date}}},
        "else": {"properties": {"value": number, "values": {"additionalProperties": number}}}}
    body = {"type": "object", "required": ["params"], "additionalProperties": False, "properties": {
        "params": {"description": "阈值与法定数字，规则中写作 params.<名称> / thresholds, params.<name> in rules",
                   "type": "object", "propertyNames": {"pattern": NAME},
                   "additionalProperties": {"$ref": "#/definitions/parameter"}}}}
    defs = {"parameter": param, "date": definitions(unknown=False)["date"]}
    return _document("advisor parameters file / 参数文件 (docs/rules.md, Parameters)", defs, **body)


# --- case files ---------------------------------------------------------------------------------

def _field(fact: Fact) -> dict[str, Any]:
    """One case or loan field: its zh / en description and the values the case reader admits."""
    said = {"description": f"{fact.zh} / {fact.en}"}
    if fact.type != "enum":
        return {**said, "$ref": f"#/definitions/{value_kind(fact.type, fact.unit)}"}
    aliases = CHOICE_ALIASES.get(fact.name, {})
    written = list(dict.fromkeys([*fact.values, *aliases]))
    notes = [f"= {aliases[w]}" if w in aliases else "、".join(a for a in aliases if aliases[a] == w) for w in written]
    return {**said, "anyOf": [{"type": "string", "enum": written, "enumDescriptions": notes},
                              {"$ref": "#/definitions/unknown"}]}


def _case_file() -> dict[str, Any]:
    unknown = definitions()["unknown"]["pattern"]  # a whole block or the loans may be marked unknown
    blocks = {block: {"type": ["object", "null", "string"], "pattern": unknown, "additionalProperties": False,
                      "properties": {f: _field(BY_NAME[f"{block}.{f}"]) for f in fields}}
              for block, fields in BLOCKS.items()}
    loan = {"type": "object", "additionalProperties": False, "properties": {
        f: _say(LOAN_NOTES) if f == "notes" else _field(BY_NAME[f"loan.{f}"]) for f in LOAN_FIELDS}}
    rule_ids = _one_or_many({"$ref": "#/definitions/rule_id"})
    expect = {"type": "object", "additionalProperties": False, "properties": _described(EXPECT_HELP, EXPECT_KEYS, {
        "advice": rule_ids, "forbid": rule_ids,
        "before": {"type": "array", "items": {"type": "array", "items": {"$ref": "#/definitions/rule_id"},
                                              "minItems": 2, "maxItems": 2}},
        "says": {"type": "object", "propertyNames": {"$ref": "#/definitions/rule_id"},
                 "additionalProperties": _one_or_many({"type": ["string", "number"]})},
        "summary": {"type": "object", "additionalProperties": False, "properties": {
            key: {"description": f"{BY_NAME[key].zh} / {BY_NAME[key].en}", "type": ["number", "null"]}
            for key in SUMMARY_KEYS}},
        "bounds": {"type": "object", "additionalProperties": False, "properties": {
            key: {"description": f"{BY_NAME[key].zh} / {BY_NAME[key].en}", "type": "object",
                  "additionalProperties": False,
                  "properties": {"min": {"type": ["number", "null"]}, "max": {"type": ["number", "null"]}}}
            for key in SUMMARY_KEYS}},
        "ask_next": {"type": "array", "items": {"type": "string"}},
        "plan": {"type": "object", "additionalProperties": False, "properties": {
            "available": {"type": "number"}, "total": {"type": "number"},
            "offers": {"type": "object", "additionalProperties": {"type": "number"}},
            "months": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
            "proposals": {"type": "object", "additionalProperties": _one_or_many(
                {"type": "string", "enum": list(PROPOSALS)})},
            "held": _one_or_many({"type": "string"})}}})}
    types: dict[str, dict[str, Any]] = {
        "as_of": {"$ref": "#/definitions/as_of"},
        "loans": {"type": ["array", "null", "string"], "pattern": unknown, "items": {"$ref": "#/definitions/loan"}},
        "expect": expect, **blocks, "journal": journal_schema()}
    defs = {**definitions(), "as_of": definitions(unknown=False)["date"], "loan": loan,
            "rule_id": {"type": "string", "pattern": RULE_ID}}
    body = {"type": "object", "required": ["as_of"], "additionalProperties": False,
            "properties": _described(CASE_HELP, TOP_KEYS, types)}
    return _document("advisor case file / 案例文件 (docs/cases.md)", defs, **body)


def main(argv: list[str] | None = None) -> int:
    """`python -m advisor.toolkit.schema [KIND] [--write [DIR]] [--check [DIR]]`."""
    parser = argparse.ArgumentParser(prog="python -m advisor.toolkit.schema", description=__doc__.splitlines()[0])
    parser.add_argument("kind", nargs="?", choices=KINDS, help="print this kind's schema")
    parser.add_argument("--write", nargs="?", const=SCHEMA_DIR, metavar="DIR", help="write every schema file")
    parser.add_argument("--check", nargs="?", const=SCHEMA_DIR, metavar="DIR", help="exit 1 if a file is stale")
    args = parser.parse_args(argv)
    if args.write:
        for path in write(Path(args.write)):
            print(f"wrote {path}")
    if args.check:
        behind = stale(Path(args.check))
        for kind_ in behind:
            print(f"{Path(args.check) / schema_file(kind_)} is out of date: run `{REGENERATE}`", file=sys.stderr)
        return 1 if behind else 0
    if args.kind:
        sys.stdout.write(render(args.kind))
    elif not args.write:
        parser.print_usage(sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
