"""Lint: what the rules define and nothing uses or exercises: derived facts no condition uses or no live
rule derives (W104, W105), parameters nothing uses (W106), English text missing (W107), rules no case fires
(W108). The codes are listed in lint.py."""
from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import AdvisorError, CaseError, Diagnostic, Location
from ..expr import ast, placeholders
from ..i18n import Said, said
from ..model import Rule, RuleSet
from ..load.source import Node
from .analysis import Knowledge
from .lint_sources import place_in_condition, quoted_in_code


def warn(code: str, message: str | Said, location: Location, hint: str | Said) -> Diagnostic:
    return Diagnostic(code, message, location, hint, "warning")


def derivers_of(ruleset: RuleSet) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        for name in rule.derive:
            out.setdefault(name, []).append(rule.id)
    return out


def derived_facts(ruleset: RuleSet, knowledge: Knowledge, nodes: dict[str, Node]) -> list[Diagnostic]:
    used: dict[str, list[tuple[Rule, ast.Ref]]] = {}
    for rule in ruleset.rules:
        seen: set[str] = set()
        for ref in ast.refs(rule.condition):
            if ref.kind == "derived" and ref.name not in seen:
                seen.add(ref.name)
                used.setdefault(ref.name, []).append((rule, ref))
    out = []
    derivers = derivers_of(ruleset)
    for rule in ruleset.rules:
        item = nodes.get(rule.id)
        node = item.value.get("derive") if item else None
        items = (node.value if node.is_seq() else [node]) if node is not None else []
        for index, name in enumerate(rule.derive):
            if name in used:
                continue
            place = items[index].location if index < len(items) else rule.location
            close = difflib.get_close_matches(name, sorted(used), n=1, cutoff=0.85)   # a slip of the pen only
            hint = said(f"在某个条件里用上 '{name}'，或者把它从 derive: 里删掉",
                        f"use '{name}' in a condition, or remove it from derive:")
            out.append(warn("W104", said(f"推导事实 '{name}' 没有被任何条件用到", f"derived fact '{name}' is used by no condition"),
                            place, said(f"你是不是想写 '{close[0]}'？（条件里用的是它）否则，{hint.zh}",
                                        f"did you mean '{close[0]}'? (conditions use it) Else {hint}") if close else hint))
    for name, uses in used.items():
        if name in knowledge.live_facts:
            continue
        dead = ", ".join(derivers.get(name, ()))
        for rule, ref in uses:
            if rule.id not in knowledge.live_rules:
                continue     # the rule's own W101 says why
            out.append(warn("W105", said(f"'{name}' 永远推导不出来：推导它的规则（{dead}）永远不会触发，所以这项检验永远不成立",
                                         f"'{name}' is never derived: the rules deriving it ({dead}) can never fire, "
                                         f"so this test never holds"), place_in_condition(rule, ref.span, nodes),
                            said(f"修正 {dead} 的条件（见它的 W101），或者这里不再检验 '{name}'",
                                 f"fix the condition of {dead} (see its W101), or stop testing '{name}' here")))
    return out


def unused_params(ruleset: RuleSet) -> list[Diagnostic]:
    derived = {name for rule in ruleset.rules for name in rule.derive}
    used: set[str] = set()
    for rule in ruleset.rules:
        refs = ast.refs(rule.condition)
        for text in (rule.advice.zh, rule.advice.en) if rule.advice else ():
            for name, _ in placeholders.names(text):
                try:
                    refs.extend(ast.refs(placeholders.compile_placeholder(name, ruleset.params, derived).expr))
                except placeholders.PlaceholderError:
                    continue        # a load error, reported by the loader
        used.update(r.name if r.kind == "param" else r.name.removeprefix("params.") for r in refs)
    used |= quoted_in_code()
    return [warn("W106", said(f"参数 '{name}' 没有被任何条件、建议文字或代码用到",
                              f"parameter '{name}' is used by no condition, no advice text and no code"), param.location,
                 said(f"在规则里以 params.{name} 使用它，或者把它从 params.yaml 里删掉",
                      f"use it as params.{name} in a rule, or remove it from params.yaml"))
            for name, param in ruleset.params.items() if name not in used]


def english(ruleset: RuleSet, nodes: dict[str, Node]) -> list[Diagnostic]:
    out = []
    for rule in ruleset.rules:
        item = nodes.get(rule.id)
        if not rule.title.en:
            place = item.keys["title"].location if item and "title" in item.keys else rule.location
            out.append(warn("W107", said(f"规则 '{rule.id}' 没有英文标题", f"rule '{rule.id}' has no English title"), place,
                            said("在 `title:` 下面加上 `title_en:`（用 --lang en 时显示）",
                                 "add `title_en:` under `title:` (shown with --lang en)")))
        if rule.advice and not rule.advice.en:
            place = item.keys["advice"].location if item and "advice" in item.keys else rule.location
            out.append(warn("W107", said(f"规则 '{rule.id}' 有建议，但没有英文建议",
                                         f"rule '{rule.id}' has advice but no English advice"),
                            place, said("加上 `advice_en:`，内容相同，{占位符} 也相同（用 --lang en 时显示）",
                                        "add `advice_en:`, the same advice with the same {placeholders} (shown with --lang en)")))
    return out


def coverage(ruleset: RuleSet, cases_dir: Path, knowledge: Knowledge) -> list[Diagnostic]:
    """Run every case; each rule that fires in none of them (and could fire) is a warning."""
    from ..advise import Advisor
    from ..load.cases import load_case

    if not cases_dir.is_dir():
        return [Diagnostic("E001", said(f"案例文件夹 '{cases_dir}' 不存在", f"cases folder '{cases_dir}' does not exist"),
                           hint=said("给出放案例文件（*.yaml）的文件夹", "pass the folder holding the case files (*.yaml)"))]
    paths = sorted(cases_dir.glob("*.yaml"))
    if not paths:
        return [Diagnostic("E002", said(f"'{cases_dir}' 里没有案例文件（*.yaml）", f"no case files (*.yaml) in '{cases_dir}'"),
                           hint=said("加一些案例（见 docs/cases.md），或者不带案例文件夹运行 lint",
                                     "add cases (see docs/cases.md), or lint without a cases folder"))]
    try:
        advisor = Advisor.build(ruleset)
    except AdvisorError as exc:
        return list(exc.diagnostics)
    out: list[Diagnostic] = []
    fired: set[str] = set()
    ran = 0
    for path in paths:
        try:
            _, firings = advisor.evaluate(load_case(path))
        except (CaseError, AdvisorError) as exc:
            out.extend(exc.diagnostics)
            continue
        ran += 1
        fired.update(f.rule for f in firings)
    for rule in ruleset.rules:
        if rule.id not in fired and rule.id in knowledge.live_rules:
            out.append(warn("W108", said(f"规则 '{rule.id}' 在 {cases_dir} 的 {ran} 个案例中一次也没有触发",
                                         f"rule '{rule.id}' fires in none of the {ran} cases in {cases_dir}"),
                            rule.location, said(f"在 {cases_dir} 里新增或扩充一个让它触发的案例，并在 `expect:` 下写明它必须给出什么"
                                                "（见 docs/cases.md）",
                                                f"add or extend a case in {cases_dir} in which it fires, and list what "
                                                "it must produce under `expect:` (see docs/cases.md)")))
    return out
