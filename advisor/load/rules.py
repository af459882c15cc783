"""Rules stage: a rules folder (rule YAML files + params.yaml) -> a validated RuleSet."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, RuleError, suggest
from ..i18n import said
from ..expr.parser import KEYWORDS
from ..model import PRIORITIES, Rule, RuleSet, Text
from .folder import PARAMS_FILE, rule_files
from .params import read_params
from .precedence import check_outranks
from . import rule_parts
from .source import Node, load_file
from ..knowledge.vocabulary import BY_NAME

RULE_KEYS = ("id", "title", "title_en", "sources", "when", "derive", "priority", "advice", "advice_en", "outranks",
             "contradicts", "note", "finding", "finding_en")
REQUIRED_KEYS = ("id", "title", "sources", "when")
FILE_KEYS = ("topic", "rules")


@dataclass
class _Draft:
    """A rule's nodes before its condition is checked."""

    node: Node
    file: str
    id: str
    derive: tuple[str, ...]


def fingerprint(texts: dict[str, str]) -> str:
    """sha256 over the names and contents of the rule and parameter files (name -> text)."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode() + b"\0")
    return digest.hexdigest()


# durable_rules refuses a ruleset with error 106 (ERR_RULE_LIMIT_EXCEEDED) once its network has too many
# nodes: measured with benchmarks/rule_limit.py at 3,722 rules of benchmarks/scale.py's mix (3,717 work),
# 4,095 one-test rules (4,089 work), 4,096 rules of four alternatives each (4,090 work). The limit keeps a margin
# of about half for heavier rules; the shipped rules number about a hundred.
MAX_RULES = 2_000


def load_rules(directory: Path) -> RuleSet:
    """Load every rule file and the parameters; raise RuleError listing every problem."""
    problems: list[Diagnostic] = []
    names = _folder(directory)
    params: dict[str, Any] = {}
    texts: dict[str, str] = {}
    params_path = directory / PARAMS_FILE
    if PARAMS_FILE in names:
        root, found = load_file(params_path, _display(params_path), "Y000")
        problems.extend(found)
        if root is not None:
            texts[params_path.name] = root.source.text
            params, found = read_params(root)
            problems.extend(found)
    drafts: list[_Draft] = []
    for path in rule_files(directory):
        root, found = load_file(path, _display(path), "Y000")
        problems.extend(found)
        if root is not None:
            texts[path.name] = root.source.text
            drafts.extend(_drafts(root, _display(path), problems))
    if not drafts and not problems:
        problems.append(Diagnostic("E002", said(f"'{directory}' 里没有规则文件（*.yaml）",
                                                f"no rule files (*.yaml) in '{directory}'")))
    derived = {name for d in drafts for name in d.derive}
    rules = []
    seen: dict[str, _Draft] = {}
    for order, draft in enumerate(drafts):
        if draft.id in seen:
            first = seen[draft.id].node.keys["id"].location
            problems.append(draft.node.value["id"].at(said(f"规则 id '{draft.id}' 重复了（第一次定义在 {first}）",
                                                           f"duplicate rule id '{draft.id}' (first defined at {first})"),
                                                      "E030", said("每条规则要有自己的 id；把其中一条改名",
                                                                   "every rule needs its own id; rename one of them")))
            continue
        seen[draft.id] = draft
        rule = _rule(draft, order, params, derived, problems)
        if rule is not None:
            rules.append(rule)
    check_outranks(rules, {rid: d.node for rid, d in seen.items()}, problems)
    if len(rules) > MAX_RULES:
        problems.append(seen[rules[MAX_RULES].id].node.value["id"].at(
            said(f"规则太多：{len(rules):,} 条（上限 {MAX_RULES:,} 条）；这里是第 {MAX_RULES + 1:,} 条",
                 f"too many rules: {len(rules):,} (limit {MAX_RULES:,}); this is rule {MAX_RULES + 1:,}"), "E037",
            said(f"规则引擎（durable_rules）建不起大约 3,700 条及以上的规则集；把给出相同建议的规则合并（一条规则用 `or`），"
                 f"让规则少于 {MAX_RULES:,} 条，或者按主题分成几个规则文件夹（--rules）分别运行",
                 f"the rules engine (durable_rules) fails to build a rule set of about 3,700 rules or more; keep the set "
                 f"under {MAX_RULES:,} by merging rules that give the same advice (one rule with `or`), or run separate "
                 "rule folders (--rules) for separate topics")))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RuleError(errors)
    from ..expr.strata import stratify  # a rule set must be stratifiable before it is accepted

    stratify(rules)
    return RuleSet(tuple(rules), params, fingerprint(texts), str(directory))


def _folder(directory: Path) -> set[str]:
    """The names in a rules folder. A missing or unreadable folder, or a file given for the folder, is E001:
    Path.exists() raises on a folder without search permission, and glob() silently finds nothing in one
    without read permission ("no rule files" would then be wrong)."""
    hint = said("用 --rules DIR 指定放 params.yaml 和规则文件的文件夹",
                "pass --rules DIR, the folder holding params.yaml and the rule files")
    try:
        if directory.is_file():
            raise RuleError([Diagnostic("E001", said(f"'{directory}' 是一个文件，不是规则文件夹",
                                                     f"'{directory}' is a file, not a rules folder"),
                                        hint=said(f"请给出它所在的文件夹：--rules {directory.parent}",
                                                  f"pass the folder that holds it: --rules {directory.parent}"))])
        if not directory.is_dir():
            raise RuleError([Diagnostic("E001", said(f"规则文件夹 '{directory}' 不存在",
                                                     f"rules folder '{directory}' does not exist"), hint=hint)])
        return {p.name for p in directory.iterdir()}
    except OSError as exc:
        why = exc.strerror or exc
        raise RuleError([Diagnostic("E001", said(f"无法读取规则文件夹 '{directory}'：{why}",
                                                 f"cannot read rules folder '{directory}': {why}"),
                                    hint=said("检查这个文件夹的权限", "check the folder's permissions"))]) from None


def _ids(item: Node, key: str) -> tuple[str, ...]:
    """An optional list of rule ids (`outranks:`, `contradicts:`); one id may be written alone."""
    found = item.value[key].plain() if key in item.value else []
    found = [found] if isinstance(found, str) else found
    return tuple(str(x) for x in found or ())


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _drafts(root: Node, file: str, problems: list[Diagnostic]) -> list[_Draft]:
    if not root.is_map() or "rules" not in root.value:
        problems.append(root.at(said("规则文件的最上层需要一个 'rules:' 列表", "a rule file needs a top-level 'rules:' list"),
                                "E002", said("见 docs/rules.md；阈值写在 params.yaml 里",
                                             "see docs/rules.md; thresholds go in params.yaml")))
        return []
    for key in root.keys:
        if key not in FILE_KEYS:
            problems.append(root.key_at(key, said(f"规则文件的最上层没有 '{key}' 这个键",
                                                  f"unknown key '{key}' at the top of a rule file"), "E003",
                                        suggest(key, FILE_KEYS)))
    items = root.value["rules"]
    if not items.is_seq():
        problems.append(items.at(said("'rules' 必须是由规则组成的列表，每条规则以 '- id:' 开头",
                                      "'rules' must be a list of rules, each starting with '- id:'"), "E002"))
        return []
    out = []
    for item in items.value:
        if not item.is_map():
            problems.append(item.at(said("一条规则必须是一个映射（id:、title:、when:、…）",
                                         "a rule must be a mapping (id:, title:, when:, …)"), "E002"))
            continue
        for key in item.keys:
            if key not in RULE_KEYS:
                problems.append(item.key_at(key, said(f"规则里没有 '{key}' 这个键", f"unknown key '{key}' in a rule"), "E003",
                                            suggest(key, RULE_KEYS)))
        missing = [k for k in REQUIRED_KEYS if k not in item.value]
        if missing:
            problems.append(item.at(said(f"规则缺少 {'、'.join(missing)}", f"rule lacks {', '.join(missing)}"), "E004",
                                    said("一条规则需要 id、title、sources、when，以及 derive 和/或 advice",
                                         "a rule needs id, title, sources, when, and derive and/or advice")))
            continue
        rule_id = item.value["id"].value
        if not isinstance(rule_id, str) or not rule_id.replace(".", "_").replace("-", "_").isidentifier():
            problems.append(item.value["id"].at(said(f"规则 id {rule_id!r} 必须是像 'timing.due_soon' 这样的文字",
                                                     f"rule id {rule_id!r} must be text like 'timing.due_soon'"), "E005"))
            continue
        derive = _derive(item, problems)
        out.append(_Draft(item, file, rule_id, derive))
    return out


def _derive(item: Node, problems: list[Diagnostic]) -> tuple[str, ...]:
    node = item.value.get("derive")
    if node is None:
        return ()
    values = node.value if node.is_seq() else [node]
    out = []
    for value in values:
        name = value.value
        if not isinstance(name, str) or not name.isidentifier() or name in KEYWORDS:
            problems.append(value.at(said(f"推导事实的名称 {name!r} 必须是像 cannot_cover_payments 这样的一个词",
                                          f"derived fact name {name!r} must be a word like cannot_cover_payments"),
                                     "E005", said("只能用字母、数字和 _", "letters, digits and _ only")))
        elif name in BY_NAME:
            problems.append(value.at(said(f"'{name}' 是案例里的事实；推导事实要有自己的名称",
                                          f"'{name}' is a case fact; a derived fact needs a name of its own"), "E005"))
        else:
            out.append(name)
    return tuple(out)


def _text(item: Node, key: str, problems: list[Diagnostic]) -> str:
    node = item.value.get(key)
    if node is None:
        return ""
    if not isinstance(node.value, str) or not node.value.strip():
        problems.append(node.at(said(f"'{key}' 必须是文字", f"'{key}' must be text"), "E005"))
        return ""
    return node.value.strip()


def _rule(d: _Draft, order: int, params: dict[str, Any], derived: set[str],
          problems: list[Diagnostic]) -> Rule | None:
    item = d.node
    before = len(problems)
    title = Text(_text(item, "title", problems), _text(item, "title_en", problems))
    sources = rule_parts.sources(item.value["sources"], problems)
    when_node = item.value["when"]
    condition = rule_parts.condition(when_node, params, derived, problems)
    priority = item.value["priority"].value if "priority" in item.value else None
    if priority is not None and priority not in PRIORITIES:
        problems.append(item.value["priority"].at(said(f"没有 '{priority}' 这个优先级",
                                                       f"unknown priority '{priority}'"), "E032",
                                                  suggest(str(priority), PRIORITIES)))
    advice_zh = _text(item, "advice", problems)
    advice = Text(advice_zh, _text(item, "advice_en", problems)) if advice_zh else None
    if advice and priority is None:
        problems.append(item.key_at("advice", said("有建议（advice）就要有优先级（priority）", "advice needs a priority"), "E033",
                                    said(f"加上 `priority:`，取 {'、'.join(PRIORITIES)} 之一",
                                         f"add `priority:` one of {', '.join(PRIORITIES)}")))
    add_advice = said("加上 `advice:`", "add `advice:`")
    if priority is not None and advice is None:
        problems.append(item.key_at("priority", said("写了优先级，却没有建议文字", "priority given but no advice text"), "E033",
                                    add_advice))
    if "advice_en" in item.value and advice is None:
        problems.append(item.key_at("advice_en", said("有英文建议，却没有中文建议", "English advice without Chinese advice"),
                                    "E033", add_advice))
    if not d.derive and advice is None:
        problems.append(item.key_at("id", said(f"规则 '{d.id}' 什么也没有得出", f"rule '{d.id}' concludes nothing"), "E034",
                                    said("加上 `derive:`（给其他规则用的事实）和/或带 `priority:` 的 `advice:`",
                                         "add `derive:` (a fact for other rules) and/or `advice:` with `priority:`")))
    finding_zh = _text(item, "finding", problems)
    finding = Text(finding_zh, _text(item, "finding_en", problems)) if finding_zh else None
    if finding is not None and (advice is not None or not d.derive):
        problems.append(item.key_at("finding", said("finding 只属于推导出事实、不给建议的规则",
                                                    "a finding belongs to a rule that derives a fact and gives no advice"),
                                    "E033", said("`finding:`（推断出了什么，告诉读者）只写在有 `derive:`、没有 `advice:` 的规则上",
                                                 "keep `finding:` (what was inferred, told to the reader) on a rule with "
                                                 "`derive:` and no `advice:`")))
    if "finding_en" in item.value and finding is None:
        problems.append(item.key_at("finding_en", said("有英文的 finding，却没有中文的",
                                                       "English finding without Chinese finding"),
                                    "E033", said("加上 `finding:`", "add `finding:`")))
    for key in ("advice", "advice_en", "finding", "finding_en"):
        if key in item.value and isinstance(item.value[key].value, str):
            rule_parts.placeholders_of(item.value[key], params, derived, problems)
    if len(problems) > before or condition is None:
        return None
    return Rule(d.id, title, sources, str(when_node.value), condition, d.derive, priority, advice,
                item.keys["id"].location, d.file, order, _ids(item, "outranks"), _ids(item, "contradicts"), finding)
