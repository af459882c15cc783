"""JSON Schemas for editors: shipped files up to date, shipped YAML valid, mistakes caught, readers agreed with."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, ValidationError

from advisor.load import values as amounts
from advisor.toolkit import schema, schema_values
from advisor.load.cases import BLOCKS, LOAN_FIELDS, UNKNOWN_WORDS
from advisor.load.folder import PARAMS_FILE
from advisor.knowledge.vocabulary import BY_NAME

from conftest import CASES, FIXTURES, ROOT, RULES

SCHEMAS = ROOT / schema.SCHEMA_DIR
VALIDATORS = {kind: Draft7Validator(schema.schema(kind)) for kind in schema.KINDS}
SHIPPED = [*sorted(CASES.glob("*.yaml")), *sorted(RULES.glob("*.yaml"))]


def _kind(path: Path) -> str:
    if path.parent.name == "cases":
        return "case"
    return "params" if path.name == PARAMS_FILE else "rule"


def _iso(value: Any) -> Any:
    """PyYAML reads unquoted dates as date objects; the editor (YAML 1.2) and the advisor see text."""
    if isinstance(value, dict):
        return {_iso(k): _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


class _TextDates(yaml.SafeLoader):
    """safe_load without date resolving, for fixtures whose dates PyYAML cannot build (2019-13-01)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _problems(kind: str, document: Any) -> list[str]:
    """Every message the schema gives, including those inside anyOf / oneOf branches."""
    def walk(error: ValidationError) -> list[str]:
        return [error.message, *(m for sub in error.context or () for m in walk(sub))]
    return [m for error in VALIDATORS[kind].iter_errors(document) for m in walk(error)]


# --- the shipped schema files ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", schema.KINDS)
def test_shipped_schema_file_is_the_generated_schema(kind):
    path = SCHEMAS / schema.schema_file(kind)
    assert path.is_file(), f"{path} is missing: run `{schema.REGENERATE}`"
    assert path.read_text(encoding="utf-8") == schema.render(kind), (
        f"{path.relative_to(ROOT)} is out of date with the code's declarations: "
        f"run `{schema.REGENERATE}` in the repository root")


@pytest.mark.parametrize("kind", schema.KINDS)
def test_schema_is_a_valid_draft_07_schema(kind):
    Draft7Validator.check_schema(schema.schema(kind))
    assert schema.schema(kind)["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.slow
def test_schema_output_does_not_depend_on_hash_seed(tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "advisor.toolkit.schema", "--write", str(tmp_path)], check=True, cwd=ROOT,
                   env=env, capture_output=True)
    for kind in schema.KINDS:
        assert (tmp_path / schema.schema_file(kind)).read_text(encoding="utf-8") == schema.render(kind)


def test_schema_check_reports_stale_files(tmp_path, capsys):
    assert schema.main(["--check", str(tmp_path)]) == 1
    assert schema.REGENERATE in capsys.readouterr().err
    schema.write(tmp_path)
    assert schema.main(["--check", str(tmp_path)]) == 0
    assert schema.stale(tmp_path) == []


def test_schema_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="rule, case, params"):
        schema.schema("rules")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_file_names_its_schema_on_the_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == schema.schema_comment(_kind(path)), f"{path.name}: first line should be the schema comment"


# --- shipped files validate; mistakes are caught ------------------------------------------------

