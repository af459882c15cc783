"""Reading the numbers counsellors write: "5万", "1.2万元", "¥12,000", "18%", "2026/12/05"."""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from ..i18n import Said, said
from ..model import Bound


def prefixed(name: str, message: str | Said) -> Said:
    """`name: message` in both languages (a field's name stays as it is written in the file)."""
    zh = message.zh if isinstance(message, Said) else message
    return said(f"{name}：{zh}", f"{name}: {message}")


class Unreadable(ValueError):
    """A value that cannot be read as what the field needs; carries a hint for the user."""

    def __init__(self, message: str | Said, hint: str | Said = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


_UNITS = {"万": 10_000, "千": 1_000, "k": 1_000, "w": 10_000, "亿": 100_000_000}
# The patterns are compiled on first use (by re's own cache), not when the module loads: a case whose
# figures are plain numbers never needs them, and `advisor run` starts faster.
_AMOUNT = (r"^(?P<num>[+-]?\d+(?:\.\d+)?)\s*(?P<unit>万|千|亿|k|w)?\s*(?:元|块|rmb|cny)?$")
AMOUNT_HINT = said('写一个以元为单位的数，例如 12000、"1.2万"、"¥12,000"', 'write a number of yuan, e.g. 12000, "1.2万", "¥12,000"')
WHOLE_HINT = said("写一个整数，例如 12", "write a whole number such as 12")
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


GROUPING_HINT = said('数字每三位用逗号分开，如 "12,000" 或 "¥12,000"，或者不分开：12000；小数点用 "."，如 12.5；'
                     '12,000 也可以写成 1.2万',
                     'group digits in threes, "12,000" or "¥12,000", or write none: 12000; '
                     'a decimal point is ".", e.g. 12.5; 1.2万 for 12,000')


def _zh(words: str | Said) -> str:
    return words.zh if isinstance(words, Said) else words
_RUN = (r"(?<![\d.,])[\d.,]*\d[\d.,]*|[.,]+")     # a number as written, with its separators
_GROUPED = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


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
        raise Unreadable(said(f"'{shown(original)}' 的数字之间隔着空格",
                              f"'{shown(original)}' has digits apart, separated by a space"),
                         GROUPING_HINT)
    text = text.replace(" ", "")
    if "," in text:
        for run in re.findall(_RUN, text):
            if "," in run and not re.fullmatch(_GROUPED, run):
                raise Unreadable(said(f"'{shown(original)}'：'{shown(run)}' 的数字不是每三位一组",
                                      f"'{shown(original)}': the digits of '{shown(run)}' are not grouped in threes"),
                                 GROUPING_HINT)
    return text.replace(",", "")


def _finite(value: float, what: str | Said, hint: str | Said) -> float:
    if math.isnan(value) or math.isinf(value):
        raise Unreadable(said(f"{_zh(what)}必须是有限的数，不能是 {shown(value)}",
                              f"{what} must be a finite number, not {shown(value)}"), hint)
    return value


def _huge(value: object, what: str | Said, hint: str | Said) -> None:
    """Refuse an integer beyond any amount, rate or count before float() raises OverflowError on it (past
    1e308) and before a message repeats its hundreds of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 15:
        digits = str(abs(value))
        sign = '-' if value < 0 else ''
        raise Unreadable(said(f"{_zh(what)} {sign}{digits[:6]}…（{len(digits)} 位数）大得不合常理",
                              f"{what} {sign}{digits[:6]}… ({len(digits)} digits) is implausibly large"), hint)


# "20余万", "8000多", "5万以上", "至少5000", "5000+": at least the number; "4000-5000", "4千到5千": a range.
_AT_LEAST = (r"^(?:至少|不少于|起码)?(?P<num>\d+(?:\.\d+)?)(?:余|多)?(?P<unit>万|千|亿|k|w)?(?:余|多)?"
             r"(?:元|块)?(?:以上|多|\+)?$")
_RANGE = (r"^(?P<a>\d+(?:\.\d+)?)(?P<ua>万|千|k|w)?(?:元|块)?(?:-|~|～|—|到|至)"
          r"(?P<b>\d+(?:\.\d+)?)(?P<ub>万|千|k|w)?(?:元|块)?$")
_LOWER_MARKS = ("余", "多", "以上", "至少", "不少于", "起码")


def amount_or_bound(value: object) -> float | Bound:
    """An exact amount, or a Bound for the inexact ways people state money ("20余万", "4000-5000")."""
    if isinstance(value, str):
        text = _normal(value)
        match = re.match(_RANGE, text)
        if match:
            unit_b = match["ub"] or ""
            low = amount(match["a"] + (match["ua"] or unit_b))
            high = amount(match["b"] + unit_b)
            if low > high:
                raise Unreadable(said(f"范围 '{shown(value)}' 写反了", f"range '{shown(value)}' runs backwards"),
                                 said('小的数写在前面，例如 "4000-5000"', 'write the lower number first, e.g. "4000-5000"'))
            return low if low == high else Bound(low, high)
        if any(mark in text for mark in _LOWER_MARKS) or text.endswith("+"):
            match = re.match(_AT_LEAST, text)
            if not match:
                raise Unreadable(_not_money(value), AMOUNT_HINT + BOUND_HINT)
            return Bound(amount(match["num"] + (match["unit"] or "")))
    return amount(value)


BOUND_HINT = said('；只知道下限可以写 "20余万" 或 "8000多"，范围写 "4000-5000"',
                  '; a lower bound as "20余万" or "8000多", a range as "4000-5000"')
_AMOUNT_WORD = said("金额", "amount")


def _not_money(value: object) -> Said:
    return said(f"无法把 '{shown(value)}' 读成金额", f"cannot read '{shown(value)}' as an amount of money")


def _got(what_zh: str, what_en: str, got: object) -> Said:
    return said(f"这里应当是{what_zh}，却写了 {got}", f"expected {what_en}, got {got}")


def amount(value: object) -> float:
    """An amount of money in yuan; never negative."""
    if isinstance(value, bool):
        raise Unreadable(_got("金额", "an amount of money", str(value).lower()), AMOUNT_HINT)
    _huge(value, _AMOUNT_WORD, AMOUNT_HINT)
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = re.match(_AMOUNT, _normal(value))
        if not match:
            raise Unreadable(_not_money(value), AMOUNT_HINT)
        number = float(match["num"]) * _UNITS.get(match["unit"] or "", 1)
    else:
        raise Unreadable(_got("金额", "an amount of money", type(value).__name__), AMOUNT_HINT)
    number = _finite(number, said("金额", "an amount"), AMOUNT_HINT)
    if number < 0:
        raise Unreadable(said(f"金额不能是负数（{shown(value)}）", f"an amount cannot be negative ({shown(value)})"),
                         said("金额是每月的数或尚欠的数，以元为单位，≥ 0", "amounts are per month or outstanding, in yuan, ≥ 0"))
    if number > MAX_AMOUNT:
        raise Unreadable(said(f"金额 {shown(value)} 大得不合常理", f"amount {shown(value)} is implausibly large"), AMOUNT_HINT)
    return round(number, 2)


RATE_HINT = said('年利率写成 0.18 或 "18%"；月费率写成 0.008 或 "0.8%"',
                 'write an annual rate as 0.18 or "18%"; a monthly fee rate as 0.008 or "0.8%"')
_RATE_WORD = said("利率", "rate")


def rate(value: object, limit: float = 10.0) -> float:
    """A rate as a fraction: 0.18, "18%", "18％"; a bare number above 1 is ambiguous."""
    if isinstance(value, bool):
        raise Unreadable(_got("利率", "a rate", str(value).lower()), RATE_HINT)
    _huge(value, _RATE_WORD, RATE_HINT)
    if isinstance(value, (int, float)):
        number = _finite(float(value), said("利率", "a rate"), RATE_HINT)
        if number > 1:
            v = shown(value)
            raise Unreadable(said(f"利率 {v} 有歧义：是 {v}% 还是 {v}×100%？",
                                  f"rate {v} is ambiguous: is it {v}% or {v}×100%?"), RATE_HINT)
    elif isinstance(value, str):
        text = _normal(value)
        match = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)%", text)
        if match:
            number = float(match[1]) / 100
        elif re.fullmatch(r"[+-]?\d+(?:\.\d+)?", text) and float(text) <= 1:
            number = float(text)
        else:
            raise Unreadable(said(f"无法把 '{shown(value)}' 读成利率", f"cannot read '{shown(value)}' as a rate"), RATE_HINT)
    else:
        raise Unreadable(_got("利率", "a rate", type(value).__name__), RATE_HINT)
    if number < 0:
        raise Unreadable(said(f"利率不能是负数（{shown(value)}）", f"a rate cannot be negative ({shown(value)})"), RATE_HINT)
    if number > limit:
        raise Unreadable(said(f"利率 {shown(value)} 高得不合常理", f"rate {shown(value)} is implausibly high"), RATE_HINT)
    return round(number, 6)


def count(value: object, what: str | Said = "a count") -> int:
    """A whole number ≥ 0 (days, installments, rejections)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Unreadable(said(f"这里应当是{_zh(what)}（整数），却写了 {shown_repr(value)}",
                              f"expected {what} (a whole number), got {shown_repr(value)}"), WHOLE_HINT)
    _huge(value, what, WHOLE_HINT)
    if isinstance(value, str):
        text = _normal(value).removesuffix("天").removesuffix("期").removesuffix("次")
        if not re.fullmatch(r"\d+", text):
            raise Unreadable(said(f"无法把 '{shown(value)}' 读成{_zh(what)}", f"cannot read '{shown(value)}' as {what}"),
                             WHOLE_HINT)
        if len(text) > 12:  # int() refuses more than 4,300 digits with a ValueError; anything this long is wrong
            raise Unreadable(said(f"{_zh(what)} {text[:12]}…（{len(text)} 位数）大得不合常理",
                                  f"{what} {text[:12]}… ({len(text)} digits) is implausibly large"), WHOLE_HINT)
        value = int(text)
    if isinstance(value, float):
        if not value.is_integer():
            raise Unreadable(said(f"{_zh(what)}必须是整数，却写了 {shown(value)}",
                                  f"{what} must be a whole number, got {shown(value)}"), WHOLE_HINT)
        value = int(value)
    if value < 0:
        raise Unreadable(said(f"{_zh(what)}不能是负数（{shown(value)}）", f"{what} cannot be negative ({shown(value)})"),
                         said("写一个 ≥ 0 的整数", "write a whole number ≥ 0"))
    if value > 1_000_000:
        raise Unreadable(said(f"{_zh(what)} {shown(value)} 大得不合常理", f"{what} {shown(value)} is implausibly large"),
                         WHOLE_HINT)
    return int(value)


DATE_HINT = said("日期写成 YYYY-MM-DD，例如 2026-12-05（2026年12月5日 也可以）", "write a date as YYYY-MM-DD, e.g. 2026-12-05")
_DATE = (r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def date(value: object) -> dt.date:
    """A calendar date: 2026-12-05, 2026/12/5, 2026年12月5日; 2026-02-30 is refused."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise Unreadable(_got("日期", "a date", shown_repr(value)), DATE_HINT)
    match = re.match(_DATE, _normal(value))
    if not match:
        raise Unreadable(said(f"无法把 '{shown(value)}' 读成日期", f"cannot read '{shown(value)}' as a date"), DATE_HINT)
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise Unreadable(said(f"'{shown(value)}' 不是一个真实存在的日期（这个月没有这一天，或者月份不对）",
                              f"'{shown(value)}' is not a real date ({exc})"), DATE_HINT) from None


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
    raise Unreadable(_got("是或否", "yes or no", shown_repr(value)),
                     said("写 是 或 否（true/false 也可以）", "write true or false (是/否 also work)"))
