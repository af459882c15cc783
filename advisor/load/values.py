"""Reading the numbers counsellors write: "5万", "1.2万元", "¥12,000", "18%", "2026/12/05"."""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from ..model import Bound


class Unreadable(ValueError):
    """A value that cannot be read as what the field needs; carries a hint for the user."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


_UNITS = {"万": 10_000, "千": 1_000, "k": 1_000, "w": 10_000, "亿": 100_000_000}
_AMOUNT = re.compile(r"^(?P<num>[+-]?\d+(?:\.\d+)?)\s*(?P<unit>万|千|亿|k|w)?\s*(?:元|块|rmb|cny)?$")
AMOUNT_HINT = 'write a number of yuan, e.g. 12000, "1.2万", "¥12,000"'
MAX_AMOUNT = 1e12


SHOWN = 80                         # at most this many characters of a bad value are echoed in a message


def shown(value: object) -> str:
    """A value as an error message repeats it: at most SHOWN characters, and how long it really was."""
    text = str(value)
    if len(text) <= SHOWN:
        return text
    return f"{text[:SHOWN - 20]}… ({len(text)} characters)"


def shown_repr(value: object) -> str:
    """`shown`, quoted for text and as Python writes it for anything else (a list, a mapping)."""
    return f"'{shown(value)}'" if isinstance(value, str) else shown(repr(value))


GROUPING_HINT = ('group digits in threes, "12,000" or "¥12,000", or write none: 12000; '
                 'a decimal point is ".", e.g. 12.5; 1.2万 for 12,000')
_RUN = re.compile(r"(?<![\d.,])[\d.,]*\d[\d.,]*|[.,]+")     # a number as written, with its separators
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


def _normal(text: str) -> str:
    """Full-width digits and signs to ASCII; drop currency signs and spaces; thousands separators are
    dropped only where they group digits in threes ("12,000"), else Unreadable ("12,50", "1,2万", "1 2 3")."""
    original = text
    text = unicodedata.normalize("NFKC", text).strip().lower()
    for sign in ("¥", "￥", "rmb", "cny"):
        if text.startswith(sign):
            text = text[len(sign):].strip()
    text = text.replace("，", ",")
    if re.search(r"\d\s+\d", text):
        raise Unreadable(f"'{shown(original)}' has digits apart, separated by a space", GROUPING_HINT)
    text = text.replace(" ", "")
    if "," in text:
        for run in _RUN.findall(text):
            if "," in run and not _GROUPED.fullmatch(run):
                raise Unreadable(f"'{shown(original)}': the digits of '{shown(run)}' are not grouped in threes",
                                 GROUPING_HINT)
    return text.replace(",", "")


def _finite(value: float, what: str, hint: str) -> float:
    if math.isnan(value) or math.isinf(value):
        raise Unreadable(f"{what} must be a finite number, not {shown(value)}", hint)
    return value


def _huge(value: object, what: str, hint: str) -> None:
    """Refuse an integer beyond any amount, rate or count before float() raises OverflowError on it (past
    1e308) and before a message repeats its hundreds of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 15:
        digits = str(abs(value))
        raise Unreadable(f"{what} {'-' if value < 0 else ''}{digits[:6]}… ({len(digits)} digits) is implausibly large",
                         hint)


# "20余万", "8000多", "5万以上", "至少5000", "5000+": at least the number; "4000-5000", "4千到5千": a range.
_AT_LEAST = re.compile(r"^(?:至少|不少于|起码)?(?P<num>\d+(?:\.\d+)?)(?:余|多)?(?P<unit>万|千|亿|k|w)?(?:余|多)?"
                       r"(?:元|块)?(?:以上|多|\+)?$")
_RANGE = re.compile(r"^(?P<a>\d+(?:\.\d+)?)(?P<ua>万|千|k|w)?(?:元|块)?(?:-|~|～|—|到|至)"
                    r"(?P<b>\d+(?:\.\d+)?)(?P<ub>万|千|k|w)?(?:元|块)?$")
_LOWER_MARKS = ("余", "多", "以上", "至少", "不少于", "起码")


def amount_or_bound(value: object) -> float | Bound:
    """An exact amount, or a Bound for the inexact ways people state money ("20余万", "4000-5000")."""
    if isinstance(value, str):
        text = _normal(value)
        match = _RANGE.match(text)
        if match:
            unit_b = match["ub"] or ""
            low = amount(match["a"] + (match["ua"] or unit_b))
            high = amount(match["b"] + unit_b)
            if low > high:
                raise Unreadable(f"range '{shown(value)}' runs backwards", 'write the lower number first, e.g. "4000-5000"')
            return low if low == high else Bound(low, high)
        if any(mark in text for mark in _LOWER_MARKS) or text.endswith("+"):
            match = _AT_LEAST.match(text)
            if not match:
                raise Unreadable(f"cannot read '{shown(value)}' as an amount of money", AMOUNT_HINT + BOUND_HINT)
            return Bound(amount(match["num"] + (match["unit"] or "")))
    return amount(value)


