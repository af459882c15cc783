"""Form stage: the page's fields <-> case YAML text, line by line, so each diagnostic finds its input.

The page never reads values itself: it writes what the counsellor typed into a case file's text (one field
per line, as a counsellor would write it) and hands that to the case reader, so "2.4万", "18%" and
"2026年12月3日" mean exactly what they mean in a case file, and every problem comes back at a line that
names one input.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import textwrap

import yaml

from ..load.read import Source
from ..load.source import parse_yaml

from ..load.values import Unreadable, flag
from ..load.cases import BLOCKS, CHOICE_ALIASES, LOAN_FIELDS, UNKNOWN_WORDS
from ..knowledge.vocabulary import BY_NAME, Fact

DISPLAY = "网页表单"            # the case's "file name" in diagnostics and origins
SECTIONS = ("borrower", "income", "expenses", "loans", "collection", "negotiation", "situation")
BLOCK_SECTIONS = ("income", "expenses", "collection", "negotiation", "situation")
# The loan fields shown in every row; the rest sit under "more" (still one line each in the YAML).
LOAN_MAIN = ("name", "lender_type", "balance", "monthly_payment", "annual_rate", "next_due", "overdue_days")
LOAN_ORDER = (*LOAN_MAIN, *(k for k in LOAN_FIELDS if k not in LOAN_MAIN and k != "notes"), "notes")
UNKNOWN_CHOICE = "?"            # a select's "marked unknown" (lender_type has a value 'unknown' of its own)
_PLAIN = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff¥￥+\-][0-9A-Za-z\u4e00-\u9fff¥￥+\-.,%％/~～—年月日]*$")


@dataclass(frozen=True)
class Input:
    """One input of the page: its form key, the case path it fills, and how it is entered."""

    key: str                      # form name: "income.salary", "loans-2-balance"
    path: str                     # case path: "income.salary", "loans[2].balance"
    fact: Fact | None             # its declaration (None for name, as_of, notes)
    kind: str                     # text | date | bool | enum | textarea

    @property
    def loan(self) -> int | None:
        return int(self.key.split("-")[1]) if self.key.startswith("loans-") else None


def _kind(fact: Fact | None, name: str) -> str:
    if fact is None:
        return "textarea" if name == "notes" else ("date" if name == "as_of" else "text")
    return {"bool": "bool", "enum": "enum", "date": "date"}.get(fact.type, "text")


def case_inputs() -> dict[str, list[Input]]:
    """The inputs of each section but the loans, in the page's order."""
    out: dict[str, list[Input]] = {"borrower": [Input(k, k, None, _kind(None, k)) for k in ("name", "as_of", "notes")]}
    # the case's `borrower:` block (the letters' name, masked ID, phone: issue 16) is shown in the same section
    out["borrower"] += [Input(f"borrower.{k}", f"borrower.{k}", BY_NAME[f"borrower.{k}"], _kind(BY_NAME[f"borrower.{k}"], k))
                        for k in BLOCKS.get("borrower", {})]
    for block in BLOCK_SECTIONS:
        out[block] = [Input(f"{block}.{k}", f"{block}.{k}", BY_NAME[f"{block}.{k}"], _kind(BY_NAME[f"{block}.{k}"], k))
                      for k in BLOCKS[block]]
    return out


def loan_inputs(index: int) -> list[Input]:
    out = []
    for k in LOAN_ORDER:
        fact = BY_NAME.get(f"loan.{k}") if k != "notes" else None
        out.append(Input(f"loans-{index}-{k}", f"loans[{index}].{k}", fact, _kind(fact, k)))
    return out


@dataclass
class CaseForm:
    """What the page holds: the raw text of every input, and the loan rows."""

    values: dict[str, str] = field(default_factory=dict)      # case inputs by key
    loans: list[dict[str, str]] = field(default_factory=list)  # per row: loan field -> text
    original: str = ""              # the YAML text a case was loaded from (kept for its comments)
    journal: str = ""               # the journal's items as YAML text, as written (issue 17)

    def get(self, key: str) -> str:
        if key.startswith("loans-"):
            _, index, name = key.split("-", 2)
            row = int(index)
            return self.loans[row].get(name, "") if row < len(self.loans) else ""
        return self.values.get(key, "")


def from_fields(data: Iterable[tuple[str, str]]) -> CaseForm:
    """The form as posted (name, value pairs; loan rows renumbered in the order they come)."""
    form = CaseForm()
    rows: dict[int, dict[str, str]] = {}
    known = {i.key for section in case_inputs().values() for i in section}
    for key, value in data:
        if key == "original":
            form.original = value
        elif key == "journal":
            form.journal = value.replace("\r\n", "\n")
        elif key.startswith("loans-"):
            parts = key.split("-", 2)
            if len(parts) == 3 and parts[1].isdigit() and parts[2] in LOAN_ORDER:
                rows.setdefault(int(parts[1]), {})[parts[2]] = value
        elif key in known:
            form.values[key] = value
    form.loans = [rows[i] for i in sorted(rows)]
    return form


# -- form -> YAML ---------------------------------------------------------------------------------
def scalar(text: str, kind: str) -> str:
    """One value as it goes on its line: plain when a counsellor would write it so (5000, 2.4万, 18%,
    2026-12-03), else double-quoted (names, anything with YAML syntax). Quoting changes no meaning for
    the case reader; plain keeps 2026-12-03 a date and 5000 a number, as in a case file."""
    text = text.strip()
    if kind == "bool":
        return {"true": "true", "false": "false", "unknown": "未知"}.get(text, json.dumps(text, ensure_ascii=False))
    if kind == "enum" and text == UNKNOWN_CHOICE:
        return "未知"
    if kind in ("number", "date") and _PLAIN.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _value_kind(item: Input) -> str:
    """Numbers are typed into text inputs but written plain; free text is always quoted."""
    if item.kind == "text" and item.fact is not None and item.fact.type == "number":
        return "number"
    return item.kind


