"""What lint reads besides the loaded rules: each rule's YAML mapping (for the places of its keys and of
spans of its condition), and the names the advisor's own modules quote (a parameter read by name is used)."""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ..errors import Location
from ..expr import ast
from ..load.source import Node, load_file
from ..model import Rule


def rule_nodes(rules: tuple[Rule, ...]) -> dict[str, Node]:
    """Each rule's YAML mapping, re-read for the places of its keys (the files loaded cleanly just before)."""
    out: dict[str, Node] = {}
    for file in sorted({rule.file for rule in rules}):
        root, _ = load_file(Path(file), file, "Y000")
        if root is not None and root.is_map() and "rules" in root.value and root.value["rules"].is_seq():
            for item in root.value["rules"].value:
                if item.is_map() and "id" in item.value:
                    out.setdefault(str(item.value["id"].value), item)
    return out


def place_in_condition(rule: Rule, span: ast.Span, nodes: dict[str, Node]) -> Location:
    """The place of a span of a rule's condition in its file (the rule's id if the file cannot be re-read)."""
    item = nodes.get(rule.id)
    if item is None or "when" not in item.value:
        return rule.location
    when: Node = item.value["when"]
    return when.offset_location(span[0], max(1, span[1] - span[0]))


@functools.cache
def quoted_in_code() -> frozenset[str]:
    """Names quoted in the advisor's own modules: parameters the code reads by name (e.g. the plan's)."""
    names: set[str] = set()
    for path in Path(__file__).resolve().parents[1].rglob("*.py"):
        names.update(_QUOTED.findall(path.read_text(encoding="utf-8")))
    return frozenset(names)


_QUOTED = re.compile(r"""["']([A-Za-z_][A-Za-z0-9_]*)["']""")
