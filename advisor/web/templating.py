"""The page's Jinja2 environment: templates from the package, every value autoescaped (HTML and XML)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..i18n import Said
from ..inert import terminal

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescape on for every template name (.j2 included), and control characters shown as escapes
    (\\x1b, \\u202e): a case's text is shown, never obeyed."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, finalize=_inert,
                      autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["fmtdate"] = lambda d: d.isoformat() if d is not None else "—"
    env.filters["said"] = lambda text, lang: text.get(lang) if isinstance(text, Said) else text   # a diagnostic's words
    return env


def _inert(value: Any) -> Any:
    """Every printed value: text with its control characters escaped (line breaks kept); markup built by
    the page itself (the SVG charts, already escaped) as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return terminal(value)
    return value
