"""Errors as data: every problem is a Diagnostic; every error class maps to one exit code."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .format import cells
from .i18n import Said, display_lang, pick, said

# Exit codes (documented in README.md, "Exit codes"). The CLI maps errors to codes here only.
EXIT_OK = 0
EXIT_DIFFERS = 1        # a check found differences (advisor audit replay)
EXIT_USAGE = 2          # click's own code for a bad command line
EXIT_CASE = 3           # the case file is malformed
EXIT_RULES = 4          # the rule or parameter files are malformed
EXIT_ENGINE = 5         # the rules engine is unavailable or failed
EXIT_RECORD = 6         # the decision-record database is unreadable or refused the record
EXIT_OUTPUT = 7         # an output file or folder cannot be written (missing folder, full disk, no permission)
EXIT_INTERNAL = 70      # a bug in the advisor itself, reported in one line without a traceback (EX_SOFTWARE)


@dataclass(frozen=True)
class Location:
    """A place in a source file: 1-based line and column; line 0 means the file as a whole."""

    file: str
    line: int
    col: int
    source_line: str = ""
    width: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}" if self.line else self.file


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a user's file: a code, where, what, and what to do."""

    code: str
    message: str | Said     # Said: both languages, chosen when the diagnostic is shown
    location: Location | None = None
    hint: str | Said = ""
    severity: str = "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.col, self.code) if loc else ("", 0, 0, self.code)

    def render(self, lang: str | None = None) -> str:
        """`file:line:col: error[CODE]: message`, the source line with a caret, then the hint; the words in
        `lang` (default: ADVISOR_LANG, else Chinese)."""
        lang = display_lang(lang)
        where = f"{self.location}: " if self.location else ""
        out = [f"{where}{self.severity}[{self.code}]: {_words(self.message, lang)}"]
        loc = self.location
        if loc and loc.source_line:
            line, col = _clip(loc.source_line.rstrip("\n"), loc.col)
            out.append(f"    {line}")
            # The caret sits under the column, counting wide (CJK) characters as two cells.
            prefix = cells(line[: col - 1])
            under = cells(line[col - 1: col - 1 + loc.width])
            out.append("    " + " " * prefix + "^" * max(1, min(under, 80)))
        if self.hint:
            out.append(f"{pick(lang, '提示', 'hint')}: {_words(self.hint, lang)}")
        return "\n".join(out)


def _words(text: str | Said, lang: str) -> str:
    return text.get(lang) if isinstance(text, Said) else text


def _clip(line: str, col: int, room: int = 100) -> tuple[str, int]:
    """A very long source line (a 10,000-character condition, a minified file) cut to `room` characters
    around the column, with '…' where text was cut; returns the line and the column within it."""
    if len(line) <= room:
        return line, col
    start = max(0, min(col - 1 - room // 3, len(line) - room))
    clipped = line[start: start + room]
    if start:
        clipped, col = "…" + clipped, col - start + 1
    if start + room < len(line):
        clipped += "…"
    return clipped, col


class AdvisorError(Exception):
    """Base of every error the advisor reports to a user; carries diagnostics and an exit code."""

    exit_code = EXIT_INTERNAL

    def __init__(self, diagnostics: Iterable[Diagnostic] | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("E000", diagnostics)]
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__("\n".join(d.render() for d in self.diagnostics))

    def render(self, lang: str | None = None) -> str:
        return "\n\n".join(d.render(lang) for d in self.diagnostics)


class CaseError(AdvisorError):
    """The case file cannot be read as a case."""

    exit_code = EXIT_CASE


class RuleError(AdvisorError):
    """A rule or parameter file is wrong; the advisor refuses to run on it."""

    exit_code = EXIT_RULES


class EngineError(AdvisorError):
    """durable_rules is missing, broken, or failed while evaluating a case."""

    exit_code = EXIT_ENGINE


class Withheld(AdvisorError):
    """The advisor will not draft this document (P001: a letter on a debt held for the limitation check)."""

    exit_code = EXIT_DIFFERS


class RecordError(AdvisorError):
    """The decision-record database is unreadable or refused the record (R001-R006)."""

    exit_code = EXIT_RECORD


class OutputError(AdvisorError):
    """A file the advisor was asked to write (results, letters, a page) cannot be written (W001)."""

    exit_code = EXIT_OUTPUT

    @classmethod
    def writing(cls, path: object, exc: OSError) -> "OutputError":
        import errno

        plain = exc.strerror or str(exc)
        why, hint = {
            errno.ENOSPC: (said("磁盘已满", "the disk is full"),
                           said("腾出一些空间，或写到另一块磁盘，然后再运行", "free some space, or write to another disk; then run again")),
            errno.EDQUOT: (said("磁盘配额已用完", "the disk quota is used up"),
                           said("腾出一些空间，然后再运行", "free some space; then run again")),
            errno.ENOENT: (said("文件夹不存在", "the folder does not exist"),
                           said("先建好这个文件夹，或换一个文件夹", "create the folder first, or name another one")),
            errno.EACCES: (said("没有写入权限", "permission denied"), said("检查这个文件夹的权限", "check the folder's permissions")),
            errno.EROFS: (said("文件系统是只读的", "the file system is read-only"), said("写到别的地方", "write somewhere else")),
        }.get(exc.errno or 0, (said(plain, plain), said("检查路径、剩余空间和权限",
                                                        "check the path, the free space and the permissions")))
        return cls([Diagnostic("W001", said(f"无法写入 {path}：{why.zh}", f"cannot write {path}: {why}"), hint=hint)])

def suggest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> Said:
    """A 'did you mean' hint, or the allowed choices when nothing is close (empty when they are too many to
    list), in both languages."""
    import difflib      # only when a hint is needed: it is not on the way of a good run

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if close:
        return said(f"你是不是想写 '{close[0]}'？", f"did you mean '{close[0]}'?")
    listed = ", ".join(sorted(choices))
    return said(f"可以写：{listed}", f"allowed: {listed}") if len(listed) < 300 else said("", "")
