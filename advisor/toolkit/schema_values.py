"""Schema values: what a counsellor may write for a value (amount, rate, date, yes/no, unknown) as JSON Schema.

Each definition admits what the reader in `amounts` admits, written the way an editor sees the file
(YAML 1.2: an unquoted date or `yes` is text). Patterns use only syntax that Python's `re` and
JavaScript's RegExp read alike; tests/toolkit/test_schema.py checks them against the readers on sample values.
"""
from __future__ import annotations

from typing import Any

from ..load import personal
from ..load import values as amounts
from ..load.cases import UNKNOWN_WORDS

_DIGIT = "[0-9０-９]"
_WHOLE = f"{_DIGIT}[0-9０-９,，]*"
_NUMBER = f"{_WHOLE}(?:[.．]{_DIGIT}+)?"
_MONTH = "(?:[0０]?[1-9１-９]|[1１][0-2０-２])"
_DAY = "(?:[0０]?[1-9１-９]|[12１２][0-9０-９]|[3３][01０１])"
_SEP = "[-/.－／．]"
_SPECIAL = set(".^$*+?()[]{}|\\/")


def caseless(word: str) -> str:
    """A regex matching `word` in any letter case, escaping only what must be escaped."""
    out = []
    for ch in word:
        if ch.isascii() and ch.isalpha():
            out.append(f"[{ch.lower()}{ch.upper()}]")
        else:
            out.append("\\" + ch if ch in _SPECIAL else ch)
    return "".join(out)


def words(choices: tuple[str, ...] | list[str]) -> str:
    """One of `choices` (any letter case), with spaces around."""
    return "\\s*(?:" + "|".join(caseless(w) for w in choices) + ")\\s*"


UNKNOWN = words(sorted(UNKNOWN_WORDS))
_CURRENCY = "(?:[¥￥]|" + caseless("rmb") + "|" + caseless("cny") + ")"
_MULTIPLIER = "(?:" + "|".join(caseless(u) for u in amounts._UNITS) + ")"
AMOUNT = (f"\\s*{_CURRENCY}?\\s*\\+?{_NUMBER}\\s*{_MULTIPLIER}?\\s*"
          f"(?:元|块|{caseless('rmb')}|{caseless('cny')})?\\s*")
_PLAIN = f"{_NUMBER}\\s*{_MULTIPLIER}?"
_YUAN = "(?:元|块)?"
# "20余万", "8000多", "5万以上", "至少5000" (a lower bound) and "4000-5000" (a range): amounts.amount_or_bound.
BOUND = (f"\\s*(?:至少|不少于|起码)?\\s*{_NUMBER}\\s*(?:余|多)?\\s*{_MULTIPLIER}?\\s*(?:余|多)?\\s*{_YUAN}"
         f"\\s*(?:以上|多|\\+)?\\s*"
         f"|\\s*{_PLAIN}\\s*{_YUAN}\\s*(?:-|~|～|—|到|至)\\s*{_PLAIN}\\s*{_YUAN}\\s*")
RATE = (f"\\s*\\+?{_DIGIT}+(?:[.．]{_DIGIT}+)?\\s*[%％]\\s*"
        f"|\\s*\\+?(?:[0０]+(?:[.．]{_DIGIT}+)?|[0０]*[1１](?:[.．][0０]+)?)\\s*")
COUNT = f"\\s*{_WHOLE}\\s*(?:天|期|次)?\\s*"
DATE = f"\\s*{_DIGIT}{{4}}\\s*(?:{_SEP}|年)\\s*{_MONTH}\\s*(?:{_SEP}|月)\\s*{_DAY}\\s*日?\\s*"
YES_NO = words([*amounts.YES_WORDS, *amounts.NO_WORDS])
UNKNOWN_HELP = "未知写 null、未知、不清楚或 ? / unknown: null, 未知, 不清楚, ?"


def _either(*patterns: str) -> str:
    return "^(?:" + "|".join(patterns) + ")$"


