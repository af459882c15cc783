"""The web page: advisor serve (a local page for counsellors; see advisor/web/)."""
from __future__ import annotations

from pathlib import Path

import click

from .group import EXIT_CODES_HELP, guard, main
from .options import DB_OPTION, LANG_OPTION, RULES_OPTION, advise_case, default_rules

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command(epilog=EXIT_CODES_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this computer can open the page unless you name another address "
                   "(e.g. 0.0.0.0 for the local network) on purpose.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with the letter templates [default: ./templates].")
@DB_OPTION
@RULES_OPTION
def serve(host: str, port: int, templates_dir: Path | None, db: Path | None, rules_dir: Path | None) -> None:
    """Start the counsellor's web page on this computer: fill a case in a form, get the advice, the plan,
    the letters and a one-page action plan. Needs the web extra: pip install 'advisor[web]'."""

    def body() -> str:
        try:
            import uvicorn

            from ..web.app import create_app
        except ImportError as exc:
            raise click.UsageError(f"the web page needs the web extra ({exc.name} is not installed): "
                                   "pip install 'advisor[web]'") from None
        from ..web.service import Service

        service = Service(rules_dir or default_rules(), db, templates_dir)
        if host not in LOOPBACK:
            click.echo(f"warning: listening on {host}: anyone on this network can open the page and see the cases "
                       "typed into it; use the default 127.0.0.1 unless you mean this", err=True)
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"advisor: open http://{shown}:{port}/  (Ctrl-C to stop)")
        uvicorn.run(create_app(service), host=host, port=port, log_level="warning", access_log=False)
        return ""

    guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--pdf", "pdf_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the plan as a PDF to this file (printed by the chromium browser on this computer).")
@click.option("--ics", "ics_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the due dates and the dates to call each lender by as a calendar file (.ics) for a phone.")
@LANG_OPTION
@RULES_OPTION
def plan(case: Path, pdf_file: Path | None, ics_file: Path | None, lang: str, rules_dir: Path | None) -> None:
    """The borrower's one-page action plan for CASE: the three things to do this week, the budget, the
    offer to each lender and the dates to call by, with a calendar. Printed as HTML (like run --format
    plan), or written as a PDF with --pdf; --ics writes its dates as a calendar file."""

    def body() -> str:
        from ..web.plan import render

        from ..errors import OutputError

        report = advise_case(case, lang, rules_dir, explain=True)
        html = render(report)
        said = ""
        if ics_file is not None:
            from ..web.dates import ics

            try:
                ics_file.write_bytes(ics(report).encode("utf-8"))
            except OSError as exc:
                raise OutputError.writing(ics_file, exc) from None
            said += f"wrote {ics_file}\n"
        if pdf_file is not None:
            from ..web.pdf import html_to_pdf

            html_to_pdf(html, pdf_file)
            said += f"wrote {pdf_file}\n"
        return said or html

    guard(body)
