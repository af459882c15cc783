"""Explain stage: a rule's `because` lines, a flattening of its why-tree (explain/why.py).

Each line is a condition of the tree that held, as the tree words it: the value seen (with the loan it
was about) and the threshold; a derived fact names the rule it came from; a fact that had to be absent,
or a `no` over the loans, says so. Nothing is evaluated or worded here but those three phrases."""
from __future__ import annotations

from ..i18n import t
from ..report import Step


def because(tree: Step, lang: str) -> tuple[str, ...]:
    """The leaves of a rule's why-tree that held, in the tree's order, each once."""
    lines: list[str] = []
    for child in tree.children:
        _held(child, lang, lines)
    return tuple(dict.fromkeys(lines))


def _held(step: Step, lang: str, out: list[str]) -> None:
    if step.holds is not True:
        return
    if step.kind == "rule":                                   # a derived fact, and the rule that derived it
        out.append(t("because.derived", lang, name=step.name, rule=step.rule))
    elif step.kind == "no":
        out.append(t("because.no_loan", lang, text=step.name))
    elif step.kind == "not" and step.children and step.children[0].kind == "rule":
        out.append(t("because.absent", lang, name=step.children[0].name))
    elif step.kind == "not" and step.children and step.children[0].kind == "check" and step.children[0].name:
        out.append(step.children[0].text)                     # `not x`: x with its value (false)
    elif step.kind == "any":
        for child in step.children:                           # each loan that did (and how many more did)
            if child.kind == "value":
                out.append(child.text)
            else:
                _held(child, lang, out)
    elif step.kind in ("and", "or") or any(c.kind != "value" for c in step.children) and step.kind != "not":
        for child in step.children:                           # the parts that held, or the loan's condition
            _held(child, lang, out)
    else:
        out.append(step.text)                                 # a comparison with its values, or a `not`
