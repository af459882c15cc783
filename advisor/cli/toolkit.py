"""The counsellor's toolkit: advisor test, coverage, diff, lint, schema."""
from __future__ import annotations

from pathlib import Path

import click

from ..i18n import said
from .group import EXIT_CODES_HELP, cli_lang, guard, main, say
from .options import (CASES_ARGUMENT, LANG_OPTION, RULES_OPTION, case_files, check_engine, default_cases,
                      default_rules, engine_options)


@main.command("test", epilog=EXIT_CODES_HELP, help=said(
    "检查 CASES（文件或文件夹；默认 ./cases）中写明的预期：必须出现和不得出现的建议、建议的顺序、建议文字里的"
    "数字、汇总数字。每处不符都列出：预期什么、实际得到什么，以及缺少的建议为什么没有给出。有任何不符时退出码为 1。",
    """Check the expectations of CASES (files or folders; default ./cases): the advice that must and must
    not appear, its order, the numbers its text carries, the summary figures. For each failure: what was
    expected, what came out, and why a missing piece of advice was not given. Exit 1 if any fails."""))
@CASES_ARGUMENT
@LANG_OPTION
@RULES_OPTION
def test_cases(cases: tuple[Path, ...], lang: str, rules_dir: Path | None) -> None:
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
                out += [say(f"FAIL {path}  （案例文件无法读取）", f"FAIL {path}  (the case file cannot be read)"),
                        exc.render(cli_lang()), ""]
                continue
            if outcome.failures:
                failed += 1
                out.append(f"FAIL {path}")
                for f in outcome.failures:
                    out.append(say(f"  预期 {f.expected} — 实际 {f.got}", f"  expected {f.expected} — got {f.got}"))
                    if f.why_not:
                        out.append(say(f"      原因：{f.why_not}", f"      why: {f.why_not}"))
                out.append("")
            elif not outcome.checked:
                passed += 1
                out.append(say(f"ok   {path}  （没有写预期：请加一个 `expect:` 块，见 docs/cases.md）",
                               f"ok   {path}  (no expectations: add an `expect:` block, see docs/cases.md)"))
            else:
                passed += 1
                advice = len(outcome.report.advice)
                out.append(say(f"ok   {path}  （{outcome.checked} 项预期，{advice} 条建议）",
                               f"ok   {path}  ({outcome.checked} expectations, {advice} advice)"))
        out.append(say(f"共 {passed + failed} 个案例：{passed} 个通过，{failed} 个未通过",
                       f"{passed + failed} cases: {passed} passed, {failed} failed"))
        text = "\n".join(out) + "\n"
        return text, failed > 0

    guard(body)


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "运行全部 CASES（默认 ./cases），按规则列出有多少个案例触发了它，按条件列出它是否既出现过成立也出现过不成立；"
    "从未被用到的规则和条件单独列出，并说明原因。",
    """Run all CASES (default ./cases) and report, per rule, how many cases fired it and, per condition,
    whether it was seen both true and false; rules and conditions never exercised are listed with why."""))
@CASES_ARGUMENT
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=None,
              help=said("在至少一个案例中触发过的规则占比低于这个百分比时，判为不通过（退出码 1）。",
                        "Fail (exit 1) when fewer than this percentage of the rules fire in some case."))
@RULES_OPTION
def coverage(cases: tuple[Path, ...], minimum: float | None, rules_dir: Path | None) -> None:
    def body() -> str | tuple[str, bool]:
        from ..toolkit import coverage as cov
        from ..advise import Advisor
        from ..load.cases import load_case
        from ..load.rules import load_rules

        ruleset = load_rules(rules_dir or default_rules())
        advisor = Advisor.build(ruleset)
        reports = {str(path): advisor.advise(load_case(path)) for path in case_files(cases)}
        measured = cov.measure(ruleset, reports)
        text = cov.render(measured, cli_lang())
        if minimum is not None and measured.rule_percent < minimum:
            return text + say(f"低于最低要求：{measured.rule_percent:.1f}% < {minimum:g}%\n",
                              f"below the minimum: {measured.rule_percent:.1f}% < {minimum:g}%\n"), True
        return text

    guard(body)


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "一处规则修改会改变什么：用旧规则（--base REV 或 --old DIR）和当前规则分别评估 CASES（默认 ./cases，可以再给"
    "几个文件夹），列出多出（+）、少了（-）、换了顺序或改了措辞（~）建议的案例。有任何案例变化时退出码为 1。用 --engine ray 时，"
    "CASES 是批量来源（文件夹或 .jsonl 文件），在 Ray 上运行；每个有变化的案例一出来就打印，最后列出每条规则的计数。",
    """What a rule edit changes: evaluate CASES (default ./cases; more folders may be given) with the old
    rules (--base REV or --old DIR) and the current ones, and list the cases that gain (+), lose (-),
    reorder or reword (~) advice. Exit 1 if any case changes. With --engine ray, CASES are batch sources
    (folders or .jsonl files) run on Ray; each changed case is printed as it comes, then the counts per rule."""))
