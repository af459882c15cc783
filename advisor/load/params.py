"""Parameters stage: rules/params.yaml -> thresholds with their source, confidence and effective dates."""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from . import values as amounts
from ..model import Param
from ..errors import Diagnostic, suggest
from ..i18n import chinese, said
from .source import Node

PARAM_KEYS = ("value", "values", "in_force_on", "verified", "unit", "source", "confidence", "note")
REQUIRED_KEYS = ("source", "confidence")  # and one of value / values
UNITS = ("cny", "rate", "days", "months", "count", "ratio", "date")
CONFIDENCE = ("H", "M", "L")
IN_FORCE_ON = ("as_of", "loan.contract_date")
_LAYOUT = said("例如 {value: 7, unit: days, source: '2.1', confidence: M}",
               "e.g. {value: 7, unit: days, source: '2.1', confidence: M}")


def read_params(root: Node) -> tuple[dict[str, Param], list[Diagnostic]]:
    """Read the `params:` mapping; every problem is collected."""
    problems: list[Diagnostic] = []
    params: dict[str, Param] = {}
    if not root.is_map() or "params" not in root.value:
        problems.append(root.at(said("参数文件的最上层需要一个 'params:' 映射",
                                     "a parameters file needs a top-level 'params:' mapping"),
                                "P001", said("格式见 rules/params.yaml", "see rules/params.yaml for the layout")))
        return params, problems
    for key in root.keys:
        if key != "params":
            problems.append(root.key_at(key, said(f"参数文件里没有 '{key}' 这个键", f"unknown key '{key}' in a parameters file"),
                                        "P002", said("最上层只能有 'params:'", "only 'params:'")))
    block = root.value["params"]
    if not block.is_map():
        problems.append(block.at(said("'params' 必须是 名称: {value: …} 的映射",
                                      "'params' must be a mapping of name: {value: …}"),
                                 "P001"))
        return params, problems
    for name, node in block.value.items():
        if not name.isidentifier():
            problems.append(block.key_at(name, said(f"参数名 '{name}' 只能由字母、数字和 _ 组成",
                                                    f"parameter name '{name}' must be letters, digits and _"), "P003"))
            continue
        param = _param(name, node, block, problems)
        if param is not None:
            params[name] = param
    return params, problems


def _param(name: str, node: Node, block: Node, problems: list[Diagnostic]) -> Param | None:
    if not node.is_map():
        problems.append(node.at(said(f"参数 '{name}' 必须是一个含 value、unit、source、confidence 的映射",
                                     f"parameter '{name}' must be a mapping with value, unit, source, confidence"),
                                "P001", _LAYOUT))
        return None
    before = len(problems)
    for key in node.keys:
        if key not in PARAM_KEYS:
            problems.append(node.key_at(key, said(f"参数 '{name}' 里没有 '{key}' 这个键",
                                                  f"unknown key '{key}' in parameter '{name}'"), "P002",
                                        suggest(key, PARAM_KEYS)))
    fields = node.value
    missing = [k for k in REQUIRED_KEYS if k not in fields]
    if "value" not in fields and "values" not in fields:
        missing.insert(0, "value")
    if missing:
        problems.append(block.key_at(name, said(f"参数 '{name}' 缺少 {'、'.join(missing)}",
                                                f"parameter '{name}' lacks {', '.join(missing)}"), "P004",
                                     said("每个阈值都要写明出处（source）和把握程度（confidence）",
                                          "every threshold says where it comes from and how sure we are")))
        return None
    if "value" in fields and "values" in fields:
        problems.append(node.key_at("values", said(f"参数 '{name}' 同时写了 'value' 和 'values'",
                                                   f"parameter '{name}' has both 'value' and 'values'"), "P007",
                                    said("固定的阈值写一个 value，按生效日期变化的写 'values:'",
                                         "one value for a fixed threshold, or 'values:' by effective date")))
        return None
    unit = str(fields["unit"].value) if "unit" in fields else ""
    if unit and unit not in UNITS:
        problems.append(fields["unit"].at(said(f"没有 '{unit}' 这个单位",
                                               f"unknown unit '{unit}'"), "P006", suggest(unit, UNITS)))
    confidence = str(fields["confidence"].value)
    if confidence not in CONFIDENCE:
        problems.append(fields["confidence"].at(said(f"confidence 只能是 H、M 或 L，却写了 '{confidence}'",
                                                     f"confidence must be H, M or L, got '{confidence}'"), "P006",
                                                said("H：读过原文；M：可靠的二手资料；L：有待核实",
                                                     "H: primary text read; M: good secondary; L: verify")))
    value: Any = None
    table: list[tuple[dt.date, Any]] = []
    on = ""
    if "value" in fields:
        value = _value(name, fields["value"], unit, problems)
    else:
        table = _table(name, fields["values"], unit, problems)
        on = "as_of"
        if "in_force_on" in fields:
            on = str(fields["in_force_on"].value)
            if on not in IN_FORCE_ON:
                problems.append(fields["in_force_on"].at(said(f"in_force_on 只能是 as_of 或 loan.contract_date，却写了 '{on}'",
                                                              f"in_force_on must be as_of or loan.contract_date, got "
                                                              f"'{on}'"), "P008", suggest(on, IN_FORCE_ON)))
    if "in_force_on" in fields and "values" not in fields:
        problems.append(node.key_at("in_force_on", said(f"'{name}' 写了 'in_force_on'，就需要按生效日期写 'values:'",
                                                        f"'in_force_on' needs 'values:' by effective date in '{name}'"),
                                    "P008", said("固定的 'value:' 在任何日期都生效",
                                                 "a fixed 'value:' is in force on every date")))
    verified = None
    if "verified" in fields:
        try:
            verified = amounts.date(fields["verified"].value)
        except amounts.Unreadable as exc:
            problems.append(fields["verified"].at(said(f"verified：{chinese(exc.message)}", f"verified: {exc.message}"),
                                                  "P005", exc.hint))
    if len(problems) > before:
        return None
    note = str(fields["note"].value) if "note" in fields else ""
    return Param(name, value, unit, str(fields["source"].value), confidence, note, block.keys[name].location,
                 tuple(table), on, verified)


