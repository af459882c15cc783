"""Numbers inside advice text: `{monthly_shortfall}`, `{params.large_debt}`, `{loans}`, `{loan.next_due}`."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from .vocabulary import BY_NAME

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SPECIAL = {"loans": "the names of the loans that matched the rule"}


def names(template: str) -> list[tuple[str, int]]:
    """The placeholder names in a text with their offsets; `{{` and `}}` are literal braces."""
    text = template.replace("{{", "\0\0").replace("}}", "\0\0")
    return [(m.group(1).strip(), m.start()) for m in PLACEHOLDER.finditer(text)]


def problem(name: str, params: set[str]) -> str | None:
    """Why a placeholder name is not allowed, or None."""
    if name in SPECIAL or name in BY_NAME:
        return None
    if name.startswith("params.") and name[len("params."):] in params:
        return None
    return f"unknown placeholder '{{{name}}}'"


def fmt(value: Any, unit: str, lang: str) -> str:
    """A value as a borrower reads it: 12,000 元 / ¥12,000, 18.00%, 2026-12-05."""
    if value is None:
        return "未知" if lang != "en" else "unknown"
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if unit in ("rate", "ratio"):
            return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"
        if unit == "cny":
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
            return f"¥{text}" if lang == "en" else f"{text} 元"
        if unit == "days":
            return f"{value:g} days" if lang == "en" else f"{value:g} 天"
        return f"{value:g}"
    return str(value)


def fill(template: str, lookup: Callable[[str], str]) -> str:
    """Replace each placeholder with lookup(name); braces doubled in the template stay single."""
    text = template.replace("{{", "\0L").replace("}}", "\0R")
    text = PLACEHOLDER.sub(lambda m: lookup(m.group(1).strip()), text)
    return text.replace("\0L", "{").replace("\0R", "}")
