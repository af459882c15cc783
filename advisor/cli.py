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
Exit codes: 0 ok · 1 findings or differences (lint, test, coverage, diff, replay) · 2 bad command line ·
3 bad case file · 4 bad rule, parameter or template file · 5 rules engine unavailable or failed ·
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
@click.option("--letters", "letters_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also write a 协商还款申请 for every lender the plan makes an offer to, into this folder.")
@DB_OPTION
@LANG_OPTION
@RULES_OPTION
def run(case: Path, fmt: str, explain: bool, record: bool, letters_dir: Path | None, db: Path | None, lang: str,
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
        if letters_dir is not None:
            _write_letters(report)
        if record:
            _store(report, out)
        return out

    def _write_letters(report) -> None:
        from . import letters

        letters_dir.mkdir(parents=True, exist_ok=True)
        plan = report.plan
        for offer in plan.offers if plan is not None and not plan.affordable else ():
            target = letters_dir / f"{offer.loan + 1:02d}-{offer.name}.txt"
            target.write_text(letters.render(report, offer.name), encoding="utf-8")
            click.echo(f"letter written: {target}", err=True)

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


def default_cases() -> Path:
    """./cases, else the cases/ folder next to the package."""
    here = Path("cases")
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "cases"


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


@main.command("test", epilog=EXIT_CODES_HELP)
@CASES_ARGUMENT
@LANG_OPTION
@RULES_OPTION
def test_cases(cases: tuple[Path, ...], lang: str, rules_dir: Path | None) -> None:
    """Check the expectations of CASES (files or folders; default ./cases): the advice that must and must
    not appear, its order, the numbers its text carries, the summary figures. For each failure: what was
    expected, what came out, and why a missing piece of advice was not given. Exit 1 if any fails."""

    def body() -> str:
        from . import expectations
        from .advise import Advisor
        from .errors import CaseError
        from .rules import load_rules

        advisor = Advisor.build(load_rules(rules_dir or default_rules()))
        out, failed, passed = [], 0, 0
        for path in _case_files(cases):
            try:
                outcome = expectations.check(advisor, path)
            except CaseError as exc:
                failed += 1
                out += [f"FAIL {path}  (the case file cannot be read)", exc.render(), ""]
                continue
            if outcome.failures:
                failed += 1
                out.append(f"FAIL {path}")
                for f in outcome.failures:
                    out.append(f"  expected {f.expected} — got {f.got}")
                    if f.why_not:
                        out.append(f"      why: {f.why_not}")
                out.append("")
            elif not outcome.checked:
                passed += 1
                out.append(f"ok   {path}  (no expectations: add an `expect:` block, see docs/cases.md)")
            else:
                passed += 1
                out.append(f"ok   {path}  ({outcome.checked} expectations, {len(outcome.report.advice)} advice)")
        out.append(f"{passed + failed} cases: {passed} passed, {failed} failed")
        text = "\n".join(out) + "\n"
        if failed:
            click.echo(text, nl=False)
            sys.exit(EXIT_DIFFERS)
        return text

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@CASES_ARGUMENT
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=None,
              help="Fail (exit 1) when fewer than this percentage of the rules fire in some case.")
