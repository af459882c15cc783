"""Parameters stage: rules/params.yaml -> thresholds with their source and confidence."""
from __future__ import annotations

from .errors import Diagnostic
from .model import Param
from .source import Node, suggest

PARAM_KEYS = ("value", "unit", "source", "confidence", "note")
UNITS = ("cny", "rate", "days", "count", "ratio")
CONFIDENCE = ("H", "M", "L")


def read_params(root: Node) -> tuple[dict[str, Param], list[Diagnostic]]:
    """Read the `params:` mapping; every problem is collected."""
    problems: list[Diagnostic] = []
    params: dict[str, Param] = {}
    if not root.is_map() or "params" not in root.value:
        problems.append(root.at("a parameters file needs a top-level 'params:' mapping", "P001",
                                "see rules/params.yaml for the layout"))
        return params, problems
    for key in root.keys:
        if key != "params":
            problems.append(root.key_at(key, f"unknown key '{key}' in a parameters file", "P002", "only 'params:'"))
    block = root.value["params"]
    if not block.is_map():
        problems.append(block.at("'params' must be a mapping of name: {value: …}", "P001"))
        return params, problems
    for name, node in block.value.items():
        if not name.isidentifier():
            problems.append(block.key_at(name, f"parameter name '{name}' must be letters, digits and _", "P003"))
            continue
        if not node.is_map():
            problems.append(node.at(f"parameter '{name}' must be a mapping with value, unit, source, confidence",
                                    "P001", "e.g. {value: 7, unit: days, source: '2.1', confidence: M}"))
            continue
        for key in node.keys:
            if key not in PARAM_KEYS:
                problems.append(node.key_at(key, f"unknown key '{key}' in parameter '{name}'", "P002",
                                            suggest(key, PARAM_KEYS)))
        missing = [k for k in ("value", "source", "confidence") if k not in node.value]
        if missing:
            problems.append(block.key_at(name, f"parameter '{name}' lacks {', '.join(missing)}", "P004",
                                         "every threshold says where it comes from and how sure we are"))
            continue
        value = node.value["value"].value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(node.value["value"].at(f"parameter '{name}' must be a number, got {value!r}", "P005"))
            continue
        unit = str(node.value["unit"].value) if "unit" in node.value else ""
        if unit and unit not in UNITS:
            problems.append(node.value["unit"].at(f"unknown unit '{unit}'", "P006", suggest(unit, UNITS)))
        confidence = str(node.value["confidence"].value)
        if confidence not in CONFIDENCE:
            problems.append(node.value["confidence"].at(f"confidence must be H, M or L, got '{confidence}'", "P006",
                                                        "H: primary text read; M: good secondary; L: verify"))
        note = str(node.value["note"].value) if "note" in node.value else ""
        params[name] = Param(name, float(value), unit, str(node.value["source"].value), confidence, note,
                             block.keys[name].location)
    return params, problems
