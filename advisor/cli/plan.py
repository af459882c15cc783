"""The plan for people: advisor letter (a drafted request per lender) and advisor chart."""
from __future__ import annotations

from pathlib import Path

import click

from .group import EXIT_CODES_HELP, guard, main
from .options import LANG_OPTION, RULES_OPTION, advise_case


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--loan", "loan_name", required=True, help="The lender to write to: the loan's name in the case, or its number (1 = the first).")
@click.option("--phone", is_flag=True, help="The phone script instead of the written request.")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with letter.zh.txt.j2 and phone.zh.txt.j2 [default: ./templates].")
@RULES_OPTION
def letter(case: Path, loan_name: str, phone: bool, templates_dir: Path | None, rules_dir: Path | None) -> None:
    """A negotiation request (协商还款申请) to one lender, in Chinese, with the plan's numbers: the situation,
    willingness to repay, the concrete proposal and a request for written confirmation."""

    def body() -> str:
        from ..plan import letters
        from ..errors import Diagnostic, Withheld

        report = advise_case(case, "zh", rules_dir)
        try:
            chosen = letters.choose(report.trace.case.loans or (), loan_name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--loan") from None
        plan = report.plan
        held = next((h for h in plan.held if h.loan == chosen.index), None) if plan else None
        if held is not None:
            raise Withheld([Diagnostic(
                "P001", f"no letter or phone script for '{chosen.name}': {held.reason.get('en')}\n"
                        f"{chosen.name}：{held.reason.get('zh')}",
                hint="take advice first (a lawyer or 12348); `advisor run` shows the limitation advice for this loan")])
        offer = next((o for o in plan.offers if o.loan == chosen.index), None) if plan else None
        note = ""
        if plan is not None and plan.affordable:
            note = "# 提示：按目前收支，合同月供在能力范围内，建议继续按时还款；以下申请仅在情况变化时使用。\n\n"
        elif plan is not None and offer is None and any(index == chosen.index for index, _, _ in plan.to_confirm):
            note = "# 提示：这笔借款的欠款余额或每月还款额还不清楚，信中的金额留了空，请查清后再发。\n\n"
        elif plan is not None and offer is None and plan.budget is not None:
            note = "# 提示：这笔是优先债务（法院判决或抵押），请优先按时还款，并先咨询律师或 12348。\n\n"
        elif plan is not None and plan.missing:
            note = f"# 提示：案例缺少 {', '.join(plan.missing)}，信中的数字留了空，请补齐后再发。\n\n"
        return note + letters.render(report, chosen.index, "phone" if phone else "letter", templates_dir)

    guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The HTML page to write (opens in any browser; no scripts, no network).")
@LANG_OPTION
@RULES_OPTION
def chart(case: Path, out_file: Path, lang: str, rules_dir: Path | None) -> None:
    """Write a page with a chart of each debt's balance month by month under the proposed plan, so a
    borrower sees when each debt ends."""

    def body() -> str:
        from ..errors import OutputError
        from ..render.chart import page

        report = advise_case(case, lang, rules_dir)
        try:
            out_file.write_text(page(report), encoding="utf-8")
        except OSError as exc:
            raise OutputError.writing(out_file, exc) from None
        return f"wrote {out_file}\n"

    guard(body)