def definitions(unknown: bool = True) -> dict[str, dict[str, Any]]:
    """The value definitions; with `unknown`, each also admits the unknown words and null (case files)."""
    maybe = [UNKNOWN] if unknown else []
    null = ["null"] if unknown else []
    later = f"; {UNKNOWN_HELP}" if unknown else ""
    defs: dict[str, dict[str, Any]] = {
        "amount": {
            "description": ('金额（元），不能为负；不确定时写“20余万”“8000多”或“4000-5000” / an amount in yuan, '
                            'never negative: 12000, "5万", "¥12,000"; a lower bound "20余万", a range "4000-5000"'),
            "type": ["number", "string", *null], "minimum": 0, "maximum": int(amounts.MAX_AMOUNT),
            "pattern": _either(AMOUNT, BOUND, *maybe),
            "patternErrorMessage": amounts.AMOUNT_HINT + amounts.BOUND_HINT + later,
            "examples": [12000, "5万", "1.2万元", "20余万", "4000-5000"]},
        "rate": {
            "description": '利率：0.18 或 "18%"；单写 18 有歧义 / a rate: 0.18 or "18%" (a bare 18 is ambiguous)',
            "type": ["number", "string", *null], "minimum": 0, "maximum": 1,
            "pattern": _either(RATE, *maybe), "patternErrorMessage": amounts.RATE_HINT + later,
            "examples": [0.18, "18%"]},
        "count": {
            "description": "整数，不能为负 / a whole number ≥ 0: 12, \"12期\", \"3天\"",
            "type": ["integer", "string", *null], "minimum": 0, "maximum": 1_000_000,
            "pattern": _either(COUNT, *maybe), "patternErrorMessage": "write a whole number such as 12" + later,
            "examples": [0, 12]},
        "date": {
            "description": "日期 / a date: 2026-12-05, 2026/12/5, 2026年12月5日",
            "type": ["string", *null], "pattern": _either(DATE, *maybe),
            "patternErrorMessage": amounts.DATE_HINT + " (2026/12/5 and 2026年12月5日 also work)" + later},
        "yes_no": {
            "description": "是/否 / yes or no: true, false, 是, 否, 有, 无",
            "type": ["boolean", "string", *null], "pattern": _either(YES_NO, *maybe),
            "patternErrorMessage": "write true or false (是/否, 有/无 also work)" + later,
            "examples": [True, False, "是", "否"]},
        "text": {"description": "文字 / text", "type": ["string", "number", *null]},
        # the letters' personal fields (load/personal.py, the same patterns)
        "id_masked": {"description": "遮盖后的身份证号 / a masked ID number: 1101**********1234", "type": ["string", *null],
                      "pattern": _either(personal.ID_MASKED, *maybe),
                      "patternErrorMessage": "write it masked, e.g. 1101**********1234 (never the full number)" + later},
        "phone": {"description": "手机号（加引号）/ a phone number, quoted: \"138 0000 0000\"", "type": ["string", *null],
                  "pattern": _either(personal.PHONE, *maybe), "patternErrorMessage": "write the digits in quotes" + later},
        "last4": {"description": "卡号后四位（加引号）/ the card's last four digits, quoted: \"0427\"",
                  "type": ["string", *null], "pattern": _either(personal.LAST4, *maybe),
                  "patternErrorMessage": "write the four digits in quotes, e.g. '0427'" + later},
    }
    if unknown:
        defs["unknown"] = {
            "description": UNKNOWN_HELP, "type": ["null", "string"], "pattern": _either(UNKNOWN),
            "patternErrorMessage": "not one of the allowed values; " + UNKNOWN_HELP,
            "examples": [None, "未知"]}
    return defs


def kind(fact_type: str, unit: str) -> str:
    """Which definition a declared fact is read as: the same choice as `cases.reader`."""
    if fact_type == "bool":
        return "yes_no"
    if fact_type == "text" and unit in ("id_masked", "phone", "last4"):
        return unit
    if fact_type in ("date", "text", "enum"):
        return fact_type
    if unit == "rate":
        return "rate"
    if unit in ("count", "days"):
        return "count"
    return "amount"
