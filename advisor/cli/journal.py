"""A case over time (issue 17): advisor journal CASE (the timeline; --evidence the evidence list),
advisor journal CASE add ... (append an entry safely), advisor calendar CASE --out plan.ics."""
from __future__ import annotations

from pathlib import Path

import click

from ..i18n import said, words
from .group import EXIT_CODES_HELP, cli_lang, guard, main, say
from .options import LANG_OPTION, RULES_OPTION, advise_case


def _fields(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(say(f"'{pair}' 应写成 字段=值，例如 result=refused",
                                         f"'{pair}' is not FIELD=VALUE, e.g. result=refused"), param_hint="--set")
        out[key.strip()] = value.strip()
    return out


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "CASE 的协商日志：按日期列出每家出借方的记录（联系、方案、答复、约定、还款、催收事件）及其在文件中的行号；"
    "--evidence 把催收事件整理成证据清单。`advisor journal CASE add --lender L --kind K --set 字段=值 ...` 追加一条"
    "记录：文件里的注释和顺序都保留（新记录作为文字插在日志最后一条之后），写入前先把新文件读一遍，有错的记录会"
    "说明原因并被拒绝，文件不变。",
    """The negotiation journal of CASE: each lender's entries in date order (contacts, proposals, answers,
    agreements, payments, collection incidents) with their lines in the file; --evidence the collection
    incidents as an evidence list. `advisor journal CASE add --lender L --kind K --set F=V ...` appends an
    entry: the file's comments and order are kept (the entry is inserted as text after the journal's last
    item), the new file is read back first, and a bad entry is refused with its reason, the file unchanged."""))
@click.argument("case", type=click.Path(path_type=Path))
@click.argument("action", type=click.Choice(["list", "add"]), default="list")
@click.option("--evidence", is_flag=True, help=said(
    "输出催收证据清单（Markdown，可附在投诉信中或提供给 12378）",
    "Print the evidence list of collection incidents (Markdown, to attach to a complaint or give to 12378)."))
@click.option("--date", "day", default=None, help=said("add：记录的日期（默认：案例的 as_of）",
                                                       "add: date of the entry [default: the case's as_of]."))
@click.option("--lender", default=None, help=said("add：借款名称或序号（1 = 第一笔）",
                                                  "add: the loan, by name or number (1 = the first)."))
@click.option("--kind", default=None, help=said(
    "add：类型 contact 联系、proposal 方案、answer 答复、agreement 约定、payment 还款、incident 催收事件",
    "add: the kind, contact, proposal, answer, agreement, payment or incident (Chinese words work too)."))
@click.option("--set", "pairs", multiple=True, metavar="FIELD=VALUE", help=said(
    "add：这类记录的字段，可重复：--set result=拒绝 --set reason=金额太低（见 docs/cases.md）",
    "add: a field of this kind of entry, repeatable: --set result=refused --set reason=... (see docs/cases.md)."))
@LANG_OPTION
@RULES_OPTION
def journal(case: Path, action: str, evidence: bool, day: str | None, lender: str | None, kind: str | None,
            pairs: tuple[str, ...], lang: str, rules_dir: Path | None) -> None:
    """The negotiation journal of CASE: each lender's entries in date order (contacts, proposals, answers,
    agreements, payments, collection incidents) with their lines in the file; --evidence the collection
    incidents as an evidence list. `advisor journal CASE add --lender L --kind K --set F=V ...` appends an
    entry: the file's comments and order are kept (the entry is inserted as text after the journal's last
    item), the new file is read back first, and a bad entry is refused with its reason, the file unchanged."""

    def listing() -> str:
        from ..render.journal import evidence_markdown, timeline

        report = advise_case(case, lang, rules_dir)
        return evidence_markdown(report, lang) if evidence else timeline(report.trace.case, lang)

    def adding() -> str:
        from ..errors import CaseError, OutputError
        from ..load.cases import load_case
        from ..toolkit.journal_add import add_entry

        shown = cli_lang()
        if lender is None or kind is None:
            raise click.UsageError(say("add 需要 --lender 和 --kind", "add needs --lender and --kind"))
        when = day or load_case(case).as_of.isoformat()
        fields = {"date": when, "lender": lender, "kind": kind, **_fields(pairs)}
        try:
            add_entry(case, fields)
        except CaseError:
            click.echo(words("journal", shown)["refused_entry"], err=True)
            raise
        except OSError as exc:
            raise OutputError.writing(case, exc) from None
        return words("journal", shown)["added"].format(file=case, kind=kind, date=when, lender=lender) + "\n"

    guard(adding if action == "add" else listing)


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "把案例里的日期写成 iCalendar 日历文件（RFC 5545）：最晚联系每家出借方的日期、还款日、日志里约定的还款日、"
    "一次性结清和还价的截止日，以及要核查的诉讼时效日期。",
    """Write the case's dates as an iCalendar file (RFC 5545): the dates to call each lender by, the due
    dates, the agreed payment dates of the journal, settlement and counter-offer deadlines, and the
    limitation dates to check."""))
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help=said("要写入的日历文件（.ics，手机日历可导入）", "The calendar file to write (.ics, for a phone's calendar)."))
@LANG_OPTION
@RULES_OPTION
def calendar(case: Path, out_file: Path, lang: str, rules_dir: Path | None) -> None:
    """Write the case's dates as an iCalendar file (RFC 5545): the dates to call each lender by, the due
    dates, the agreed payment dates of the journal, settlement and counter-offer deadlines, and the
    limitation dates to check."""

    def body() -> str:
        from ..output import write_file
        from ..web.calendar import calendar_ics

        report = advise_case(case, lang, rules_dir)
        write_file(out_file, calendar_ics(report))
        return say(f"已写入 {out_file}", f"wrote {out_file}") + "\n"

    guard(body)
