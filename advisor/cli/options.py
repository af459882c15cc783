"""What the commands share: the --rules, --lang and --db options, the default folders, reading a case once."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import click

from ..i18n import said
from ..load.shipped import shipped
from ..report import Report


def default_rules() -> Path:
    """--rules, else $ADVISOR_RULES, else ./rules, else the shipped rules (load/shipped.py)."""
    env = os.environ.get("ADVISOR_RULES")
    if env:
        return Path(env)
    here = Path("rules")
    if (here / "params.yaml").exists():
        return here
    return shipped("rules")


RULES_OPTION = click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=None,
                            help=said("放 params.yaml 和规则文件的文件夹 [默认：./rules]。",
                                      "Folder with params.yaml and the rule files [default: ./rules]."))


LANG_OPTION = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help=said("标题、建议和解释的语言（也是提示信息的语言）。",
                                     "Language of titles, advice and explanations."))


def advise_case(case: Path, lang: str, rules_dir: Path | None, explain: bool = False,
                every_rule: bool = False) -> Report:
    """Load the rules and the case, evaluate once: the report carries the trace (and, with `explain`,
    the explanation every view of why reads; with `every_rule`, every rule's status too)."""
    return advise_case_bytes(case, lang, rules_dir, explain, every_rule)[0]


def advise_case_bytes(case: Path, lang: str, rules_dir: Path | None,
                      explain: bool = False, every_rule: bool = False) -> tuple[Report, bytes]:
    """The report and the case's bytes, read once (a pipe or stdin cannot be read twice): what a record keeps."""
    from ..advise import Advisor
    from ..load.cases import load_case_text, warnings
    from ..errors import CaseError
    from ..load.read import decode, read_bytes

    advisor = Advisor.from_folder(rules_dir or default_rules())
    display = "<stdin>" if str(case) == "-" else str(case)
    data, problems = read_bytes(case, display, "Y000")
    if data is None:
        raise CaseError(problems)
    source, problems = decode(data, display, "Y000")
    if source is None:
        raise CaseError(problems)
    loaded = load_case_text(source.text, display)
    from .group import cli_lang

    for warning in warnings(loaded):
        click.echo(warning.render(cli_lang()), err=True)
    return advisor.advise(loaded, lang, explain, every_rule), data


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--engine local|ray, --address, --workers: where batch and diff run (toolkit/distributed for Ray)."""
    for option in reversed((
            click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                         help=said("在哪里运行：本机进程（local）或 Ray 集群（ray，需 advisor[ray]）",
                                   "Where to run: local processes, or Ray (needs the extra advisor[ray]).")),
            click.option("--address", default=None,
                         help=said("要连接的现有 Ray 集群地址（如 主机:6379 或 auto）；不给则在本机启动一个",
                                   "An existing Ray cluster to join (host:6379, or auto); without it a local Ray "
                                   "is started on 127.0.0.1.")),
            click.option("--workers", "ray_workers", type=click.IntRange(1, 4096), default=None,
                         help=said("Ray 工作进程数 [默认：集群的 CPU 数]",
                                   "Ray workers [default: the cluster's CPUs].")))):
        command = option(command)
    return command


def check_engine(engine: str, address: str | None, workers: int | None) -> None:
    """--address and --workers belong to --engine ray; given without it they would be silently ignored."""
    if engine != "ray" and (address is not None or workers is not None):
        raise click.UsageError(said("--address 与 --workers 只用于 --engine ray",
                                    "--address and --workers need --engine ray"))


DB_OPTION = click.option("--db", type=click.Path(path_type=Path), default=None,
                         help=said("决策记录数据库 [默认：$ADVISOR_DB，否则为 $XDG_DATA_HOME/advisor 或 "
                                   "~/.local/share/advisor 中的 records.sqlite3]。",
                                   "Decision-record database [default: $ADVISOR_DB, else records.sqlite3 in "
                                   "$XDG_DATA_HOME/advisor or ~/.local/share/advisor]."))


def default_cases() -> Path:
    """./cases, else the shipped cases (load/shipped.py)."""
    here = Path("cases")
    return here if here.is_dir() else shipped("cases")


def case_files(paths: tuple[Path, ...]) -> list[Path]:
    """Case files from files and folders (a folder: its *.yaml files, sorted); default: the cases folder."""
    out: list[Path] = []
    for path in paths or (default_cases(),):
        if path.is_dir():
            out.extend(sorted(path.glob("*.yaml")))
        elif path.exists():
            out.append(path)
        else:
            from .group import say

            raise click.BadParameter(say(f"没有这个文件或文件夹：{path}", f"no such file or folder: {path}"),
                                     param_hint="CASES")
    return out


CASES_ARGUMENT = click.argument("cases", nargs=-1, type=click.Path(path_type=Path))
