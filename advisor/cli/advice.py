"""Command line: thin click commands over the library; the only place that prints and exits."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

import click

from .. import __version__
from ..errors import EXIT_DIFFERS, EXIT_INTERNAL, AdvisorError
from ..inert import terminal

EXIT_CODES_HELP = """\b
Exit codes: 0 ok · 1 findings or differences (lint, test, coverage, diff, replay) · 2 bad command line ·
3 bad case file · 4 bad rule, parameter or template file · 5 rules engine unavailable or failed ·
6 decision-record database unreadable or refused the record · 7 an output file cannot be written
(missing folder, full disk) · 70 internal error (a bug)."""


def default_rules() -> Path:
    """--rules, else $ADVISOR_RULES, else ./rules, else the rules/ folder next to the package."""
    env = os.environ.get("ADVISOR_RULES")
    if env:
        return Path(env)
    here = Path("rules")
    if (here / "params.yaml").exists():
        return here
    return Path(__file__).resolve().parents[2] / "rules"


def _guard(action: Callable[[], str | tuple[str, bool]]) -> None:
    """Run a command body; print its output, or the error and its exit code. Never a traceback.
    A body that checks something returns (text, found): found means exit 1 (findings, differences)."""
    try:
        output = action()
    except AdvisorError as exc:
        click.echo(terminal(exc.render()), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException:
        raise                                  # click prints usage errors itself (exit code 2)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "hint: this is a bug in the advisor; please report it with the case and rules used", err=True)
        sys.exit(EXIT_INTERNAL)
    text, found = output if isinstance(output, tuple) else (output, False)
    click.echo(terminal(text), nl=False)       # text from a case never drives the terminal (inert.py)
    if found:
        sys.exit(EXIT_DIFFERS)


@click.group(epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="advisor")
def main() -> None:
    """advisor: advice for negotiating repayment of online loans (网贷协商还款)."""


RULES_OPTION = click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=None,
                            help="Folder with params.yaml and the rule files [default: ./rules].")


LANG_OPTION = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help="Language of titles, advice and explanations.")


def _advise(case: Path, lang: str, rules_dir: Path | None):
    """Load the rules and the case, evaluate once: the report carries the trace every audit uses."""
    return _advise_bytes(case, lang, rules_dir)[0]


def _advise_bytes(case: Path, lang: str, rules_dir: Path | None):
    """The report and the case's bytes, read once (a pipe or stdin cannot be read twice): what a record keeps."""
    from ..advise import Advisor
    from ..load.cases import load_case_text, warnings
    from ..errors import CaseError
    from ..load.rules import load_rules
    from ..load.source import decode, read_bytes

    ruleset = load_rules(rules_dir or default_rules())
    display = "<stdin>" if str(case) == "-" else str(case)
    data, problems = read_bytes(case, display, "Y000")
    source, problems = decode(data, display, "Y000") if data is not None else (None, problems)
    if source is None:
        raise CaseError(problems)
    loaded = load_case_text(source.text, display)
    for warning in warnings(loaded):
        click.echo(warning.render(), err=True)
    return Advisor.build(ruleset).advise(loaded, lang), data


