"""The condition language: parsing, type checking, and three-valued meaning."""
from __future__ import annotations

import pytest

from advisor.expr import ast
from advisor.expr.check import check
from advisor.expr.evaluate import truth
from advisor.model import Facts
from advisor.expr.normal import dnf, nnf
from advisor.expr.parser import ParseError, parse

PARAMS = {"limit": 7}


def typed(text: str, derived=frozenset({"flag_a"})):
    tree, errors = check(parse(text), PARAMS, set(derived))
    assert not errors, errors
    return tree


def test_precedence_and_binds_tighter_than_or():
    tree = parse("monthly_due > 1 or monthly_due > 2 and monthly_due > 3")
    assert isinstance(tree, ast.BoolOp) and tree.op == "or"
    assert isinstance(tree.items[1], ast.BoolOp) and tree.items[1].op == "and"


def test_any_applies_to_the_next_comparison_only():
    tree = parse("any loan.overdue_days > 0 and monthly_due > 0")
    assert isinstance(tree, ast.BoolOp) and isinstance(tree.items[0], ast.Quant)


@pytest.mark.parametrize("text, start", [("monthly_due >", 13), ("monthly_due > 0 and", 19), ("(monthly_due > 0", 16),
                                         ("monthly_due ! 0", 12), ("monthly_due > 0 monthly_due", 16)])
def test_syntax_errors_point_at_the_fault(text, start):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.span[0] == start


def test_percent_and_unicode_operators():
    tree = parse("monthly_due ≥ 24%")
    assert tree.op == ">=" and tree.right.value == pytest.approx(0.24)


@pytest.mark.parametrize("text", ["monthly_due > 'x'", "negotiation.goal > 1", "collection.threats + 1 > 0",
                                  "monthly_due", "3 > 2", "monthly_due + 1 > monthly_income + 1",
                                  "known(params.limit)", "any any loan.balance > 0"])
def test_type_errors_are_found_at_load_time(text):
    try:
        _, errors = check(parse(text), PARAMS, set())
    except ParseError:
        return
    assert errors, text


def _facts(case, loans=(), derived=(), known=True):
    return Facts(case, tuple(loans), frozenset(derived), PARAMS, known)


def test_unknown_facts_make_comparisons_unknown_in_both_polarities():
    facts = _facts({})
    assert truth(typed("monthly_due > 0"), facts) is None
    assert truth(typed("not monthly_due > 0"), facts) is None
    assert truth(typed("monthly_due > 0 or unknown(monthly_due)"), facts) is True
    assert truth(typed("monthly_due > 0 and monthly_due < 0"), _facts({"monthly_due": 5})) is False


def test_quantifiers_over_loans():
    loans = [{"overdue_days": 0}, {"overdue_days": 3}]
    assert truth(typed("any loan.overdue_days > 0"), _facts({}, loans)) is True
    assert truth(typed("no loan.overdue_days > 0"), _facts({}, loans)) is False
    assert truth(typed("no loan.overdue_days > 5"), _facts({}, loans)) is True
    assert truth(typed("no loan.overdue_days > 5"), _facts({}, [{}])) is None
    assert truth(typed("any loan.overdue_days > 5"), _facts({}, [], known=False)) is None


def test_negation_normal_form_flips_leaves():
    tree = nnf(typed("not (monthly_due > 1 and any loan.balance > 2)"))
    assert tree.op == "or"
    assert tree.items[0].op == "<=" and tree.items[1].kind == "no"


def test_dnf_keeps_case_only_or_inside_one_branch():
    assert len(dnf(nnf(typed("(monthly_due > 1 or monthly_income > 2) and flag_a")))) == 1
    assert len(dnf(nnf(typed("flag_a or any loan.balance > 0")))) == 2


def test_any_takes_a_negated_yes_no_field():
    tree = typed("any not loan.contract_read and monthly_due > 0")
    assert isinstance(tree, ast.BoolOp) and isinstance(tree.items[0], ast.Quant)
    assert isinstance(tree.items[0].body, ast.Not)
    facts = Facts({"monthly_due": 1}, ({"contract_read": True}, {"contract_read": False}))
    assert truth(tree, facts) is True
    assert truth(tree, Facts({"monthly_due": 1}, ({"contract_read": True}, {}))) is None
