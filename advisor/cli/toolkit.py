"""The counsellor's toolkit: advisor test, coverage, diff, lint, schema."""
from __future__ import annotations

from pathlib import Path

import click

from .group import EXIT_CODES_HELP, guard, main
from .options import (CASES_ARGUMENT, LANG_OPTION, RULES_OPTION, case_files, check_engine, default_cases,
                      default_rules, engine_options)


@main.command("test", epilog=EXIT_CODES_HELP)
@CASES_ARGUMENT
@LANG_OPTION
@RULES_OPTION
def test_cases(cases: tuple[Path, ...], lang: str, rules_dir: Path | None) -> None:
    """Check the expectations of CASES (files or folders; default ./cases): the advice that must and must
    not appear, its order, the numbers its text carries, the summary figures. For each failure: what was
    expected, what came out, and why a missing piece of advice was not given. Exit 1 if any fails."""

    def body() -> str | tuple[str, bool]:
        from ..toolkit import expectations
        from ..advise import Advisor
        from ..errors import CaseError
        from ..load.rules import load_rules

        advisor = Advisor.build(load_rules(rules_dir or default_rules()))
        out, failed, passed = [], 0, 0
        for path in case_files(cases):
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
        return text, failed > 0

    guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@CASES_ARGUMENT
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=None,
              help="Fail (exit 1) when fewer than this percentage of the rules fire in some case.")
@RULES_OPTION
def coverage(cases: tuple[Path, ...], minimum: float | None, rules_dir: Path | None) -> None:
    """Run all CASES (default ./cases) and report, per rule, how many cases fired it and, per condition,
    whether it was seen both true and false; rules and conditions never exercised are listed with why."""

    def body() -> str | tuple[str, bool]:
        from ..toolkit import coverage as cov
        from ..advise import Advisor
        from ..load.cases import load_case
        from ..load.rules import load_rules

        ruleset = load_rules(rules_dir or default_rules())
        advisor = Advisor.build(ruleset)
        reports = {str(path): advisor.advise(load_case(path)) for path in case_files(cases)}
        measured = cov.measure(ruleset, reports)
        text = cov.render(measured)
        if minimum is not None and measured.rule_percent < minimum:
            return text + f"below the minimum: {measured.rule_percent:.1f}% < {minimum:g}%\n", True
        return text

    guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@CASES_ARGUMENT
@click.option("--base", "revision", default=None, help="Compare with the rules as committed at this git revision.")
@click.option("--old", "old_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Compare with the rules in this folder.")
@RULES_OPTION
@engine_options
def diff(cases: tuple[Path, ...], revision: str | None, old_dir: Path | None, rules_dir: Path | None, engine: str,
         address: str | None, ray_workers: int | None) -> None:
    """What a rule edit changes: evaluate CASES (default ./cases; more folders may be given) with the old
    rules (--base REV or --old DIR) and the current ones, and list the cases that gain (+), lose (-),
    reorder or reword (~) advice. Exit 1 if any case changes. With --engine ray, CASES are batch sources
    (folders or .jsonl files) run on Ray; each changed case is printed as it comes, then the counts per rule."""

    def body() -> str | tuple[str, bool]:
        from ..toolkit import diff as impact
        from ..advise import Advisor
        from ..load.rules import load_rules

        if (revision is None) == (old_dir is None):
            raise click.UsageError("give exactly one of --base REV or --old DIR")
        check_engine(engine, address, ray_workers)
        new_dir = rules_dir or default_rules()
        if engine == "ray":
            return _diff_on_ray(cases, revision, old_dir, new_dir, address, ray_workers)
        files = case_files(cases)
        with impact.temporary_folder() as folder:
            old_rules = old_dir or impact.rules_at(revision or "", new_dir, Path(folder))
            old = Advisor.build(load_rules(old_rules))
        new = Advisor.build(load_rules(new_dir))
        changes = impact.impact(old, new, files)
        text = impact.render(changes, len(files), revision or str(old_dir))
        return text, bool(changes)

    guard(body)


def _diff_on_ray(cases: tuple[Path, ...], revision: str | None, old_dir: Path | None, new_dir: Path,
                 address: str | None, workers: int | None) -> tuple[str, bool]:
    from ..inert import terminal
    from ..load.rules import load_rules
    from ..toolkit import diff as impact
    from ..toolkit.distributed import impact as on_ray

    for path in cases:
        if not path.exists():
            raise click.BadParameter(f"no such file or folder: {path}", param_hint="CASES")
    with impact.temporary_folder() as folder:
        old_rules = old_dir or impact.rules_at(revision or "", new_dir, Path(folder))
        load_rules(old_rules)                  # broken rules stop here, once, with their errors
        load_rules(new_dir)
        tally = on_ray.run(cases or (default_cases(),), old_rules, new_dir,
                           lambda text: click.echo(terminal(text), nl=False), address, workers)
    text = on_ray.render_counts(tally) + impact.summary(tally.changed, tally.total, revision or str(old_dir)) + "\n"
    return text, bool(tally.changed or tally.errors)


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

    def body() -> str | tuple[str, bool]:
        from ..toolkit.lint import lint as run_lint

        found = run_lint(rules_dir or default_rules(), None if no_cases else (cases_dir or default_cases()))
        if not found:
            return "clean: no errors, no warnings\n"
        errors = sum(1 for d in found if d.severity == "error")
        return "\n\n".join(d.render() for d in found) + \
            f"\n\n{errors} error(s), {len(found) - errors} warning(s)\n", True

    guard(body)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("kind", type=click.Choice(["rule", "case", "params"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a rule, case or parameters file, for editors that validate YAML
    (VS Code's YAML extension reads the `# yaml-language-server: $schema=…` line of the shipped files)."""

    def body() -> str | tuple[str, bool]:
        from ..toolkit.schema import render

        return render(kind)

    guard(body)