def to_yaml(form: CaseForm) -> tuple[str, dict[int, str]]:
    """The case text and, for each line, the form key it came from (a section's line: the section)."""
    lines = ["# 由 advisor 网页表单生成 / written by the advisor web page"]
    where: dict[int, str] = {}

    def put(text: str, key: str) -> None:
        lines.append(text)
        where[len(lines)] = key

    sections = case_inputs()
    for item in sections["borrower"]:
        text = form.values.get(item.key, "").strip()
        if text and "." not in item.key:
            put(f"{item.key}: {scalar(text, _value_kind(item))}", item.key)
    person = [(i, form.values.get(i.key, "").strip()) for i in sections["borrower"] if "." in i.key]
    if any(text for _, text in person):
        put("borrower:", "borrower")
        for item, text in person:
            if text:
                put(f"  {item.key.split('.', 1)[1]}: {scalar(text, _value_kind(item))}", item.key)
    for block in BLOCK_SECTIONS:
        filled = [(i, form.values.get(i.key, "").strip()) for i in sections[block]]
        filled = [(i, t) for i, t in filled if t]
        if not filled:
            continue
        put(f"{block}:", block)
        for item, text in filled:
            put(f"  {item.key.split('.', 1)[1]}: {scalar(text, _value_kind(item))}", item.key)
    rows = [row for row in form.loans if any(v.strip() for v in row.values())]
    if rows:
        put("loans:", "loans")
        for index, row in enumerate(rows):
            first = True
            for item in loan_inputs(index):
                name = item.key.split("-", 2)[2]
                text = row.get(name, "").strip()
                if not text:
                    continue
                put(f"  {'- ' if first else '  '}{name}: {scalar(text, _value_kind(item))}", item.key)
                first = False
    if form.journal.strip():                 # the journal's own lines, each placed at the journal's input
        put("journal:", "journal")
        for line in form.journal.rstrip("\n").split("\n"):
            put(f"  {line}" if line.strip() else "", "journal")
    return "\n".join(lines) + "\n", where


def compact(form: CaseForm) -> CaseForm:
    """The form with empty loan rows dropped, so row numbers match the case's loan numbers."""
    rows = [row for row in form.loans if any(v.strip() for v in row.values())]
    return CaseForm(dict(form.values), rows, form.original, form.journal)


# -- YAML -> form ---------------------------------------------------------------------------------
def _text_of(value: Any, item_kind: str, name: str) -> str:
    """A value read from a case file, as the page's input shows it."""
    if isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS:
        return {"bool": "unknown", "enum": UNKNOWN_CHOICE}.get(item_kind, value.strip())
    if value is None:
        if name == "negotiation.goal":
            return "none"
        return {"bool": "unknown", "enum": UNKNOWN_CHOICE}.get(item_kind, "未知")
    if item_kind == "bool":
        try:
            return "true" if flag(value) else "false"
        except Unreadable:
            if isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS:
                return "unknown"
            return str(value)
    if item_kind == "enum":
        text = str(value).strip()
        return CHOICE_ALIASES.get(name, {}).get(text, text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, int, float, str)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def from_yaml(text: str) -> tuple[CaseForm, list[str]]:
    """A case file's text as the page's inputs, and the keys the page has no input for (shown as a note).
    The case reader has checked the text already; this only fills the inputs."""
    try:
        top = yaml.safe_load(text)
    except yaml.YAMLError:
        return CaseForm(original=text), []
    form, left = CaseForm(original=text), []
    if not isinstance(top, dict):
        return form, []
    sections = case_inputs()
    for key, value in top.items():
        key = str(key)
        if key in ("name", "as_of", "notes"):
            form.values[key] = _text_of(value, "text", key)
        elif key in (*BLOCK_SECTIONS, "borrower") and isinstance(value, Mapping):
            kinds = {i.key: i.kind for i in sections[key] if "." in i.key}
            for name, inner in value.items():
                full = f"{key}.{name}"
                if full in kinds:
                    form.values[full] = _text_of(inner, kinds[full], full)
                else:
                    left.append(full)
        elif key == "loans" and isinstance(value, list):
            for row in value:
                if not isinstance(row, Mapping):
                    continue
                kinds = {i.key.split("-", 2)[2]: i.kind for i in loan_inputs(0)}
                form.loans.append({str(k): _text_of(v, kinds[str(k)], f"loan.{k}") for k, v in row.items()
                                   if str(k) in kinds})
                left.extend(f"loans.{k}" for k in row if str(k) not in kinds)
        elif key == "journal":
            form.journal = journal_text(text)
        elif key not in ("expect", "loans", "borrower") and key not in BLOCK_SECTIONS:
            left.append(key)
    return form, left


def journal_text(text: str) -> str:
    """The journal's lines as written in the file (comments and quoting kept), dedented: the page edits
    them as text, so a time such as 22:40 is never read as a YAML 1.1 number on the way."""
    root, _ = parse_yaml(Source("case", text), "Y000")
    node = root.value.get("journal") if root is not None and root.is_map() else None
    if node is None or node.value is None:
        return ""
    start = text.rfind("\n", 0, node.start) + 1
    if text[start:node.start].strip():       # `journal: [...]` on the key's own line
        start = node.start
    last = node.value[-1] if node.is_seq() and node.value else node
    end = text.find("\n", max(last.start, last.end - 1))
    return textwrap.dedent(text[start:len(text) if end == -1 else end]).strip("\n") + "\n"