@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_file_validates_against_its_schema(path):
    document = _iso(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert _problems(_kind(path), document) == []


CASE = {"as_of": "2026-11-28"}
RULE = {"id": "t.rule", "title": "测试", "sources": ["2.1"], "when": "monthly_due > 0", "priority": "high",
        "advice": "测试"}
PARAM = {"value": 7, "unit": "days", "source": "2.1", "confidence": "M"}


@pytest.mark.parametrize("kind, document, said", [
    ("case", {**CASE, "income": {"salery": 5000}}, "'salery' was unexpected"),
    ("case", {**CASE, "loans": [{"balence": 3000}]}, "'balence' was unexpected"),
    ("case", {**CASE, "expences": {"rent": 1}}, "'expences' was unexpected"),
    ("case", {**CASE, "loans": [{"lender_type": "bnak"}]}, "'bnak' is not one of"),
    ("case", {**CASE, "loans": [{"annual_rate": 18}]}, "18 is greater than the maximum of 1"),
    ("case", {**CASE, "income": {"salary": "lots"}}, "'lots' does not match"),
    ("case", {**CASE, "income": 6000}, "6000 is not of type"),
    ("case", {**CASE, "collection": {"threats": "maybe"}}, "'maybe' does not match"),
    ("case", {**CASE, "expect": {"forbidden": []}}, "'forbidden' was unexpected"),
    ("case", {**CASE, "expect": {"summary": {"monthly_incme": 1}}}, "'monthly_incme' was unexpected"),
    ("case", {**CASE, "expect": {"before": [["a.b"]]}}, "is too short"),
    ("case", {"income": {}}, "'as_of' is a required property"),
    ("rule", {"rules": [{**RULE, "prority": "high"}]}, "'prority' was unexpected"),
    ("rule", {"rules": [{**RULE, "priority": "urgnt"}]}, "'urgnt' is not one of"),
    ("rule", {"rules": [{**RULE, "sources": ["2.1", "2.4"]}]}, "'2.4' is not one of"),
    ("rule", {"rules": [{**RULE, "sources": []}]}, "should be non-empty"),
    ("rule", {"rules": [{k: v for k, v in RULE.items() if k != "priority"}]}, "'priority' is a dependency"),
    ("rule", {"rules": [{k: v for k, v in RULE.items() if k not in ("priority", "advice")}]},
     "'advice' is a required property"),
    ("rule", {"rules": [{k: v for k, v in RULE.items() if k != "when"}]}, "'when' is a required property"),
    ("rule", {"rules": [{**RULE, "derive": "monthly_income"}]}, "should not be valid under"),
    ("rule", {"rules": [{**RULE, "id": "t rule"}]}, "'t rule' does not match"),
    ("rule", {"topics": "x", "rules": []}, "'topics' was unexpected"),
    ("params", {"params": {"days": {**PARAM, "unit": "percent"}}}, "'percent' is not one of"),
    ("params", {"params": {"days": {**PARAM, "confidence": "high"}}}, "'high' is not one of"),
    ("params", {"params": {"days": {**PARAM, "values": {"2020-01-01": 1}}}}, "is valid under each of"),
    ("params", {"params": {"days": {**PARAM, "in_force_on": "as_of"}}}, "'values' is a dependency"),
    ("params", {"params": {"days": {**PARAM, "valeu": 7}}}, "'valeu' was unexpected"),
    ("params", {"params": {"day": {k: v for k, v in PARAM.items() if k != "source"}}},
     "'source' is a required property"),
    ("params", {"params": {"from": {**PARAM, "unit": "date", "value": "soon"}}}, "'soon' does not match"),
    ("params", {"params": {"lpr": {**PARAM, "value": "0.04"}}}, "'0.04' is not of type 'number'"),
])
def test_schema_catches_a_typical_mistake(kind, document, said):
    problems = _problems(kind, document)
    assert any(said in message for message in problems), problems


def _fixture_code(path: Path) -> str:
    return path.read_text(encoding="utf-8").split()[2]  # "# expect: CODE line:col message"


# Loader codes for mistakes of shape (keys, types, values) that a schema can see; the others are about
# meaning (conditions, facts, placeholders, precedence, duplicate ids) and only the advisor finds them.
SHAPE_CODES = {"C010", "C020", "C021", "C030", "E003", "E004", "E005", "E031", "E032", "E033", "E034",
               *(f"P00{n}" for n in range(1, 10))}
LOADER_ONLY = {"bad_date.yaml": "2026-02-30 looks like a date; only the calendar knows better",
               "unordered_dates.yaml": "a schema cannot compare one key with the next"}
FIXTURE_FILES = [p for folder in ("bad_cases", "bad_rules", "bad_params")
                 for p in sorted((FIXTURES / folder).glob("*.yaml")) if not _fixture_code(p).startswith("Y")]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_flags_exactly_the_shape_mistakes_among_the_fixtures(path):
    kind = {"bad_cases": "case", "bad_rules": "rule", "bad_params": "params"}[path.parent.name]
    problems = _problems(kind, yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates))
    if _fixture_code(path) in SHAPE_CODES and path.name not in LOADER_ONLY:
        assert problems, f"{path.name}: the schema should flag {_fixture_code(path)}"
    else:
        assert not problems, f"{path.name}: well-formed for the schema, but it says {problems}"


