"""The plan for people: advisor letter (a drafted request per lender) and advisor chart."""
from __future__ import annotations

from pathlib import Path

import click

from ..i18n import Said, pick, said
from ..plan.library import KINDS
from ..report import Report
from .group import EXIT_CODES_HELP, cli_lang, guard, main, say
from .options import LANG_OPTION, RULES_OPTION, advise_case


KIND_IDS = ("letter", *(kind.id for kind in KINDS))


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "给一家出借方的信件或电话话术（中文，信件寄给国内的出借方），带上方案里的数字、预算表和还款计划；"
    "--list 列出适合每家出借方的信件和理由。",
    """A letter or phone script to one lender, in Chinese (letters go to Chinese lenders), with the plan's
    numbers, the budget sheet and the schedule; --list shows which letters fit each lender and why."""))
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--loan", "loan_name", default=None,
              help=said("要写信的出借方：案例中的借款名称或序号（1 为第一笔）。",
                        "The lender to write to: the loan's name in the case, or its number (1 = the first)."))
@click.option("--list", "listing", is_flag=True,
              help=said("列出适合这个案例每家出借方的信件和话术，以及理由。",
                        "List the letters and scripts that fit each lender of this case, and why."))
@click.option("--kind", type=click.Choice(KIND_IDS), default=None,
              help=said("信件种类（见 --list）；默认为第一种适合的信。",
                        "The kind of letter (see --list); by default the first that fits."))
@click.option("--phone", is_flag=True, help=said("电话协商话术（等于 --kind phone）。",
                                                 "The phone script instead of the written request (--kind phone)."))
@click.option("--format", "out_format", type=click.Choice(["text", "docx", "pdf"]), default="text", show_default=True,
              help=said("输出格式：文本、Word（docx）或 PDF（需要 chromium）；docx 和 pdf 需要 --out。",
                        "Output: text, Word (docx) or PDF (needs chromium); docx and pdf need --out."))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=said("写入这个文件，而不是打印出来。", "Write to this file instead of printing."))
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=said("放信件模板（*.zh.txt.j2）的文件夹 [默认：./templates]。",
                        "Folder with the letter templates (*.zh.txt.j2) [default: ./templates]."))
@LANG_OPTION
@RULES_OPTION
def letter(case: Path, loan_name: str | None, listing: bool, kind: str | None, phone: bool, out_format: str,
           out_file: Path | None, templates_dir: Path | None, lang: str, rules_dir: Path | None) -> None:
    """A letter or phone script to one lender, in Chinese (letters go to Chinese lenders), with the plan's
    numbers, the budget sheet and the schedule; --list shows which letters fit each lender and why."""

    def body() -> str:
        from ..plan import letters
        from ..plan.library import BY_ID, fits, held_reason
        from ..errors import Diagnostic, Withheld

        report = advise_case(case, "zh", rules_dir)
        loans = report.trace.case.loans or ()
        if listing:
            return _listing(report, lang)
        if loan_name is None:
            raise click.UsageError(said("请用 --loan 指定出借方，或用 --list 查看适合的信件。",
                                        "give --loan NAME (or --list to see which letters fit)").get(cli_lang()))
        try:
            chosen = letters.choose(loans, loan_name)
        except ValueError as exc:
            why = exc.args[0] if exc.args else str(exc)
            raise click.BadParameter(why.get(cli_lang()) if isinstance(why, Said) else str(exc), param_hint="--loan") from None
        plan = report.plan
        found = fits(report.trace.case, plan, chosen)
        wanted = "phone" if phone else letters.ALIASES.get(kind or "", kind)
        reason = held_reason(plan, chosen)
        if reason is not None and (wanted is None or not BY_ID[wanted].safe):
            raise Withheld([Diagnostic(
                "P001", said(f"{chosen.name}：不起草这封信或话术。{reason.get('zh')}",
                             f"no letter or phone script for '{chosen.name}': {reason.get('en')}"),
                hint=said("先咨询律师或 12348；咨询后如需要，只能用不确认金额的信：--kind statement 或 --kind stop_contact",
                          "take advice first (a lawyer or 12348); afterwards only a letter that confirms no amount: "
                          "--kind statement or --kind stop_contact"))])
        if wanted is None:
            wanted = next((f.kind.id for f in found if not f.kind.script), "hardship")
        note = _note(report, chosen.index, wanted, [f.kind.id for f in found])
        text = letters.render(report, chosen.index, wanted, templates_dir)
        if out_format == "text" and out_file is None:
            return note + text
        return _write(text, out_format, out_file, lang) + note

    guard(body)


