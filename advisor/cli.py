"""Command line: thin click commands over the library; the only place that prints and exits."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .errors import EXIT_DIFFERS, EXIT_INTERNAL, AdvisorError

EXIT_CODES_HELP = """\b
Exit codes: 0 ok · 1 differences found (audit replay) · 2 bad command line · 3 bad case file ·
4 bad rule or parameter file · 5 rules engine unavailable or failed ·
6 decision-record database unreadable or refused the record · 70 internal error (a bug)."""


def default_rules() -> Path:
    """--rules, else $ADVISOR_RULES, else ./rules, else the rules/ folder next to the package."""
    env = os.environ.get("ADVISOR_RULES")
    if env:
        return Path(env)
    here = Path("rules")
    if (here / "params.yaml").exists():
        return here
    return Path(__file__).resolve().parent.parent / "rules"


def _guard(action: Callable[[], str]) -> None:
    """Run a command body; print its output, or the error and its exit code. Never a traceback."""
    try:
        output = action()
    except AdvisorError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException:
        raise                                  # click prints usage errors itself (exit code 2)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "hint: this is a bug in the advisor; please report it with the case and rules used", err=True)
        sys.exit(EXIT_INTERNAL)
    click.echo(output, nl=False)


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
    from .advise import Advisor
    from .cases import load_case
    from .rules import load_rules

    ruleset = load_rules(rules_dir or default_rules())
    return Advisor.build(ruleset).advise(load_case(case), lang)


DB_OPTION = click.option("--db", type=click.Path(path_type=Path), default=None,
                         help="Decision-record database [default: $ADVISOR_DB or ./advisor-records.sqlite3].")


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="Output format: text for reading, json for tools, markdown to print or attach.")
@click.option("--explain", is_flag=True, help="Add, under each piece of advice, the full tree of why it fired.")
@click.option("--record", is_flag=True, help="Store a decision record of this run (see `advisor audit`).")
@DB_OPTION
@LANG_OPTION
@RULES_OPTION
def run(case: Path, fmt: str, explain: bool, record: bool, db: Path | None, lang: str,
        rules_dir: Path | None) -> None:
    """Evaluate CASE (a case YAML file) and print prioritised advice."""

    def body() -> str:
        from .render import audit, markdown
        from .render import json as render_json
        from .render import text as render_text

        report = _advise(case, lang, rules_dir)
        if fmt == "json":
            out = render_json.render(report)
        elif fmt == "markdown":
            out = markdown.render(report, explain)
        else:
            out = render_text.render(report) + ("\n" + audit.explain_advice(report) if explain else "")
        if record:
            _store(report, out)
        return out

    def _store(report, out: str) -> None:
        from .errors import AdvisorError
        from .record import default_db, save
        from .replay import make_record

        path = db or default_db()
        try:
            number = save(make_record(report, case, rules_dir or default_rules()), path)
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
        from .render import audit
        from .source import suggest

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
        from .compiler import compile_ruleset
        from .rules import load_rules

        ruleset = load_rules(rules_dir or default_rules())
        compiled = compile_ruleset(ruleset)
        return (f"ok: {len(ruleset.rules)} rules, {len(ruleset.params)} parameters, "
                f"{len(compiled.branches)} compiled branches; fingerprint {ruleset.fingerprint[:16]}\n")

    _guard(body)



@main.group(epilog=EXIT_CODES_HELP)
def audit() -> None:
    """Decision records: list, show and replay stored runs (`advisor run CASE --record`)."""


@audit.command("list", epilog=EXIT_CODES_HELP)
@DB_OPTION
def audit_list(db: Path | None) -> None:
    """List the stored records, oldest first."""

    def body() -> str:
        from .record import Store, default_db
        from .render import record as render_record

        with Store.open(db or default_db(), create=False) as store:
            return render_record.listing(store.list())

    _guard(body)


@audit.command("show", epilog=EXIT_CODES_HELP)
@click.argument("record_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the advice as given; json: the whole record (case text, parameters, trace).")
@DB_OPTION
def audit_show(record_id: int, fmt: str, db: Path | None) -> None:
    """Show record RECORD_ID as it was stored."""

    def body() -> str:
        from .record import Store, default_db
        from .render import record as render_record

        with Store.open(db or default_db(), create=False) as store:
            found = store.get(record_id)
        return render_record.as_json(found) if fmt == "json" else render_record.show(found)

    _guard(body)


@audit.command("replay", epilog=EXIT_CODES_HELP)
@click.argument("record_id", type=int)
@DB_OPTION
@RULES_OPTION
def audit_replay(record_id: int, db: Path | None, rules_dir: Path | None) -> None:
    """Re-run record RECORD_ID's case with the current rules and report any difference in the advice
    (exit 1), or confirm the output is identical (exit 0)."""
    import tempfile

    def body() -> str:
        from .record import Store, default_db
        from .render import json as render_json
        from .render import record as render_record
        from .replay import compare

        with Store.open(db or default_db(), create=False) as store:
            found = store.get(record_id)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(found.case_path).name
            path.write_text(found.case_text, encoding="utf-8")
            report = _advise(path, found.lang, rules_dir)
        now = render_json.document(report)
        diff = compare(found.report, now)
        text = render_record.replay(found, diff, report.fingerprint, len(report.advice))
        if not diff.identical:
            click.echo(text, nl=False)
            sys.exit(EXIT_DIFFERS)
        return text

    _guard(body)


@audit.command("import", epilog=EXIT_CODES_HELP)
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@DB_OPTION
def audit_import(file: Path, db: Path | None) -> None:
    """Store a record that could not be stored at the time (the .unsaved-….json file named in the error)."""

    def body() -> str:
        from .record import default_db, read_unsaved, save

        path = db or default_db()
        number = save(read_unsaved(file), path)
        return f"stored as #{number} in {path}; you may now delete {file}\n"

    _guard(body)
