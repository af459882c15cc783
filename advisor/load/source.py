"""Source stage: read a YAML file strictly into nodes that remember their line and column."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, Location
from ..i18n import Said, said
from .read import Source, read_text

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_TAG_HINT = said("删掉 '!…' 标签：这里只接受普通的值", "remove the '!…' tag: only plain values are accepted")
MAX_DEPTH = 50               # a case or rule file needs a few levels; deeper is a mistake or an attack
_NESTING_HINT = said("案例或规则文件只需要几层嵌套：找一找没有闭合的 '[' 或 '{'",
                     "a case or rule file needs only a few levels of nesting: look for unclosed '[' or '{'")
_DEEP = said("数据嵌套太深", "the data is nested too deeply")
# YAML 1.1 reads 0x1F, 0b101, 017 (octal: 15!) and 1:30 (base 60: 90) as numbers. A counsellor who writes
# `salary: 05000` means 5000, so such scalars stay text and the field's own reader decides (see _convert).
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")


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

    def at(self, message: str | Said, code: str, hint: str | Said = "") -> Diagnostic:
        return Diagnostic(code, message, self.location, hint)

    def key_at(self, key: str, message: str | Said, code: str, hint: str | Said = "") -> Diagnostic:
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



def parse_yaml(source: Source, code: str) -> tuple[Node | None, list[Diagnostic]]:
    """Compose YAML into Nodes: safe tags only, no aliases, no duplicate keys."""
    try:
        root = yaml.compose(source.text, Loader=_LOADER)
    except yaml.reader.ReaderError as exc:  # a control character: pasted from a terminal, or not a text file
        # libyaml gives a byte offset, PyYAML a character offset: the first such character is the one.
        line, col = _position(source.text, max(0, source.text.find(chr(exc.character))))
        return None, [Diagnostic(code, said(f"文件里有控制字符 U+{exc.character:04X}，YAML 不允许",
                                            f"the file contains the control character U+{exc.character:04X}, "
                                            "which YAML does not allow"), source.location(line, col),
                                 said("删掉它（它可能来自终端或文字处理软件）",
                                      "remove it (it may come from a terminal or a word processor)"))]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = source.location(mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or "invalid YAML"
        if "nesting depth" in problem:  # libyaml refuses more than 1,000 levels before building them
            return None, [Diagnostic("Y003", _DEEP, loc, _NESTING_HINT)]
        return None, [Diagnostic(code, said(f"YAML 格式有误：{problem}", f"invalid YAML: {problem}"), loc,
                                 said("检查缩进；含有 ':' 或 '#' 的文字请加引号",
                                      "check indentation, and quote text that contains ':' or '#'"))]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        return None, [Diagnostic(code, said(f"YAML 格式有误：{exc}", f"invalid YAML: {exc}"), source.location(1, 1))]
    except RecursionError:  # the pure-Python composer (no libyaml) recurses once per level of nesting
        return None, [Diagnostic("Y003", _DEEP, source.location(1, 1), _NESTING_HINT)]
    if root is None:
        return None, [Diagnostic(code, said("文件是空的", "file is empty"), source.location(1, 1))]
    problems: list[Diagnostic] = []
    node = _convert(root, source, problems, {}, 0)
    return (node if not problems else None), problems


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _short(tag: str) -> str:
    """A tag as it is written in the file: !!python/name:os.system, not tag:yaml.org,2002:python/…"""
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


# libyaml's composer keeps the same marks and is several times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Scalars are built by calling SafeConstructor's per-tag functions directly: `construct_object` would
# remember every node it ever built in `constructed_objects`, and a long-running process (a batch worker,
# `advisor diff`, a server) would grow with every case it reads. These functions keep no state.
_constructor = yaml.SafeLoader.__new__(yaml.SafeLoader)
yaml.constructor.SafeConstructor.__init__(_constructor)
_SCALAR_BUILDERS = {tag: yaml.SafeLoader.yaml_constructors[tag] for tag in _SCALAR_TAGS}
# The tags each kind of node may carry; any other tag (!!python/…, !!binary, !!set, a local !tag) is refused.
_TAGS = {yaml.ScalarNode: _SCALAR_TAGS, yaml.SequenceNode: {_STD + "seq"}, yaml.MappingNode: {_STD + "map"}}


def _convert(n: yaml.Node, src: Source, problems: list[Diagnostic], seen: dict[int, bool], depth: int) -> Node:
    """A composed YAML node -> Node. `seen`: id of every node converted -> whether its reuse was reported."""
    line, col = n.start_mark.line + 1, n.start_mark.column + 1
    place: dict[str, Any] = dict(source=src, line=line, col=col, tag=n.tag, start=n.start_mark.index, end=n.end_mark.index)
    if id(n) in seen:
        # The composer shares one node between an anchor and its aliases, so nothing is expanded; a node is
        # converted once and its reuse reported once (a "billion laughs" file gives one error per anchor).
        if not seen[id(n)]:
            seen[id(n)] = True
            problems.append(Diagnostic("Y002", said("这里不支持锚点和别名（&name、*name）",
                                                    "anchors and aliases (&name, *name) are not supported here"),
                                       src.location(line, col), said("把值完整地写出来", "write the value out in full")))
        return Node(None, **place)
    if depth > MAX_DEPTH:
        problems.append(Diagnostic("Y003", _DEEP, src.location(line, col), _NESTING_HINT))
        return Node(None, **place)
    seen[id(n)] = False
    if n.tag not in _TAGS[type(n)]:
        problems.append(Diagnostic("Y001", said(f"不允许使用 YAML 标签 '{_short(n.tag)}'",
                                                f"YAML tag '{_short(n.tag)}' is not allowed"), src.location(line, col),
                                   _TAG_HINT))
        return Node(None, **place)  # never constructed, never looked into
    if isinstance(n, yaml.ScalarNode):
        if n.tag == _STD + "timestamp":
            value: Any = n.value  # dates are parsed by the stage that knows what they mean
        elif (n.tag == _STD + "int" and not _DECIMAL_INT.fullmatch(n.value)
              or n.tag == _STD + "float" and ":" in n.value):
            value = n.value  # 017, 0x1F, 1:30: text for the field's reader, not YAML 1.1's octal/hex/base 60
        else:
            try:
                value = _SCALAR_BUILDERS[n.tag](_constructor, n)
            except (ValueError, yaml.YAMLError):
                value = n.value
        return Node(value, raw=n.value, style=n.style or "", **place)
    if isinstance(n, yaml.SequenceNode):
        return Node([_convert(item, src, problems, seen, depth + 1) for item in n.value], **place)
    out: dict[str, Node] = {}
    keys: dict[str, Node] = {}
    for key_node, value_node in n.value:
        if key_node.tag == _STD + "merge":
            problems.append(Diagnostic("Y002", said("不支持合并键（'<<'）", "merge keys ('<<') are not supported"),
                                       src.location(key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                                       said("把这些键完整地写出来", "write the keys out in full")))
            continue
        key = _convert(key_node, src, problems, seen, depth + 1)
        if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]` or `{[1]: x}`: a key is a word, not data
            problems.append(key.at(said("键必须是一个普通的词或数字，不能是列表或映射",
                                        "a key must be a plain word or number, not a list or mapping"), "Y001",
                                   said("写成 `名称: 值`", "write `name: value`")))
            continue
        name = str(key.value)
        if name in out:
            first = keys[name]
            problems.append(key.at(said(f"键 '{name}' 重复了（第一次出现在第 {first.line} 行）",
                                        f"duplicate key '{name}' (first at line {first.line})"), "Y004",
                                   said("同一个映射里每个键只能出现一次；删掉或改名其中一个",
                                        "each key may appear once in a mapping; remove or rename one")))
            continue
        keys[name] = key
        out[name] = _convert(value_node, src, problems, seen, depth + 1)
    return Node(out, keys=keys, **place)


def load_file(path: Path, display: str, code: str) -> tuple[Node | None, list[Diagnostic]]:
    source, problems = read_text(path, display, code)
    if source is None:
        return None, problems
    return parse_yaml(source, code)