DB_OPTION = click.option("--db", type=click.Path(path_type=Path), default=None,
                         help="Decision-record database [default: $ADVISOR_DB or ./advisor-records.sqlite3].")


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="Output format: text for reading, json for tools, markdown to print or attach.")
@click.option("--explain", is_flag=True, help="Add, under each piece of advice, the full tree of why it fired.")
@click.option("--record", is_flag=True, help="Store a decision record of this run (see `advisor audit`).")
@click.option("--letters", "letters_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also write a 协商还款申请 for every lender the plan makes an offer to, into this folder.")
@DB_OPTION
@LANG_OPTION
@RULES_OPTION
def run(case: Path, fmt: str, explain: bool, record: bool, letters_dir: Path | None, db: Path | None, lang: str,
        rules_dir: Path | None) -> None:
    """Evaluate CASE (a case YAML file) and print prioritised advice."""

    def body() -> str:
        from ..render import explain as audit, markdown
        from ..render import json as render_json
        from ..render import text as render_text

        report, data = _advise_bytes(case, lang, rules_dir)
        if fmt == "json":
            out = render_json.render(report)
        elif fmt == "markdown":
            out = markdown.render(report, explain)
        else:
            out = render_text.render(report) + ("\n" + audit.explain_advice(report) if explain else "")
        if letters_dir is not None:
            try:
                _write_letters(report)
            except AdvisorError:
                click.echo(out, nl=False)      # the advice is still shown; the error says which letter failed
                raise
        if record:
            _store(report, out, data)
        return out

    def _write_letters(report) -> None:
        from ..plan import letters
        from ..errors import OutputError

        plan = report.plan
        for offer in plan.offers if plan is not None and not plan.affordable else ():
            target = letters_dir / letters.file_name(offer.loan, offer.name)   # always inside letters_dir
            text = letters.render(report, offer.loan)
            try:
                letters_dir.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise OutputError.writing(target, exc) from None
            click.echo(f"letter written: {target}", err=True)
        for held in plan.held if plan is not None else ():
            click.echo(f"no letter for {held.name}: held for the limitation check; take advice first", err=True)
        for _, name, fields in plan.to_confirm if plan is not None else ():
            click.echo(f"no letter for {name} yet: confirm its {' and '.join(fields)} first", err=True)

    def _store(report, out: str, data: bytes) -> None:
        from ..errors import AdvisorError
        from ..records.store import default_db, save
        from ..records.replay import make_record

        path = db or default_db()
        try:
            number = save(make_record(report, case, rules_dir or default_rules(), data), path)
        except AdvisorError:
            click.echo(out, nl=False)          # the advice is still shown; the error says where the record is
            raise
        click.echo(f"recorded as #{number} in {path}", err=True)

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--rule", "rule_id", default=None, help="Explain one rule, fired or not: which condition failed, "
              "with the value seen and the threshold, or which fact is unknown.")
@click.option("--all", "every", is_flag=True, help="List every rule with its status for this case.")
@LANG_OPTION
@RULES_OPTION
def explain(case: Path, rule_id: str | None, every: bool, lang: str, rules_dir: Path | None) -> None:
    """Why each piece of advice for CASE was given: rule, guidance sentence, every condition with its
    values and where they came from (case line, parameter and its date, derived fact), as a tree."""

    def body() -> str:
        from ..render import explain as audit
        from ..load.source import suggest

        report = _advise(case, lang, rules_dir)
        if rule_id is not None:
            ids = tuple(r.id for r in report.trace.ruleset.rules)
            if rule_id not in ids:
                raise click.BadParameter(f"no rule '{rule_id}'. {suggest(rule_id, ids)}".strip(),
                                         param_hint="--rule")
            return audit.explain_rule(report, rule_id)
        if every:
            return audit.explain_all(report)
        return audit.explain_advice(report)

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path))
def check(rules_dir: Path | None) -> None:
    """Load and compile the rules in RULES_DIR; report every error (file:line:col)."""

    def body() -> str:
        from ..engine.compiler import compile_ruleset
        from ..load.rules import load_rules

        ruleset = load_rules(rules_dir or default_rules())
        compiled = compile_ruleset(ruleset)
        return (f"ok: {len(ruleset.rules)} rules, {len(ruleset.params)} parameters, "
                f"{len(compiled.branches)} compiled branches; fingerprint {ruleset.fingerprint[:16]}\n")

    _guard(body)


def default_cases() -> Path:
    """./cases, else the cases/ folder next to the package."""
    here = Path("cases")
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "cases"


def _case_files(paths: tuple[Path, ...]) -> list[Path]:
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


# The other commands live in advisor/cli/, one module per kind of task; importing registers them.
from . import audit as _audit  # noqa: E402,F401
from . import batch as _batch  # noqa: E402,F401
from . import plan as _plan  # noqa: E402,F401
from . import toolkit as _toolkit  # noqa: E402,F401
