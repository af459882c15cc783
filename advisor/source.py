"""Source stage: read a YAML file strictly into nodes that remember their line and column."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, Location

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_TAG_HINT = "remove the '!…' tag: only plain values are accepted"
MAX_BYTES = 2 * 1024 * 1024  # a case or rule file is a few KB; refuse anything absurdly large


@dataclass
class Source:
    """The text of one file, kept to quote lines in diagnostics."""

    name: str
    text: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def location(self, line: int, col: int, width: int = 1) -> Location:
        return Location(self.name, line, col, self.line(line), width)


@dataclass
class Node:
    """A YAML value with its place. `value` is a dict of Nodes, a list of Nodes, or a scalar."""

    value: Any
    source: Source
    line: int
    col: int
    tag: str = ""
    raw: str = ""            # a scalar's text as written
    style: str | None = None  # a scalar's quoting style ('', '"', "'", '|', '>')
    start: int = 0           # offset of the node in the file text
    end: int = 0
    keys: dict[str, "Node"] = field(default_factory=dict)  # mapping keys, for their places

    @property
    def location(self) -> Location:
        text = self.source.text[self.start:self.end]
        width = len(text) if text and "\n" not in text else len(self.raw)
        return self.source.location(self.line, self.col, max(1, width))

    def at(self, message: str, code: str, hint: str = "") -> Diagnostic:
        return Diagnostic(code, message, self.location, hint)

    def key_at(self, key: str, message: str, code: str, hint: str = "") -> Diagnostic:
        node = self.keys.get(key, self)
        return node.at(message, code, hint)

    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value with positions stripped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value

    def offset_location(self, offset: int, width: int = 1) -> Location:
        """The file location of character `offset` of this scalar's value (for errors inside it)."""
        index = _align(self.source.text, self.start, self.end, str(self.value), offset)
        before = self.source.text[:index]
        line = before.count("\n") + 1
        col = index - (before.rfind("\n") + 1) + 1
        return self.source.location(line, col, width)


def _align(text: str, start: int, end: int, value: str, offset: int) -> int:
    """Map an offset in a scalar's value to an offset in the raw text (quotes, folding, indent)."""
    j = start
    if j < end and text[j] in "\"'|>":
        j += 1
        if text[j - 1] in "|>":  # skip the block indicator line
            nl = text.find("\n", j)
            j = nl + 1 if nl != -1 else j
    for i, ch in enumerate(value):
        if i == offset:
            break
        if ch.isspace():
            while j < end and text[j].isspace():
                j += 1
            continue
        while j < end and text[j] != ch:
            j += 1
        j += 1
    while j < end and text[j].isspace():
        j += 1
    return min(j, max(start, end - 1)) if end > start else start


def suggest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """A 'did you mean' hint, or the allowed choices when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    listed = ", ".join(sorted(choices))
    return f"allowed: {listed}" if len(listed) < 300 else ""


def read_text(path: Path, display: str, code: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read a file as UTF-8 text; an unreadable or non-UTF-8 file is a diagnostic, not a crash."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Diagnostic(code, f"file is too large ({size:,} bytes; limit {MAX_BYTES:,})",
                                     Location(display, 1, 1), "is this the right file?")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(code, f"cannot read file: {exc.strerror or exc}", Location(display, 1, 1))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Diagnostic(code, "file is not UTF-8 text", Location(display, line, 1),
                                 "save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)")]
    return Source(display, text), []


def parse_yaml(source: Source, code: str) -> tuple[Node | None, list[Diagnostic]]:
    """Compose YAML into Nodes: safe tags only, no aliases, no duplicate keys."""
    try:
        root = yaml.compose(source.text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = source.location(mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or "invalid YAML"
        return None, [Diagnostic(code, f"invalid YAML: {problem}", loc,
                                 "check indentation, and quote text that contains ':' or '#'")]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        return None, [Diagnostic(code, f"invalid YAML: {exc}", source.location(1, 1))]
    if root is None:
        return None, [Diagnostic(code, "file is empty", source.location(1, 1))]
    problems: list[Diagnostic] = []
    node = _convert(root, source, problems, set(), 0)
    return (node if not problems else None), problems


# libyaml's composer keeps the same marks and is several times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader.__new__(yaml.SafeLoader)
yaml.constructor.SafeConstructor.__init__(_constructor)


def _convert(n: yaml.Node, src: Source, problems: list[Diagnostic], seen: set[int], depth: int) -> Node:
    line, col = n.start_mark.line + 1, n.start_mark.column + 1
    place = dict(source=src, line=line, col=col, tag=n.tag, start=n.start_mark.index, end=n.end_mark.index)
    if id(n) in seen:
        problems.append(Diagnostic("Y002", "anchors and aliases (&name, *name) are not supported here",
                                   src.location(line, col), "write the value out in full"))
        return Node(None, **place)
    if depth > 50:
        problems.append(Diagnostic("Y003", "the data is nested too deeply", src.location(line, col)))
        return Node(None, **place)
    seen.add(id(n))
    if isinstance(n, yaml.ScalarNode):
        if n.tag not in _SCALAR_TAGS:
            problems.append(Diagnostic("Y001", f"YAML tag '{n.tag}' is not allowed", src.location(line, col),
                                       _TAG_HINT))
            return Node(None, **place)
        if n.tag == _STD + "timestamp":
            value: Any = n.value  # dates are parsed by the stage that knows what they mean
        else:
            try:
                value = _constructor.construct_object(n)
            except (ValueError, yaml.YAMLError):
                value = n.value
        return Node(value, raw=n.value, style=n.style or "", **place)
    if isinstance(n, yaml.SequenceNode):
        if n.tag != _STD + "seq":
            problems.append(Diagnostic("Y001", f"YAML tag '{n.tag}' is not allowed", src.location(line, col),
                                       _TAG_HINT))
        return Node([_convert(item, src, problems, seen, depth + 1) for item in n.value], **place)
    if n.tag != _STD + "map":
        problems.append(Diagnostic("Y001", f"YAML tag '{n.tag}' is not allowed", src.location(line, col), _TAG_HINT))
    out: dict[str, Node] = {}
    keys: dict[str, Node] = {}
    for key_node, value_node in n.value:
        key = _convert(key_node, src, problems, seen, depth + 1)
        if key_node.tag == _STD + "merge":
            problems.append(key.at("merge keys ('<<') are not supported", "Y002", "write the keys out in full"))
            continue
        name = str(key.value)
        if name in out:
            first = keys[name]
            problems.append(key.at(f"duplicate key '{name}' (first at line {first.line})", "Y004",
                                   "each key may appear once in a mapping; remove or rename one"))
            continue
        keys[name] = key
        out[name] = _convert(value_node, src, problems, seen, depth + 1)
    return Node(out, keys=keys, **place)


def load_file(path: Path, display: str, code: str) -> tuple[Node | None, list[Diagnostic]]:
    source, problems = read_text(path, display, code)
    if source is None:
        return None, problems
    return parse_yaml(source, code)
