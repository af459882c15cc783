"""A line of a JSON Lines batch -> Case, read with the JSON parser (about 50 times faster than YAML).

Every JSON object is also a YAML document, and a line has always meant exactly what the YAML reader
makes of it; so the JSON parser is used only where it gives the very same values, and the line goes to
the YAML reader (`load_case_text`) whenever it might not, or has any problem at all — which it then
reports at its line and column, as before:
- a number JSON writes but YAML 1.1 reads as text (`1e5`, `NaN`, `Infinity`) stays text, as YAML has it;
- a duplicate key, nesting deeper than the YAML reader allows, or a character YAML refuses or reads as
  a line break (U+0085, U+2028, U+2029) sends the line to YAML;
- so does any problem in the case itself, so that it is reported at its place.
The values' places (`Case.origins`) are the start of the line: a batch result names no places.
"""
from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ..errors import CaseError
from ..model import Case
from .cases import _case, load_case_text
from .read import MAX_BYTES, Source
from .source import MAX_DEPTH, Node

_RESOLVER = yaml.resolver.Resolver()
# What the YAML reader refuses (yaml.reader.Reader.NON_PRINTABLE) or takes as a line break in a string.
_NOT_PLAIN = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


class _Different(Exception):
    """The JSON parser's reading might differ from the YAML reader's: read the line as YAML."""


def _number(text: str) -> Any:
    """A JSON number with a fraction or exponent, as YAML 1.1 reads it: a float, or text (`1e5`)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return float(text) if tag == "tag:yaml.org,2002:float" else text


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Different("duplicate key")
    return out


def load_case_line(text: str, display: str) -> Case:
    """The case on one JSON Lines line (named `display`): the same Case `load_case_text` reads, faster."""
    if len(text) * 4 > MAX_BYTES or _NOT_PLAIN.search(text):
        return load_case_text(text, display)
    try:
        data = json.loads(text, parse_float=_number, parse_constant=str, object_pairs_hook=_pairs)
        root = _node(data, Source(display, text), 0)
        return _case(root, display)
    except (ValueError, RecursionError, _Different, CaseError):
        return load_case_text(text, display)      # the YAML reader's answer, with every problem at its place


def _node(value: Any, source: Source, depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise _Different("nested too deeply")
    if isinstance(value, dict):
        keys = {k: Node(k, source, 1, 1) for k in value}
        return Node({k: _node(v, source, depth + 1) for k, v in value.items()}, source, 1, 1, keys=keys)
    if isinstance(value, list):
        return Node([_node(v, source, depth + 1) for v in value], source, 1, 1)
    return Node(value, source, 1, 1)
