"""Decision-record commands: advisor audit list | show | replay | import."""
from __future__ import annotations

from pathlib import Path

import click

from ..i18n import said
from .group import EXIT_CODES_HELP, cli_lang, guard, main, say
from .options import DB_OPTION, RULES_OPTION, advise_case


@main.group(epilog=EXIT_CODES_HELP, help=said(
    "决策记录：列出、查看和重放存下来的运行（`advisor run CASE --record`）。",
    "Decision records: list, show and replay stored runs (`advisor run CASE --record`)."))
def audit() -> None:
    pass


@audit.command("list", epilog=EXIT_CODES_HELP, help=said(
    "按从旧到新列出存下的记录，逐条核对它的封印和与前一条的链接；损坏的记录按编号指出（退出码 6），其余照常列出。",
    """List the stored records, oldest first, checking each one's seal and its link to the one before;
    a damaged record is named by id (exit 6) and the others still listed."""))
@DB_OPTION
def audit_list(db: Path | None) -> None:

    def body() -> str | tuple[str, bool]:
        from ..errors import RecordError
        from ..inert import terminal
        from ..records.store import Store, default_db
        from ..render import records as render_record

        problems = []
        count = 0
        with Store.open(db or default_db(), create=False) as store:
            for checked in store.scan():           # one record in memory at a time, printed as it is read
                if count == 0:
                    click.echo(render_record.listing_header(cli_lang()))
                count += 1
                if checked.problem is not None:
                    problems.append(checked.problem)
                click.echo(terminal(render_record.listing_line(checked, cli_lang())))
            footer = render_record.listing_footer(count, len(problems), store.version, store.head(), cli_lang())
        if problems:
            click.echo(footer, nl=False)
            raise RecordError(problems)
        return footer

    guard(body)


@audit.command("show", epilog=EXIT_CODES_HELP, help=said("按存下时的样子显示第 RECORD_ID 号记录。",
                                                                "Show record RECORD_ID as it was stored."))
@click.argument("record_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=said("text：当时给出的建议；json：整条记录（案例原文、参数、推理过程）。",
                        "text: the advice as given; json: the whole record (case text, parameters, trace)."))
@DB_OPTION
def audit_show(record_id: int, fmt: str, db: Path | None) -> None:

    def body() -> str | tuple[str, bool]:
        from ..records.store import Store, default_db
        from ..render import records as render_record

        with Store.open(db or default_db(), create=False) as store:
            found = store.get(record_id)
        return render_record.as_json(found) if fmt == "json" else render_record.show(found, cli_lang())

    guard(body)


@audit.command("replay", epilog=EXIT_CODES_HELP, help=said(
    "用当前规则重新运行第 RECORD_ID 号记录的案例，列出建议的任何差异（退出码 1），或确认输出完全相同（退出码 0）。",
    """Re-run record RECORD_ID's case with the current rules and report any difference in the advice
    (exit 1), or confirm the output is identical (exit 0)."""))
@click.argument("record_id", type=int)
@DB_OPTION
@RULES_OPTION
def audit_replay(record_id: int, db: Path | None, rules_dir: Path | None) -> None:
    import tempfile

    def body() -> str | tuple[str, bool]:
        from ..records.store import Store, default_db
        from ..render import records as render_record
        from ..records.replay import compare, essentials

        with Store.open(db or default_db(), create=False) as store:
            found = store.get(record_id)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(found.case_path).name
            path.write_text(found.case_text, encoding="utf-8")
            report = advise_case(path, found.lang, rules_dir)
        now = essentials(report)
        diff = compare(found.report, now)
        text = render_record.replay(found, diff, report.fingerprint, len(report.advice), cli_lang())
        return text, not diff.identical

    guard(body)


@audit.command("import", epilog=EXIT_CODES_HELP, help=said(
    "把当时没能存下的记录存进数据库（即错误信息里提到的 .unsaved-….json 文件）。",
    "Store a record that could not be stored at the time (the .unsaved-….json file named in the error)."))
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@DB_OPTION
def audit_import(file: Path, db: Path | None) -> None:

    def body() -> str | tuple[str, bool]:
        from ..records.store import default_db, read_unsaved, save_new

        path = db or default_db(make=True)
        number, new = save_new(read_unsaved(file), path, once=True)   # the same kept file twice: one record
        if not new:
            return say(f"已经存过，是 {path} 中的第 {number} 号（同一条记录）；现在可以删除 {file}\n",
                       f"already stored as #{number} in {path} (the same record); you may now delete {file}\n")
        return say(f"已存为 {path} 中的第 {number} 号；现在可以删除 {file}\n",
                   f"stored as #{number} in {path}; you may now delete {file}\n")

    guard(body)