@CASES_ARGUMENT
@click.option("--base", "revision", default=None, help=said("与 git 中这个版本提交的规则比较。",
                                                            "Compare with the rules as committed at this git revision."))
@click.option("--old", "old_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=said("与这个文件夹里的规则比较。", "Compare with the rules in this folder."))
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help=said("工作进程数（每个进程各载入新旧两套规则一次）。",
                        "Worker processes (each loads the old and the new rules once)."))
@RULES_OPTION
@engine_options
def diff(cases: tuple[Path, ...], revision: str | None, old_dir: Path | None, jobs: int,
         rules_dir: Path | None, engine: str, address: str | None, ray_workers: int | None) -> None:
    def body() -> str | tuple[str, bool]:
        from ..toolkit import diff as impact
        from ..advise import Advisor
        from ..load.rules import load_rules

        if (revision is None) == (old_dir is None):
            raise click.UsageError(say("--base REV 和 --old DIR 只能且必须给一个",
                                       "give exactly one of --base REV or --old DIR"))
        check_engine(engine, address, ray_workers)
        new_dir = rules_dir or default_rules()
        if engine == "ray":
            return _diff_on_ray(cases, revision, old_dir, new_dir, address, ray_workers)
        files = case_files(cases)
        with impact.temporary_folder() as folder:     # the old rules stay there while workers read them
            old_rules = old_dir or impact.rules_at(revision or "", new_dir, Path(folder))
            old = Advisor.build(load_rules(old_rules))
            new = Advisor.build(load_rules(new_dir))
            if jobs == 1:
                changes = impact.impact(old, new, files)
            else:
                changes = impact.impact_jobs(old, new, (old_rules, new_dir), files, jobs)
        text = impact.render(changes, len(files), revision or str(old_dir), cli_lang())
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
            raise click.BadParameter(say(f"没有这个文件或文件夹：{path}", f"no such file or folder: {path}"), param_hint="CASES")
    with impact.temporary_folder() as folder:
        old_rules = old_dir or impact.rules_at(revision or "", new_dir, Path(folder))
        load_rules(old_rules)                  # broken rules stop here, once, with their errors
        load_rules(new_dir)
        tally = on_ray.run(cases or (default_cases(),), old_rules, new_dir,
                           lambda text: click.echo(terminal(text), nl=False), address, workers, lang=cli_lang())
    text = on_ray.render_counts(tally, cli_lang()) + impact.summary(tally.changed, tally.total, revision or str(old_dir), cli_lang()) + "\n"
    return text, bool(tally.changed or tally.errors)


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "检查 RULES_DIR（默认 ./rules），一次列出全部问题，按位置排序：让 advisor 无法运行的错误，以及警告——永远"
    "不会触发的规则、被另一条规则包含的多余规则、没有声明先后的相互矛盾的建议、没人用到的推导事实或参数、"
    "缺少的英文文字、没有任何案例用到的规则。没有问题时退出码为 0，有错误或警告时为 1。",
    """Check RULES_DIR (default ./rules) and report every problem at once, sorted by place: errors
    that stop the advisor, and warnings — a rule that can never fire, a rule another makes redundant,
    contradicting advice without a declared order, derived facts or parameters nobody uses, missing
    English text, a rule no case exercises. Exit 0 clean, 1 findings (errors or warnings)."""))
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path))
@click.option("--cases", "cases_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=said("应当用到每条规则的案例 [默认：./cases]；用 --no-cases 跳过这项检查。",
                        "Cases that should exercise every rule [default: ./cases]; --no-cases to skip that check."))
@click.option("--no-cases", is_flag=True, help=said("不检查每条规则是否都有案例用到。",
                                                    "Do not check that each rule is exercised by a case."))
def lint(rules_dir: Path | None, cases_dir: Path | None, no_cases: bool) -> None:
    def body() -> str | tuple[str, bool]:
        from ..toolkit.lint import lint as run_lint

        found = run_lint(rules_dir or default_rules(), None if no_cases else (cases_dir or default_cases()))
        if not found:
            return say("没有问题：没有错误，没有警告\n", "clean: no errors, no warnings\n")
        errors = sum(1 for d in found if d.severity == "error")
        return "\n\n".join(d.render(cli_lang()) for d in found) + \
            say(f"\n\n{errors} 个错误，{len(found) - errors} 个警告\n",
                f"\n\n{errors} error(s), {len(found) - errors} warning(s)\n"), True

    guard(body)


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "输出规则、案例或参数文件的 JSON Schema，供能校验 YAML 的编辑器使用（VS Code 的 YAML 扩展会读取随附文件中的"
    " `# yaml-language-server: $schema=…` 一行）。",
    """Print the JSON Schema of a rule, case or parameters file, for editors that validate YAML
    (VS Code's YAML extension reads the `# yaml-language-server: $schema=…` line of the shipped files)."""))
@click.argument("kind", type=click.Choice(["rule", "case", "params"]))
def schema(kind: str) -> None:
    def body() -> str | tuple[str, bool]:
        from ..toolkit.schema import render

        return render(kind)

    guard(body)
