"""Advice commands: run a case, explain its advice, check a rules folder."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import AdvisorError
from ..report import Report
from .group import EXIT_CODES_HELP, guard, main
from .options import DB_OPTION, LANG_OPTION, RULES_OPTION, advise_case, advise_case_bytes, default_rules


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "plan"]), default="text",
              show_default=True, help="Output format: text for reading, json for tools, markdown to print or attach, "
              "plan: the borrower's one-page action plan (printable HTML).")
@click.option("--explain", is_flag=True, help="Add, under each piece of advice, the full tree of why it fired "
              "(JSON: also every rule's status, `rules`).")
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

        report, data = advise_case_bytes(case, lang, rules_dir, explain=fmt == "json" or explain or record,
                                         every_rule=record or (fmt == "json" and explain))
        if fmt == "json":
            out = render_json.render(report)
        elif fmt == "markdown":
            out = markdown.render(report, explain)
        elif fmt == "plan":
            from ..web.plan import render as action_plan
            out = action_plan(report)
        else:
            out = render_text.render(report) + ("\n" + audit.explain_advice(report) if explain else "")
        if letters_dir is not None:
            try:
                _write_letters(report, letters_dir)
            except AdvisorError:
                click.echo(out, nl=False)      # the advice is still shown; the error says which letter failed
                raise
        if record:
            _store(report, out, data)
        return out

    def _write_letters(report: Report, letters_dir: Path) -> None:
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

    def _store(report: Report, out: str, data: bytes) -> None:
        from ..errors import AdvisorError
        from ..records.store import default_db, save
        from ..records.replay import make_record
        from ..render import json as render_json

        path = db or default_db(make=True)
        try:
            record = make_record(report, case, rules_dir or default_rules(), data, render_json.document(report))
            number = save(record, path)
        except AdvisorError:
            click.echo(out, nl=False)          # the advice is still shown; the error says where the record is
            raise
        click.echo(f"recorded as #{number} in {path}", err=True)

    guard(body)


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
        from ..errors import suggest

        report = advise_case(case, lang, rules_dir, explain=True, every_rule=rule_id is not None or every)
        if rule_id is not None:
            ids = tuple(r.id for r in report.trace.ruleset.rules)
            if rule_id not in ids:
                raise click.BadParameter(f"no rule '{rule_id}'. {suggest(rule_id, ids)}".strip(),
                                         param_hint="--rule")
            return audit.explain_rule(report, rule_id)
        if every:
            return audit.explain_all(report)
        return audit.explain_advice(report)

    guard(body)


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

    guard(body)
