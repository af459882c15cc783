"""A case over time (issue 17): advisor journal CASE (the timeline; --evidence the evidence list),
advisor journal CASE add ... (append an entry safely), advisor calendar CASE --out plan.ics."""
from __future__ import annotations

from pathlib import Path

import click

from ..i18n import display_lang, said, words
from .group import EXIT_CODES_HELP, guard, main
from .options import LANG_OPTION, RULES_OPTION, advise_case


def _fields(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(said(f"'{pair}' 应写成 字段=值，例如 result=refused",
                                          f"'{pair}' is not FIELD=VALUE, e.g. result=refused"), param_hint="--set")
        out[key.strip()] = value.strip()
    return out


@main.command(epilog=EXIT_CODES_HELP)
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

        shown = display_lang(lang)
        if lender is None or kind is None:
            raise click.UsageError(said("add 需要 --lender 和 --kind", "add needs --lender and --kind").get(shown))
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


@main.command(epilog=EXIT_CODES_HELP)
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
        from ..errors import OutputError
        from ..web.calendar import calendar_ics

        report = advise_case(case, lang, rules_dir)
        try:
            out_file.write_bytes(calendar_ics(report).encode("utf-8"))
        except OSError as exc:
            raise OutputError.writing(out_file, exc) from None
        return said(f"已写入 {out_file}", f"wrote {out_file}").get(display_lang(lang)) + "\n"

    guard(body)