# --- the case schema admits what the case reader admits -----------------------------------------

SAMPLES: list[Any] = [
    0, 1, 12, 0.18, 1.5, 3.0, 12000, -1, -0.5, 1_000_001, 2e12, True, False, None, "", "  ", "某平台",
    "unknown", "Unknown", "未知", "不清楚", "不知道", "?", "？", " 未知 ",
    "5万", "1.2万元", "¥12,000", "￥12,000", "3千", "５万", "12000元", "RMB 5000", "5 万", "2k", "3W", "+500",
    "-5万", "lots", "1e3", "12.5.3", "5万美元",
    "20余万", "8000多", "5万以上", "至少5000", "5000+", "4000-5000", "4千到5千", "3-5万", "5000-4000", "多5000",
    "18%", "18％", "0.8%", "+18%", "0.18", "1", "1.0", "0", "1.5", "-5%", " 18 % ", "18 percent",
    "12", "12期", "3天", "2次", "1,000", "12个", "+3",
    "2026-12-05", "2026/12/5", "2026年12月5日", "2026.12.05", "２０２６-１２-０５", "2026 - 12 - 05",
    "2026-12-05T10:00:00", "20261205", "2026-12", "2026-13-01", "2026-12-32",
    "是", "否", "有", "无", "没有", "yes", "no", "Y", "N", "TRUE", "False", "对", "不", "maybe", "是的",
    "bank", "Bank", "银行", "消金", "none", "进行中", "agreed", "暂时", "long_term", "延期", "pause", "bnak",
]
CONTAINERS: list[Any] = [[1], {"a": 1}]
FIELDS = [(block, name, read) for block, fields in BLOCKS.items() for name, read in fields.items()]
FIELDS += [("loans", name, read) for name, read in LOAN_FIELDS.items() if name != "notes"]


# Where the schema deliberately differs from a reader: (definition, value) -> why.
DIFFERENCES = {
    ("count", "¥12,000"): "stricter: the count reader shares the amount reader's clean-up and drops a ¥",
    ("count", "￥12,000"): "stricter: as above",
    ("count", "RMB 5000"): "stricter: as above",
    ("count", "20261205"): "laxer: a written count above the reader's limit of 1,000,000",
    ("amount", "5000-4000"): "laxer: a pattern cannot compare the two ends of a range; the reader refuses it",
    ("amount", "2026-12"): "laxer: as above (read as the range 2026 to 12)",
}


def _reader_admits(read: Any, value: Any) -> bool:
    if value is None or (isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS):
        return True  # unknown on purpose
    try:
        read(value)
    except amounts.Unreadable:
        return False
    return True


@pytest.mark.parametrize("block, name, read", FIELDS, ids=lambda x: x if isinstance(x, str) else "")
def test_case_schema_admits_what_the_case_reader_admits(block, name, read):
    fact = BY_NAME[f"{'loan' if block == 'loans' else block}.{name}"]
    # An enum reader looks the value up in a dict, so a list or mapping raises TypeError (not Unreadable).
    samples = SAMPLES + (CONTAINERS if fact.type != "enum" else [])
    kind = schema_values.kind(fact.type, fact.unit)
    disagree = []
    for value in samples:
        document = {**CASE, block: [{name: value}] if block == "loans" else {name: value}}
        agree = VALIDATORS["case"].is_valid(document) == _reader_admits(read, value)
        if agree != (isinstance(value, str) and (kind, value) in DIFFERENCES):
            continue
        disagree.append((value, "reader admits" if _reader_admits(read, value) else "reader refuses"))
    assert not disagree, f"{block}.{name} ({kind}): schema and reader disagree on {disagree} (see DIFFERENCES)"


@pytest.mark.parametrize("field, value", [
    ("as_of", "2026-02-30"),          # the pattern knows months and days, not the calendar
    ("salary", "99999亿"),             # a written amount above the reader's limit of 10^12 yuan
])
def test_case_schema_leaves_these_to_the_reader(field, value):
    document = {"as_of": value} if field == "as_of" else {**CASE, "income": {field: value}}
    assert VALIDATORS["case"].is_valid(document)
    with pytest.raises(amounts.Unreadable):
        (amounts.date if field == "as_of" else amounts.amount)(value)