def _note(report: Report, index: int, kind: str, fitting: list[str]) -> str:
    """A line for the person printing the letter (never inside the letter): why this letter may not be the one."""
    plan = report.plan
    if plan is not None and any(h.loan == index for h in plan.held):
        return ("# 提示：这笔借款在核查诉讼时效。发出前请先咨询律师或 12348；不要在信上加承认欠款、确认金额或"
                "答应付款的话。\n\n")
    if plan is None or kind in fitting:
        return ""
    if plan.affordable:
        return "# 提示：按目前收支，合同月供在能力范围内，建议继续按时还款；以下申请仅在情况变化时使用。\n\n"
    if any(i == index for i, _, _ in plan.to_confirm):
        return "# 提示：这笔借款的欠款余额或每月还款额还不清楚，信中的金额留了空，请查清后再发。\n\n"
    if plan.missing:
        return f"# 提示：案例缺少 {', '.join(plan.missing)}，信中的数字留了空，请补齐后再发。\n\n"
    if not any(o.loan == index for o in plan.offers) and plan.budget is not None:
        return "# 提示：这笔是优先债务（法院判决或抵押），请优先按时还款，并先咨询律师或 12348。\n\n"
    return "# 提示：按这个案例的情况，这种信不在建议之列（见 --list），发出前请再核对。\n\n"


def _listing(report: Report, lang: str) -> str:
    from ..plan.library import fits, held_reason

    case = report.trace.case
    out = [said(f"适合 {case.name} 的信件和话术（信件均为中文）：", f"Letters and scripts that fit {case.name} "
                "(the letters themselves are in Chinese, for Chinese lenders):").get(lang)]
    for loan in case.loans or ():
        out.append(f"{loan.index + 1}. {loan.name}")
        reason = held_reason(report.plan, loan)
        if reason is not None:
            out.append("   " + said("诉讼时效待核查：默认不起草任何信件；咨询后只可用 statement、stop_contact。",
                                     "held for the limitation check: no letter by default; after advice only "
                                     "statement or stop_contact").get(lang))
        for fit in fits(case, report.plan, loan):
            title = pick(lang, fit.kind.zh, fit.kind.en)
            out.append(f"   --kind {fit.kind.id:<13} {title}{pick(lang, '：', ': ')}{fit.why.get(lang)}")
    return "\n".join(out) + "\n"


def _write(text: str, out_format: str, out_file: Path | None, lang: str) -> str:
    from ..errors import Diagnostic, OutputError
    from ..output import staged, write_file
    from ..render import letter_files

    if out_file is None:
        raise OutputError([Diagnostic("W004", said("docx 和 pdf 需要 --out 文件名", "docx and pdf need --out FILE"),
                                      hint=said("例如 --out 申请.docx", "e.g. --out letter.docx"))])
    if out_format == "pdf":
        from ..web.pdf import html_to_pdf

        with staged(out_file) as temporary:
            html_to_pdf(letter_files.html(text), temporary)
    elif out_format == "docx":
        write_file(out_file, letter_files.docx(text))
    else:
        write_file(out_file, text)
    return said(f"已写入 {out_file}\n", f"wrote {out_file}\n").get(cli_lang())


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "写一个网页，用图表显示按提出的方案每笔债务每个月的余额，让借款人看到每笔债务什么时候还清。",
    """Write a page with a chart of each debt's balance month by month under the proposed plan, so a
    borrower sees when each debt ends."""))
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help=said("要写出的 HTML 网页（任何浏览器都能打开；不含脚本，不联网）。",
                        "The HTML page to write (opens in any browser; no scripts, no network)."))
@LANG_OPTION
@RULES_OPTION
def chart(case: Path, out_file: Path, lang: str, rules_dir: Path | None) -> None:
    def body() -> str:
        from ..output import write_file
        from ..render.chart import page

        report = advise_case(case, lang, rules_dir)
        write_file(out_file, page(report))
        return say(f"已写出 {out_file}\n", f"wrote {out_file}\n")

    guard(body)
