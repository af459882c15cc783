"""Advice commands: run a case, explain its advice, check a rules folder."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import AdvisorError
from ..i18n import said
from ..report import Report
from .group import EXIT_CODES_HELP, guard, main, say
from .options import DB_OPTION, LANG_OPTION, RULES_OPTION, advise_case, advise_case_bytes, default_rules


@main.command(epilog=EXIT_CODES_HELP, help=said("评估 CASE（一个案例 YAML 文件），按优先顺序输出建议。",
                                                "Evaluate CASE (a case YAML file) and print prioritised advice."))
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "plan"]), default="text",
              show_default=True, help=said(
                  "输出格式：text 供阅读，json 供其他工具，markdown 用于打印或附在邮件里，plan 是给借款人的一页行动计划"
                  "（可打印的 HTML）。",
                  "Output format: text for reading, json for tools, markdown to print or attach, "
                  "plan: the borrower's one-page action plan (printable HTML)."))
@click.option("--explain", is_flag=True, help=said("在每条建议下面附上它为什么被触发的完整依据树（JSON 还会带上每条规则的状态 `rules`）。",
                                                   "Add, under each piece of advice, the full tree of why it fired "
                                                   "(JSON: also every rule's status, `rules`)."))
@click.option("--record", is_flag=True, help=said("把这次运行存为一条决策记录（见 `advisor audit`）。",
                                                  "Store a decision record of this run (see `advisor audit`)."))
@click.option("--letters", "letters_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=said("把适合每家出借方的信件和话术写进这个文件夹（附信件清单）。",
                        "Also write every letter and script that fits each lender into this folder, with a list."))
@DB_OPTION
@LANG_OPTION
@RULES_OPTION
def run(case: Path, fmt: str, explain: bool, record: bool, letters_dir: Path | None, db: Path | None, lang: str,
        rules_dir: Path | None) -> None:
    def body() -> str:
        report, data = advise_case_bytes(case, lang, rules_dir, explain=fmt == "json" or explain or record,
                                         every_rule=record or (fmt == "json" and explain))
        if fmt == "json":                       # each renderer imported only when asked for (a faster start)
            from ..render import json as render_json
            out = render_json.render(report)
        elif fmt == "markdown":
            from ..render import markdown
            out = markdown.render(report, explain)
        elif fmt == "plan":
            from ..web.plan import render as action_plan
            out = action_plan(report)
        else:
            from ..render import text as render_text
            out = render_text.render(report)
            if explain:
                from ..render import explain as audit
                out += "\n" + audit.explain_advice(report)
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
        from ..plan.folder import drafts
        from ..errors import OutputError
        from ..output import write_file

        files = drafts(report)                      # every letter rendered before any file is written
        try:
            letters_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError.writing(letters_dir, exc) from None
        for name, text in files:
            target = letters_dir / name             # names are slugs: always inside letters_dir
            write_file(target, text)
            click.echo(say(f"已写入：{target}", f"letter written: {target}"), err=True)
        plan = report.plan
        for held in plan.held if plan is not None else ():
            click.echo(say(f"{held.name}：诉讼时效待核查，没有起草信件；请先咨询律师或 12348",
                           f"no letter for {held.name}: held for the limitation check; take advice first"), err=True)

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
        click.echo(say(f"已记录为第 {number} 号，存在 {path}", f"recorded as #{number} in {path}"), err=True)

    guard(body)


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "CASE 的每条建议为什么给出：规则、指南原文、每个条件及其数值和来源（案例中的哪一行、哪个参数及其日期、"
    "哪个推导出的事实），以树的形式列出。",
    """Why each piece of advice for CASE was given: rule, guidance sentence, every condition with its
    values and where they came from (case line, parameter and its date, derived fact), as a tree."""))
@click.argument("case", type=click.Path(path_type=Path))
@click.option("--rule", "rule_id", default=None, help=said(
    "解释一条规则（无论是否触发）：哪个条件不成立、看到的数值和阈值，或者哪个事实未知。",
    "Explain one rule, fired or not: which condition failed, "
    "with the value seen and the threshold, or which fact is unknown."))
@click.option("--all", "every", is_flag=True, help=said("列出每条规则在这个案例中的状态。",
                                                        "List every rule with its status for this case."))
@LANG_OPTION
@RULES_OPTION
def explain(case: Path, rule_id: str | None, every: bool, lang: str, rules_dir: Path | None) -> None:
    def body() -> str:
        from ..render import explain as audit
        from ..errors import suggest

        report = advise_case(case, lang, rules_dir, explain=True, every_rule=rule_id is not None or every)
        if rule_id is not None:
            ids = tuple(r.id for r in report.trace.ruleset.rules)
            if rule_id not in ids:
                hint = suggest(rule_id, ids)
                raise click.BadParameter(say(f"没有规则 '{rule_id}'。{hint.get('zh')}",
                                             f"no rule '{rule_id}'. {hint}").strip(), param_hint="--rule")
            return audit.explain_rule(report, rule_id)
        if every:
            return audit.explain_all(report)
        return audit.explain_advice(report)

    guard(body)


@main.command(epilog=EXIT_CODES_HELP, help=said("载入并编译 RULES_DIR 中的规则；列出每一处错误（文件:行:列）。",
                                                "Load and compile the rules in RULES_DIR; report every error "
                                                "(file:line:col)."))
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path))
def check(rules_dir: Path | None) -> None:

    def body() -> str:
        from ..engine.compiler import compile_ruleset
        from ..load.rules import load_rules

        ruleset = load_rules(rules_dir or default_rules())
        compiled = compile_ruleset(ruleset)
        rules, params, branches = len(ruleset.rules), len(ruleset.params), len(compiled.branches)
        return say(f"ok：{rules} 条规则，{params} 个参数，编译为 {branches} 个分支；指纹 {ruleset.fingerprint[:16]}\n",
                   f"ok: {rules} rules, {params} parameters, "
                   f"{branches} compiled branches; fingerprint {ruleset.fingerprint[:16]}\n")

    guard(body)
