"""The web page: advisor serve (a local page for counsellors; see advisor/web/)."""
from __future__ import annotations

from pathlib import Path

import click

from ..i18n import said
from .group import EXIT_CODES_HELP, guard, main, say
from .options import DB_OPTION, LANG_OPTION, RULES_OPTION, advise_case, default_rules

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "在这台电脑上启动给顾问用的网页：在表单里填写案例，得到建议、还款方案、申请信和一页行动计划。"
    "需要安装网页扩展：pip install 'advisor[web]'。",
    """Start the counsellor's web page on this computer: fill a case in a form, get the advice, the plan,
    the letters and a one-page action plan. Needs the web extra: pip install 'advisor[web]'."""))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=said("监听的地址。除非特意写另一个地址（例如 0.0.0.0 表示本地网络），只有这台电脑能打开这个网页。",
                        "Address to listen on. Only this computer can open the page unless you name another address "
                        "(e.g. 0.0.0.0 for the local network) on purpose."))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help=said("监听的端口。", "Port to listen on."))
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=said("放申请信模板的文件夹 [默认：./templates]。", "Folder with the letter templates [default: ./templates]."))
@DB_OPTION
@RULES_OPTION
def serve(host: str, port: int, templates_dir: Path | None, db: Path | None, rules_dir: Path | None) -> None:
    def body() -> str:
        try:
            import uvicorn

            from ..web.app import create_app
        except ImportError as exc:
            raise click.UsageError(say(f"网页需要网页扩展（没有安装 {exc.name}）：pip install 'advisor[web]'",
                                       f"the web page needs the web extra ({exc.name} is not installed): "
                                       "pip install 'advisor[web]'")) from None
        from ..web.service import Service

        service = Service(rules_dir or default_rules(), db, templates_dir)
        if host not in LOOPBACK:
            click.echo(say(f"警告：正在监听 {host}：这个网络上的任何人都能打开这个网页，看到填进去的案例；"
                           "除非你确实想这样，请用默认的 127.0.0.1",
                           f"warning: listening on {host}: anyone on this network can open the page and see the cases "
                           "typed into it; use the default 127.0.0.1 unless you mean this"), err=True)
        shown = f"[{host}]" if ":" in host else host
        click.echo(say(f"advisor：请打开 http://{shown}:{port}/  （按 Ctrl-C 停止）",
                       f"advisor: open http://{shown}:{port}/  (Ctrl-C to stop)"))
        uvicorn.run(create_app(service), host=host, port=port, log_level="warning", access_log=False)
        return ""

    guard(body)


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "给借款人的 CASE 一页行动计划：这周要做的三件事、每月收支、向每家出借方提出的方案和最晚联系日，附日历。"
    "默认输出 HTML（与 run --format plan 相同），用 --pdf 写成 PDF；--ics 把其中的日期写成日历文件。",
    """The borrower's one-page action plan for CASE: the three things to do this week, the budget, the
    offer to each lender and the dates to call by, with a calendar. Printed as HTML (like run --format
    plan), or written as a PDF with --pdf; --ics writes its dates as a calendar file."""))
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--pdf", "pdf_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=said("把计划写成 PDF 存到这个文件（用这台电脑上的 chromium 浏览器打印）。",
                        "Write the plan as a PDF to this file (printed by the chromium browser on this computer)."))
@click.option("--ics", "ics_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=said("把还款日和每家出借方的最晚联系日写成日历文件（.ics），可导入手机。",
                        "Write the due dates and the dates to call each lender by as a calendar file (.ics) for a phone."))
@LANG_OPTION
@RULES_OPTION
def plan(case: Path, pdf_file: Path | None, ics_file: Path | None, lang: str, rules_dir: Path | None) -> None:
    def body() -> str:
        from ..web.plan import render

        from ..errors import OutputError

        report = advise_case(case, lang, rules_dir, explain=True)
        html = render(report)
        said = ""
        if ics_file is not None:
            from ..output import write_file
            from ..web.dates import ics

            write_file(ics_file, ics(report))
            said += say(f"已写出 {ics_file}\n", f"wrote {ics_file}\n")
        if pdf_file is not None:
            from ..web.pdf import html_to_pdf

            html_to_pdf(html, pdf_file)
            said += say(f"已写出 {pdf_file}\n", f"wrote {pdf_file}\n")
        return said or html

    guard(body)