@RULES_OPTION
def coverage(cases: tuple[Path, ...], minimum: float | None, rules_dir: Path | None) -> None:
    """Run all CASES (default ./cases) and report, per rule, how many cases fired it and, per condition,
    whether it was seen both true and false; rules and conditions never exercised are listed with why."""

    def body() -> str:
        from . import coverage as cov
        from .advise import Advisor
        from .cases import load_case
        from .rules import load_rules

        ruleset = load_rules(rules_dir or default_rules())
        advisor = Advisor.build(ruleset)
        reports = {str(path): advisor.advise(load_case(path)) for path in _case_files(cases)}
        measured = cov.measure(ruleset, reports)
        text = cov.render(measured)
        if minimum is not None and measured.rule_percent < minimum:
            click.echo(text + f"below the minimum: {measured.rule_percent:.1f}% < {minimum:g}%\n", nl=False)
            sys.exit(EXIT_DIFFERS)
        return text

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@CASES_ARGUMENT
@click.option("--base", "revision", default=None, help="Compare with the rules as committed at this git revision.")
@click.option("--old", "old_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Compare with the rules in this folder.")
@RULES_OPTION
def diff(cases: tuple[Path, ...], revision: str | None, old_dir: Path | None, rules_dir: Path | None) -> None:
    """What a rule edit changes: evaluate CASES (default ./cases; more folders may be given) with the old
    rules (--base REV or --old DIR) and the current ones, and list the cases that gain (+), lose (-),
    reorder or reword (~) advice. Exit 1 if any case changes."""

    def body() -> str:
        from . import diff as impact
        from .advise import Advisor
        from .rules import load_rules

        if (revision is None) == (old_dir is None):
            raise click.UsageError("give exactly one of --base REV or --old DIR")
        new_dir = rules_dir or default_rules()
        files = _case_files(cases)
        with impact.temporary_folder() as folder:
            old_rules = old_dir or impact.rules_at(revision or "", new_dir, Path(folder))
            old = Advisor.build(load_rules(old_rules))
        new = Advisor.build(load_rules(new_dir))
        changes = impact.impact(old, new, files)
        text = impact.render(changes, len(files), revision or str(old_dir))
        if changes:
            click.echo(text, nl=False)
            sys.exit(EXIT_DIFFERS)
        return text

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path))
@click.option("--cases", "cases_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Cases that should exercise every rule [default: ./cases]; --no-cases to skip that check.")
@click.option("--no-cases", is_flag=True, help="Do not check that each rule is exercised by a case.")
def lint(rules_dir: Path | None, cases_dir: Path | None, no_cases: bool) -> None:
    """Check RULES_DIR (default ./rules) and report every problem at once, sorted by place: errors
    that stop the advisor, and warnings — a rule that can never fire, a rule another makes redundant,
    contradicting advice without a declared order, derived facts or parameters nobody uses, missing
    English text, a rule no case exercises. Exit 0 clean, 1 findings (errors or warnings)."""

    def body() -> str:
        from .lint import lint as run_lint

        found = run_lint(rules_dir or default_rules(), None if no_cases else (cases_dir or default_cases()))
        if not found:
            return "clean: no errors, no warnings\n"
        errors = sum(1 for d in found if d.severity == "error")
        text = "\n\n".join(d.render() for d in found) + \
            f"\n\n{errors} error(s), {len(found) - errors} warning(s)\n"
        click.echo(text, nl=False)
        sys.exit(EXIT_DIFFERS)

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("kind", type=click.Choice(["rule", "case", "params"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a rule, case or parameters file, for editors that validate YAML
    (VS Code's YAML extension reads the `# yaml-language-server: $schema=…` line of the shipped files)."""

    def body() -> str:
        from .schema import render

        return render(kind)

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--loan", "loan_name", required=True, help="The lender to write to: the loan's name in the case.")
@click.option("--phone", is_flag=True, help="The phone script instead of the written request.")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with letter.zh.txt.j2 and phone.zh.txt.j2 [default: ./templates].")
@RULES_OPTION
def letter(case: Path, loan_name: str, phone: bool, templates_dir: Path | None, rules_dir: Path | None) -> None:
    """A negotiation request (协商还款申请) to one lender, in Chinese, with the plan's numbers: the situation,
    willingness to repay, the concrete proposal and a request for written confirmation."""

    def body() -> str:
        from . import letters
        from .source import suggest

        report = _advise(case, "zh", rules_dir)
        names = tuple(loan.name for loan in report.trace.case.loans or ())
        if loan_name not in names:
            raise click.BadParameter(f"no loan '{loan_name}' in the case. {suggest(loan_name, names)}".strip()
                                     + f" Loans: {', '.join(names) or 'none'}", param_hint="--loan")
        plan = report.plan
        offer = next((o for o in plan.offers if o.name == loan_name), None) if plan else None
        note = ""
        if plan is not None and plan.affordable:
            note = "# 提示：按目前收支，合同月供在能力范围内，建议继续按时还款；以下申请仅在情况变化时使用。\n\n"
        elif plan is not None and offer is None and plan.budget is not None:
            note = "# 提示：这笔是优先债务（法院判决或抵押），请优先按时还款，并先咨询律师或 12348。\n\n"
        elif plan is not None and plan.missing:
            note = f"# 提示：案例缺少 {', '.join(plan.missing)}，信中的数字留了空，请补齐后再发。\n\n"
        return note + letters.render(report, loan_name, "phone" if phone else "letter", templates_dir)

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The HTML page to write (opens in any browser; no scripts, no network).")
@LANG_OPTION
@RULES_OPTION
def chart(case: Path, out_file: Path, lang: str, rules_dir: Path | None) -> None:
    """Write a page with a chart of each debt's balance month by month under the proposed plan, so a
    borrower sees when each debt ends."""

    def body() -> str:
        from .render.chart import page

        report = _advise(case, lang, rules_dir)
        out_file.write_text(page(report), encoding="utf-8")
        return f"wrote {out_file}\n"

    _guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results, one JSON line per case; an existing file is resumed, not overwritten.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@RULES_OPTION
def batch(source: Path, out_file: Path, jobs: int, quiet: bool, rules_dir: Path | None) -> None:
    """Run many cases — SOURCE is a folder of case files or a .jsonl file (one case per line) — over
    worker processes, writing one result line per case to --out: its advice, or its errors (a bad case
    never stops the batch). Interrupted? Run the same command again: finished cases are skipped, a torn
    last line is cut, nothing is lost or duplicated. Exit 1 if any case had errors."""

    def body() -> str:
        from . import batch as batching
        from .rules import load_rules

        folder = rules_dir or default_rules()
        load_rules(folder)                     # a broken rules folder stops here, once, with its errors
        total = sum(1 for _ in batching.items(source))
        with click.progressbar(length=total, label="cases", file=sys.stderr, hidden=quiet) as bar:
            already = len(batching.done(out_file))
            bar.update(min(already, total))
            ran, skipped, errors = batching.run(source, out_file, folder, jobs, bar)
        text = f"{ran} cases run, {skipped} already done, {errors} with errors; results in {out_file}\n"
        if errors:
            click.echo(text, nl=False)
            sys.exit(EXIT_DIFFERS)
        return text

    _guard(body)


if __name__ == "__main__":  # python -m advisor.cli, as the advisor command
    main()