def _value(name: str, node: Node, unit: str, problems: list[Diagnostic]) -> Any:
    """One value: a number, or a date when the unit is `date`."""
    raw = node.value
    if unit == "date":
        try:
            return amounts.date(raw)
        except amounts.Unreadable as exc:
            problems.append(node.at(said(f"参数 '{name}'：{chinese(exc.message)}", f"parameter '{name}': {exc.message}"),
                                    "P005", exc.hint))
            return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        problems.append(node.at(said(f"参数 '{name}' 必须是一个数，却写了 {raw!r}",
                                     f"parameter '{name}' must be a number, got {raw!r}"),
                                "P005", said("写一个普通的数；日期要加 `unit: date`",
                                             "write a plain number; a date needs `unit: date`")))
        return None
    if not math.isfinite(raw):  # .nan or .inf: every comparison with it is false, and the engine refuses it
        problems.append(node.at(said(f"参数 '{name}' 必须是有限的数，却写了 {raw}",
                                     f"parameter '{name}' must be a finite number, got {raw}"), "P005",
                                said("写一个普通的数", "write a plain number")))
        return None
    return float(raw)


def _table(name: str, node: Node, unit: str, problems: list[Diagnostic]) -> list[tuple[dt.date, Any]]:
    """`values:` maps effective-from dates to values, oldest first."""
    if not node.is_map() or not node.value:
        problems.append(node.at(said(f"'{name}' 的 'values' 必须是 生效日期: 值 的映射",
                                     f"'values' of '{name}' must map effective dates to values"), "P009",
                                said("例如 values: {2019-08-20: 0.0425, 2019-09-20: 0.042}",
                                     "e.g. values: {2019-08-20: 0.0425, 2019-09-20: 0.042}")))
        return []
    rows: list[tuple[dt.date, Any]] = []
    for key, child in node.value.items():
        try:
            start = amounts.date(key)
        except amounts.Unreadable as exc:
            problems.append(node.key_at(key, said(f"'{name}' 里的 '{key}' 不是生效日期",
                                                  f"'{key}' in '{name}' is not an effective date"),
                                        "P009", exc.hint))
            continue
        if rows and start <= rows[-1][0]:
            problems.append(node.key_at(key, said(f"'{name}' 的生效日期必须从早到晚排列",
                                                  f"effective dates of '{name}' must be in increasing order"),
                                        "P009", said(f"{key} 写在了 {rows[-1][0].isoformat()} 之后",
                                                     f"{key} comes after {rows[-1][0].isoformat()}")))
            continue
        value = _value(name, child, unit, problems)
        if value is not None:
            rows.append((start, value))
    return rows
