"""Plan stage, a folder of letters (issue 16): every letter and script that fits each lender, named from
the plan's slug, with a list saying what each is for and why a lender has none. Deterministic: the same
case and rules give the same files, byte for byte."""
from __future__ import annotations

from pathlib import Path

from ..report import Report
from . import letters
from .library import fits, held_reason

INDEX = "00-信件清单.txt"


def drafts(report: Report, folder: Path | None = None) -> list[tuple[str, str]]:
    """(file name, text) of every letter that fits, then the list; a debt held for the limitation check gets
    none (the plan says: take advice before any contact), `advisor letter --kind statement` drafts the safe one."""
    assert report.trace is not None
    case, plan = report.trace.case, report.plan
    out: list[tuple[str, str]] = []
    lines = [f"信件清单 · {case.name} · {report.as_of.isoformat()}",
             "每封信发出前：填好【请填写：…】的空，核对数字，签名；留一份复印件或截图。", ""]
    for loan in case.loans or ():
        lines.append(f"{loan.index + 1:02d} {loan.name}")
        reason = held_reason(plan, loan)
        if reason is not None:
            lines.append(f"  · 没有起草信件：{reason.get('zh')}")
            lines.append(f"    咨询之后，如需要，可用 advisor letter CASE --loan {loan.index + 1} --kind statement "
                         "起草不确认金额的查询函。")
            continue
        found = fits(case, plan, loan)
        if loan.lenders > 1:
            lines.append(f"  · 这一行代表 {loan.lenders} 家出借方：请在案例中逐家列出，才能给每家写带金额的申请。")
        if not found:
            lines.append("  · 没有适用的信件：" + _why_none(report, loan.index))
        for fit in found:
            name = letters.file_name(loan.index, loan.name, fit.kind.id)
            out.append((name, letters.render(report, loan.index, fit.kind.id, folder)))
            lines.append(f"  · {name}：{fit.why.get('zh')}")
        lines.append("")
    out.append((INDEX, "\n".join(lines).rstrip("\n") + "\n"))
    return out


def _why_none(report: Report, index: int) -> str:
    plan = report.plan
    if plan is None:
        return "规则文件夹里没有方案参数。"
    if plan.missing:
        return "案例缺少收入、支出等信息，还算不出方案；补齐后再生成。"
    if plan.affordable:
        return "按目前收支，合同月供在能力范围内：继续按时还款即可。"
    if not any(o.loan == index for o in plan.offers):
        return "这是优先债务（法院判决或抵押），或金额还不清楚：请按原合同先还，并先咨询律师或 12348。"
    return "目前的情况不需要写信。"
