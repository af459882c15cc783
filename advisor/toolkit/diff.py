"""Impact stage: the advice every case gets with the old rules and with the new, side by side.

A counsellor reviews a rule edit by its effect: which cases gain, lose, reorder or reword which advice.
The old rules come from a folder (`--old DIR`) or from git (`--base REV`: the rules folder as committed
in that revision, read with `git show`, never checked out over the working files).
"""
from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..advise import Advisor
from ..load.cases import load_case
from ..errors import AdvisorError, Diagnostic
from ..records.replay import Difference, compare, essentials


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
        raise DiffError([Diagnostic("D001", f"cannot read the rules at '{revision}': {exc}",
                                    hint="--base needs a git revision (a commit, a tag, HEAD~1) of the "
                                         "repository holding the rules; or use --old DIR")]) from None
    out = into / "rules"
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name.endswith(".yaml"):
            (out / name).write_bytes(_git_bytes(top, "show", f"{revision}:{inside}/{name}"))
    if not any(out.iterdir()):
        raise DiffError([Diagnostic("D001", f"no rule files in {inside}/ at '{revision}'",
                                    hint="check the revision with `git log -- rules/`")])
    return out


def _git_bytes(cwd: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    if result.returncode != 0:
        raise OSError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return result.stdout


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args).decode("utf-8")


def impact(old: Advisor, new: Advisor, case_files: list[Path]) -> list[CaseChange]:
    """Every case's advice under the old and the new rules; the cases whose advice changed."""
    changes = []
    for path in case_files:
        case = load_case(path)
        before = essentials(old.advise(case))
        after = essentials(new.advise(case))
        diff = compare(before, after)
        if not diff.identical:
            changes.append(CaseChange(str(path), diff))
    return changes


def render(changes: list[CaseChange], total: int, old_label: str) -> str:
    out = [line for change in changes for line in render_change(change)]
    out.append(summary(len(changes), total, old_label))
    return "\n".join(out) + "\n"


def render_change(change: CaseChange) -> list[str]:
    """The lines of one changed case: the case, then + gained, - lost, ~ moved, reworded or refigured."""
    d = change.difference
    out = [change.case]
    out += [f"  + {r}" for r in d.gained]
    out += [f"  - {r}" for r in d.lost]
    out += [f"  ~ {r}: #{a} → #{b}" for r, a, b in d.moved]
    for rule, was, now in d.reworded:
        out += [f"  ~ {rule}: reworded", f"      was: {was}", f"      now: {now}"]
    out += [f"  ~ {k}: {a} → {b}" for k, a, b in d.figures]
    return out


def summary(changed: int, total: int, old_label: str) -> str:
    return f"{changed} of {total} cases change compared with {old_label}"


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="advisor-diff-")