BOUND_HINT = '; a lower bound as "20余万" or "8000多", a range as "4000-5000"'


def amount(value: object) -> float:
    """An amount of money in yuan; never negative."""
    if isinstance(value, bool):
        raise Unreadable(f"expected an amount of money, got {str(value).lower()}", AMOUNT_HINT)
    _huge(value, "amount", AMOUNT_HINT)
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = _AMOUNT.match(_normal(value))
        if not match:
            raise Unreadable(f"cannot read '{shown(value)}' as an amount of money", AMOUNT_HINT)
        number = float(match["num"]) * _UNITS.get(match["unit"] or "", 1)
    else:
        raise Unreadable(f"expected an amount of money, got {type(value).__name__}", AMOUNT_HINT)
    number = _finite(number, "an amount", AMOUNT_HINT)
    if number < 0:
        raise Unreadable(f"an amount cannot be negative ({shown(value)})",
                         "amounts are per month or outstanding, in yuan, ≥ 0")
    if number > MAX_AMOUNT:
        raise Unreadable(f"amount {shown(value)} is implausibly large", AMOUNT_HINT)
    return round(number, 2)


RATE_HINT = 'write an annual rate as 0.18 or "18%"; a monthly fee rate as 0.008 or "0.8%"'


def rate(value: object, limit: float = 10.0) -> float:
    """A rate as a fraction: 0.18, "18%", "18％"; a bare number above 1 is ambiguous."""
    if isinstance(value, bool):
        raise Unreadable(f"expected a rate, got {str(value).lower()}", RATE_HINT)
    _huge(value, "rate", RATE_HINT)
    if isinstance(value, (int, float)):
        number = _finite(float(value), "a rate", RATE_HINT)
        if number > 1:
            raise Unreadable(f"rate {shown(value)} is ambiguous: is it {shown(value)}% or {shown(value)}×100%?", RATE_HINT)
    elif isinstance(value, str):
        text = _normal(value)
        match = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)%", text)
        if match:
            number = float(match[1]) / 100
        elif re.fullmatch(r"[+-]?\d+(?:\.\d+)?", text) and float(text) <= 1:
            number = float(text)
        else:
            raise Unreadable(f"cannot read '{shown(value)}' as a rate", RATE_HINT)
    else:
        raise Unreadable(f"expected a rate, got {type(value).__name__}", RATE_HINT)
    if number < 0:
        raise Unreadable(f"a rate cannot be negative ({shown(value)})", RATE_HINT)
    if number > limit:
        raise Unreadable(f"rate {shown(value)} is implausibly high", RATE_HINT)
    return round(number, 6)


def count(value: object, what: str = "a count") -> int:
    """A whole number ≥ 0 (days, installments, rejections)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Unreadable(f"expected {what} (a whole number), got {shown_repr(value)}", "write a whole number such as 12")
    _huge(value, what, "write a whole number such as 12")
    if isinstance(value, str):
        text = _normal(value).removesuffix("天").removesuffix("期").removesuffix("次")
        if not re.fullmatch(r"\d+", text):
            raise Unreadable(f"cannot read '{shown(value)}' as {what}", "write a whole number such as 12")
        if len(text) > 12:  # int() refuses more than 4,300 digits with a ValueError; anything this long is wrong
            raise Unreadable(f"{what} {text[:12]}… ({len(text)} digits) is implausibly large",
                             "write a whole number such as 12")
        value = int(text)
    if isinstance(value, float):
        if not value.is_integer():
            raise Unreadable(f"{what} must be a whole number, got {shown(value)}", "write a whole number such as 12")
        value = int(value)
    if value < 0:
        raise Unreadable(f"{what} cannot be negative ({shown(value)})", "write a whole number ≥ 0")
    if value > 1_000_000:
        raise Unreadable(f"{what} {shown(value)} is implausibly large", "write a whole number such as 12")
    return int(value)


DATE_HINT = "write a date as YYYY-MM-DD, e.g. 2026-12-05"
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def date(value: object) -> dt.date:
    """A calendar date: 2026-12-05, 2026/12/5, 2026年12月5日; 2026-02-30 is refused."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise Unreadable(f"expected a date, got {shown_repr(value)}", DATE_HINT)
    match = _DATE.match(_normal(value))
    if not match:
        raise Unreadable(f"cannot read '{shown(value)}' as a date", DATE_HINT)
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise Unreadable(f"'{shown(value)}' is not a real date ({exc})", DATE_HINT) from None


YES_WORDS = ("是", "有", "yes", "y", "true", "对")
NO_WORDS = ("否", "无", "没有", "no", "n", "false", "不")


def flag(value: object) -> bool:
    """Yes or no: true/false, 是/否, 有/无 (YES_WORDS, NO_WORDS; any letter case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = _normal(value)
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
    raise Unreadable(f"expected yes or no, got {shown_repr(value)}", "write true or false (是/否 also work)")
