"""Impact stage: the advice every case gets with the old rules and with the new, side by side.

A counsellor reviews a rule edit by its effect: which cases gain, lose, reorder or reword which advice.
The old rules come from a folder (`--old DIR`) or from git (`--base REV`: the rules folder as committed
in that revision, read with `git show`, never checked out over the working files).
"""
from __future__ import annotations

import dataclasses
import json
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..advise import Advisor
from ..load.cases import load_case, load_case_text
from ..errors import AdvisorError, Diagnostic
from ..i18n import pick, said
from ..records.replay import Difference, compare, essentials
from ..model import Case
from .batch import TRIMMER, Item


class DiffError(AdvisorError):
    """The old rules cannot be read (no git, unknown revision, no rules folder there)."""

    exit_code = 2


@dataclass(frozen=True)
class CaseChange:
    case: str
    difference: Difference


def rules_at(revision: str, rules_dir: Path, into: Path) -> Path:
    """Write the rule files of `rules_dir` as committed at `revision` into `into`; return that folder."""
    folder = rules_dir.resolve()
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
        inside = folder.relative_to(top).as_posix()
        names = _git(top, "ls-tree", "--name-only", f"{revision}:{inside}").split()
    except (OSError, ValueError) as exc:
        raise DiffError([Diagnostic("D001", said(f"无法读取版本 '{revision}' 的规则：{exc}",
                                                 f"cannot read the rules at '{revision}': {exc}"),
                                    hint=said("--base 需要放规则的 git 仓库里的一个版本（一次提交、一个标签、HEAD~1）；"
                                              "或者改用 --old DIR",
                                              "--base needs a git revision (a commit, a tag, HEAD~1) of the "
                                              "repository holding the rules; or use --old DIR"))]) from None
    out = into / "rules"
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name.endswith(".yaml"):
            (out / name).write_bytes(_git_bytes(top, "show", f"{revision}:{inside}/{name}"))
    if not any(out.iterdir()):
        raise DiffError([Diagnostic("D001", said(f"版本 '{revision}' 的 {inside}/ 里没有规则文件",
                                                 f"no rule files in {inside}/ at '{revision}'"),
                                    hint=said("用 `git log -- rules/` 核对这个版本",
                                              "check the revision with `git log -- rules/`"))])
    return out


def _git_bytes(cwd: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    if result.returncode != 0:
        raise OSError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return result.stdout


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args).decode("utf-8")


def impact(old: Advisor, new: Advisor, case_files: Iterable[Path]) -> list[CaseChange]:
    """Every case's advice under the old and the new rules; the cases whose advice changed (one case at a
    time: only the changes are kept)."""
    changes = []
    for path in case_files:
        change = case_change(old, new, path)
        if change is not None:
            changes.append(change)
    return changes


def case_change(old: Advisor, new: Advisor, path: Path, text: str | None = None) -> CaseChange | None:
    """One case under both rule sets: its change, or None. `text`: the case file's text, if already read."""
    return _compared(old, new, str(path), load_case(path) if text is None else load_case_text(text, str(path)))


def _compared(old: Advisor, new: Advisor, key: str, case: Case) -> CaseChange | None:
    diff = compare(essentials(old.advise(case)), essentials(new.advise(case)))
    TRIMMER.done()                                 # a long run gives freed memory back (toolkit/trim.py)
    return None if diff.identical else CaseChange(key, diff)


def impact_jobs(old: Advisor, new: Advisor, folders: tuple[Path, Path], case_files: Iterable[Path],
                jobs: int) -> list[CaseChange]:
    """`impact` over `jobs` worker processes (each builds both rule sets once from `folders`, old and new),
    in the order of `case_files`, with the same answer. A case with errors is run again here, so that it
    stops the diff with the very error `impact` gives; a case that kills its worker stops it too."""
    from . import workers
    from .batch import _file_item

    setup = json.dumps([str(folders[0]), str(folders[1])])
    changes = []
    for item, line in workers.results((_file_item(path) for path in case_files), setup, jobs, diff_line,
                                      setup=start_pair):
        row = json.loads(line)
        if row["status"] == "changed":
            changes.append(CaseChange(row["key"], _difference(row["difference"])))
        elif row["status"] == "error":
            impact(old, new, [Path(item.path)])       # raises the case's own error, as `impact` would
            raise DiffError([Diagnostic("D002", said(
                f"{item.path}：比较时工作进程出错（{row['errors'][0]['message']}）",
                f"{item.path}: the worker comparing it failed ({row['errors'][0]['message']})"),
                hint=said("单独运行这个案例：advisor run " + item.path,
                          "run the case alone: advisor run " + item.path))])
    return changes


def _difference(d: dict[str, Any]) -> Difference:
    """A Difference back from its JSON form (its triples came back as lists)."""
    return Difference(list(d["gained"]), list(d["lost"]), [tuple(m) for m in d["moved"]],
                      [tuple(r) for r in d["reworded"]], [tuple(f) for f in d["figures"]],
                      bool(d["ruleset_changed"]))


_PAIR: tuple[Advisor, Advisor] | None = None


def start_pair(folders: str) -> None:
    """Worker set-up for `impact_jobs`: both rule sets, old then new (a JSON list of the two folders)."""
    global _PAIR
    old_dir, new_dir = json.loads(folders)
    _PAIR = (Advisor.from_folder(Path(old_dir)), Advisor.from_folder(Path(new_dir)))


def diff_line(item: Item) -> str:
    """One case compared in a worker, as a JSON line: changed (with the difference), same, or error."""
    from .batch import case_of

    assert _PAIR is not None, "start_pair first"
    row: dict[str, Any] = {"key": item.path}
    try:
        change = _compared(*_PAIR, item.path, case_of(item))      # read as batch reads it
        if change is None:
            row["status"] = "same"
        else:
            row.update(status="changed", difference=dataclasses.asdict(change.difference))
    except Exception as exc:   # the driver runs the case again to report it exactly
        row.update(status="error", errors=[{"message": f"{type(exc).__name__}: {exc}"}])
    return json.dumps(row, ensure_ascii=False)


def render(changes: list[CaseChange], total: int, old_label: str, lang: str = "en") -> str:
    out = [line for change in changes for line in render_change(change, lang)]
    out.append(summary(len(changes), total, old_label, lang))
    return "\n".join(out) + "\n"


def render_change(change: CaseChange, lang: str = "en") -> list[str]:
    """The lines of one changed case: the case, then + gained, - lost, ~ moved, reworded or refigured."""
    d = change.difference
    out = [change.case]
    out += [f"  + {r}" for r in d.gained]
    out += [f"  - {r}" for r in d.lost]
    out += [f"  ~ {r}: #{a} → #{b}" for r, a, b in d.moved]
    for rule, was, now in d.reworded:
        out += [pick(lang, f"  ~ {rule}：措辞变了", f"  ~ {rule}: reworded"), pick(lang, f"      原来：{was}", f"      was: {was}"),
                pick(lang, f"      现在：{now}", f"      now: {now}")]
    out += [f"  ~ {k}: {a} → {b}" for k, a, b in d.figures]
    return out


def summary(changed: int, total: int, old_label: str, lang: str = "en") -> str:
    return pick(lang, f"与 {old_label} 相比，{total} 个案例中有 {changed} 个发生变化",
                f"{changed} of {total} cases change compared with {old_label}")


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="advisor-diff-")
