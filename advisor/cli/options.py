"""What the commands share: the --rules, --lang and --db options, the default folders, reading a case once."""
from __future__ import annotations

import os
from pathlib import Path

import click

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
                            help="Folder with params.yaml and the rule files [default: ./rules].")


LANG_OPTION = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help="Language of titles, advice and explanations.")


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
    from ..load.rules import load_rules
    from ..load.read import decode, read_bytes

    ruleset = load_rules(rules_dir or default_rules())
    display = "<stdin>" if str(case) == "-" else str(case)
    data, problems = read_bytes(case, display, "Y000")
    if data is None:
        raise CaseError(problems)
    source, problems = decode(data, display, "Y000")
    if source is None:
        raise CaseError(problems)
    loaded = load_case_text(source.text, display)
    for warning in warnings(loaded):
        click.echo(warning.render(), err=True)
    return Advisor.build(ruleset).advise(loaded, lang, explain, every_rule), data


DB_OPTION = click.option("--db", type=click.Path(path_type=Path), default=None,
                         help="Decision-record database [default: $ADVISOR_DB, else records.sqlite3 in "
                         "$XDG_DATA_HOME/advisor or ~/.local/share/advisor].")


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
            raise click.BadParameter(f"no such file or folder: {path}", param_hint="CASES")
    return out


CASES_ARGUMENT = click.argument("cases", nargs=-1, type=click.Path(path_type=Path))
