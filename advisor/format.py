"""How the advisor shows values: yuan, days and months, percentages, dates, yes/no, and how wide text is
in a terminal (a Chinese character takes two cells)."""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, Mapping

from .i18n import pick, t


def yuan(amount: float) -> str:
    """99000 -> '99,000'; 8833.3 -> '8,833.3' (at most two decimals, none when whole)."""
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def percent(rate: float, places: int = 2) -> str:
    """0.18 -> '18%'; 0.008 -> '0.8%' (at most `places` decimals of the percentage)."""
    return f"{rate * 100:.{places}f}".rstrip("0").rstrip(".") + "%"


def fmt(value: Any, unit: str, lang: str) -> str:
    """A value as a borrower reads it: 12,000 元 / ¥12,000, 18%, 2026-12-05, 5 天."""
    if value is None:
        return t("unknown", lang)
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, dt.date):
        return value.isoformat()
    if unit == "date" and isinstance(value, (int, float)):
        return dt.date.fromordinal(int(value)).isoformat()
    if isinstance(value, (int, float)):
        if unit in ("rate", "ratio"):
            return percent(value)
        if unit == "cny":
            text = yuan(value)
            return t("cny", lang, value=text)
        if unit == "days":
            return t("days", lang, value=f"{value:g}")
        if unit == "months":
            return t("months", lang, value=f"{value:g}")
        return f"{value:g}"
    return str(value)


def fmt_figure(value: Any, bound: Mapping[str, Any] | None, unit: str, lang: str) -> str:
    """A summary figure: its value; when unknown but bounded, "至少 N 元" or "N–M 元" (never a bare number)."""
    if value is not None or not bound:
        return fmt(value, unit, lang)
    low, high = bound.get("min"), bound.get("max")
    if low is not None and high is not None:
        return pick(lang, f"{fmt(low, unit, lang).removesuffix(' 元')}–{fmt(high, unit, lang)}",
                    f"{fmt(low, unit, lang)}–{fmt(high, unit, lang)}")
    if low is not None:
        return t("at_least", lang, value=fmt(low, unit, lang))
    return t("at_most", lang, value=fmt(high, unit, lang))


def cells(text: str) -> int:
    """The terminal cells `text` takes: two for a wide (CJK) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal cells."""
    return text + " " * max(0, width - cells(text))
