"""The page's Jinja2 environment: templates from the package, every value autoescaped (HTML and XML)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescape on for every template name (.j2 included): a case's text is shown, never obeyed."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["fmtdate"] = lambda d: d.isoformat() if d is not None else "—"
    return env
