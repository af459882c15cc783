"""A rule set's conditions prepared once for explaining many cases: the rules by id, who derives what,
each condition's words and its compiled meaning (expr/closure.py)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..expr import ast, closure
from ..model import Rule, RuleSet


@dataclass(frozen=True)
class RuleIndex:
    """A rule set's rules by id and, for each derived fact, the rules that can derive it: built once per
    rule set (the Advisor keeps one), not once per case."""

    by_id: Mapping[str, Rule]
    derivers: Mapping[str, tuple[str, ...]]
    texts: dict[int, str] = field(default_factory=dict, compare=False)    # id(node) -> its source, one line
    truths: dict[int, closure.Truth] = field(default_factory=dict, compare=False)   # id(node) -> compiled
    units: dict[int, str] = field(default_factory=dict, compare=False)             # id(node) -> its unit
    literals: dict[tuple[int, str], str] = field(default_factory=dict, compare=False)   # a literal, as shown

    heads: dict[tuple[str, str], tuple[tuple[ast.Expr, ...], str, str]] = field(default_factory=dict, compare=False)
    words: dict[tuple[int, bool], Any] = field(default_factory=dict, compare=False)   # (id(leaf), held) -> wording
    # rule id -> its conditions compiled, each with the lines it gives when it held (explain/because.py)
    emits: dict[str, tuple[tuple[closure.Truth, Any], ...]] = field(default_factory=dict, compare=False)

    def head(self, rule: Rule, lang: str) -> tuple[tuple[ast.Expr, ...], str, str]:
        """A rule's conditions as a counsellor numbers them (the parts of a top-level `and`), its heading
        (`id — title`) and where it is written."""
        found = self.heads.get((rule.id, lang))
        if found is None:
            cond = rule.condition
            parts = tuple(cond.items) if isinstance(cond, ast.BoolOp) and cond.op == "and" else (cond,)
            found = self.heads[(rule.id, lang)] = (parts, f"{rule.id} — {rule.title.get(lang)}",
                                                   f"{rule.location.file}:{rule.location.line}")
        return found

    def text(self, rule: Rule, node: ast.Expr) -> str:
        """A condition's words in the rule file, on one line, as a reader quotes it."""
        found = self.texts.get(id(node))
        if found is None:
            found = self.texts[id(node)] = " ".join(rule.when[node.span[0]:node.span[1]].split())
        return found

    def truth(self, node: ast.Expr) -> closure.Truth:
        """The condition compiled once (expr/closure.py: the same answers as expr/evaluate.py)."""
        found = self.truths.get(id(node))
        if found is None:
            found = self.truths[id(node)] = closure.truth(node)
        return found

    @classmethod
    def of(cls, ruleset: RuleSet) -> RuleIndex:
        derivers: dict[str, list[str]] = {}
        for rule in ruleset.rules:
            for name in rule.derive:
                derivers.setdefault(name, []).append(rule.id)
        return cls({r.id: r for r in ruleset.rules}, {k: tuple(v) for k, v in derivers.items()})
