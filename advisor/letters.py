"""Letters stage: a negotiation request (协商还款申请) and a phone script per lender, rendered from
templates counsellors edit (templates/*.j2, Jinja2 in a sandbox), with the case's numbers from the plan."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Diagnostic, Location, RuleError
from .model import Report
from .money import loan_cost
from .placeholders import fmt
from .render.plan import PROPOSAL_WORDS

TEMPLATES = {"letter": "letter.zh.txt.j2", "phone": "phone.zh.txt.j2"}


def default_templates() -> Path:
    """./templates, else the templates/ folder next to the package."""
    here = Path("templates")
    return here if (here / TEMPLATES["letter"]).exists() else Path(__file__).resolve().parent.parent / "templates"


def context(report: Report, loan_name: str) -> dict[str, Any]:
    """What a template can use for one lender: the plan's numbers, formatted for a Chinese reader."""
    assert report.trace is not None and report.plan is not None
    case = report.trace.case
    loan = next(x for x in case.loans or () if x.name == loan_name)
    plan = report.plan
    offer = next((o for o in plan.offers if o.name == loan_name), None)
    money = lambda v: "____ 元" if v is None else fmt(v, "cny", "zh")  # noqa: E731
    cost = loan_cost(loan.values)
    proposals = offer.proposals if offer else ()
    return {
        # a case's name may carry a description after " · " (小王 · 还款日临近): the letter wants the person
        "as_of": report.as_of.isoformat(), "borrower": case.name.split(" · ")[0], "lender": loan.name,
        "balance": money(loan.values.get("balance")), "contractual": money(loan.values.get("monthly_payment")),
        "offer": money(offer.offer if offer else None), "months": offer.months if offer else None,
        "proposal": proposal_sentence(offer),
        "reduce_interest": "reduce_interest" in proposals, "pause": "pause" in proposals,
        "income": money(plan.budget.income if plan.budget else None),
        "essential": money(plan.budget.essential if plan.budget else None),
        "available": money(plan.budget.available if plan.budget else None),
        "loan_count": len(case.loans or ()), "overdue_days": loan.values.get("overdue_days") or 0,
        "next_due": loan.values["next_due"].isoformat() if "next_due" in loan.values else "____",
        "apr": fmt(cost.nominal, "rate", "zh") if cost else None,
        "proposals": [PROPOSAL_WORDS["zh"][p] for p in proposals],
        "credit_card": loan.values.get("lender_type") == "credit_card",
    }


def proposal_sentence(offer: Any) -> str:
    if offer is None:
        return "按我的还款能力重新安排还款（每月 ____ 元，共 ____ 期）"
    money = fmt(offer.offer, "cny", "zh")
    if "pause" in offer.proposals:
        return f"暂缓还款一段时间，期间每月先还 {money}，待收入恢复后再商定还款计划"
    if "installments" in offer.proposals:
        return f"将剩余欠款重新分期，每月还款 {money}，约 {offer.months} 个月还清"
    if "extension" in offer.proposals:
        return f"适当延长还款期限，每月还款 {money}，约 {offer.months} 个月还清"
    return f"按每月 {money} 继续还款"


def render(report: Report, loan_name: str, kind: str = "letter", folder: Path | None = None) -> str:
    """One letter or phone script. A template mistake is a RuleError (T001) at its file and line."""
    from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    path = (folder or default_templates()) / TEMPLATES[kind]
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError([Diagnostic("T001", f"cannot read the template {path}: {exc.strerror}",
                                    hint="--templates DIR names the folder holding letter.zh.txt.j2")]) from None
    env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    try:
        return env.from_string(source).render(context(report, loan_name))
    except TemplateSyntaxError as exc:
        line = source.splitlines()[exc.lineno - 1] if 0 < exc.lineno <= len(source.splitlines()) else ""
        raise RuleError([Diagnostic("T001", f"template syntax: {exc.message}",
                                    Location(str(path), exc.lineno, 1, line, max(1, len(line))),
                                    "check the {{ }}, {% %} and {# #} marks on this line")]) from None
    except TemplateError as exc:
        raise RuleError([Diagnostic("T002", f"template {path.name}: {exc.message}", None,
                                    "the variables a template can use are listed at the top of "
                                    "templates/letter.zh.txt.j2")]) from None
