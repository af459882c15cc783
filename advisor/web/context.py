"""What page.html.j2 shows, worked out from the form and its outcome so the template only lays it out."""
from __future__ import annotations

from typing import Any

from ..i18n import words as catalogue
from ..model import ENTRY_KINDS
from . import dates, view
from .plain import Plain
from . import journal as journal_page
from . import plan as action_plan
from .charts import true_cost, waterfall
from .form import LOAN_MAIN, CaseForm, case_inputs, loan_inputs
from .service import Outcome
from .words import UI, choice, help_text, label


def page_context(lang: str, form: CaseForm, outcome: Outcome | None, **extra: Any) -> dict[str, Any]:
    """Everything page.html.j2 shows, worked out here so the template only lays it out."""
    shown = outcome.form if outcome is not None else form
    if outcome is not None and len(form.loans) > len(shown.loans):
        shown = form
    names = [row.get("name", "") for row in shown.loans]
    report = outcome.report if outcome is not None else None
    problems = outcome.problems if outcome is not None else {}
    ctx: dict[str, Any] = {
        "w": UI[lang], "lang": lang, "form": shown, "outcome": outcome, "report": report, "inputs": case_inputs(),
        "loan_inputs": loan_inputs, "main_loan": LOAN_MAIN, "problems": problems, "names": names,
        "main_keys": lambda n: [f"loans-{n}-{k}" for k in LOAN_MAIN], "outcome_keys": set(problems),
        "label_of": label, "help_of": help_text, "choice": choice,
        "key_label": lambda key: view.input_label(key, lang, names) if key not in UI[lang] else UI[lang][key],
        "asks": [], "groups": [], "findings": [], "numbers": [], "statement": [], "offers": [], "letters": [],
        "held": [], "plan_warnings": [], "plan_method": "", "waterfall": "", "calendar": "", "true_cost": "", "plan_words": catalogue("plan", lang),
        "load_problems": [], "not_on_page": [], "message": "",
        "timeline": journal_page.timeline(report, lang), "entry_kinds": ENTRY_KINDS,
        "journal_words": catalogue("journal", lang),
    }
    if report is not None and outcome is not None:
        relabel = view.Relabel(outcome.where, lang, names, Plain(report, lang))
        plan = report.plan
        ctx.update(asks=view.asks(report), groups=view.advice_groups(report, relabel),
                   findings=view.findings(report, relabel), numbers=view.numbers(report),
                   statement=action_plan.statement(report), offers=view.offers(report), waterfall=waterfall(report),
                   calendar=dates.grid(report), true_cost=true_cost(report))
        if plan is not None:
            ctx.update(letters=[] if plan.affordable else view.offers(report), held=[h.name for h in plan.held],
                       plan_warnings=[x.get(lang) for x in plan.warnings], plan_method=plan.method.get(lang))
    ctx.update(extra)
    return ctx
