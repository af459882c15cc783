"""Appending a journal entry to a case file (issue 17): a textual insertion after the journal's last item
(or a new `journal:` block at the end), so every other byte of the file (comments, order, quoting, flow
mappings) stays as the counsellor wrote it; the whole new text is read back with the case reader before
anything is written, and written by temp file + os.replace, so a bad entry leaves the file untouched.

Why not a round-trip YAML library (ruamel.yaml): it re-emits the whole document, normalising indentation,
quoting and flow style of lines nobody touched; an insertion changes nothing but the lines added."""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Mapping

from ..errors import CaseError, Diagnostic, Location
from ..i18n import said
from ..load.cases import load_case_text
from ..load.read import Source, read_text
from ..load.source import parse_yaml
from ..model import Case

_PLAIN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$|^[A-Za-z_]+$")


def _scalar(value: str) -> str:
    """A value as YAML: a date or a plain word as is, anything else as a JSON string (valid YAML)."""
    return value if _PLAIN.match(value) and value.lower() not in ("yes", "no", "on", "off", "null", "true",
                                                                  "false", "y", "n") else json.dumps(value, ensure_ascii=False)


def entry_text(fields: Mapping[str, str], indent: str) -> str:
    """The entry as block YAML lines at `indent` (the column of the journal's dashes)."""
    lines = []
    for n, (key, value) in enumerate(fields.items()):
        lead = f"{indent}- " if n == 0 else f"{indent}  "
        lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def with_entry(text: str, display: str, fields: Mapping[str, str]) -> str:
    """The file's text with the entry added; CaseError (nothing written) when the journal cannot take it."""
    root, problems = parse_yaml(Source(display, text), "Y000")
    if root is None:
        raise CaseError(problems)
    journal = root.value.get("journal") if root.is_map() else None
    if journal is None or journal.value is None:
        if journal is not None:          # `journal:` with nothing under it
            end = text.find("\n", journal.start)
            cut = len(text) if end == -1 else end + 1
            head = text[:cut] if end != -1 else text + "\n"
            return head + entry_text(fields, "  ") + text[cut:]
        sep = "" if text.endswith("\n") or not text else "\n"
        return text + sep + "journal:\n" + entry_text(fields, "  ")
    if not journal.is_seq() or text[journal.start:journal.start + 1] == "[":
        raise CaseError([journal.at(said("日志不是逐行列表（- date: …），无法安全追加",
                                         "the journal is not a block list (- date: …), so an entry cannot be "
                                         "added safely"), "C055",
                                    said("把 journal 改成每条一项、以 '- ' 开头的列表", "write the journal as one "
                                         "'- ' item per entry"))])
    indent = " " * (journal.col - 1)                 # the column of the journal's dashes
    last = journal.value[-1]
    line_end = text.find("\n", max(last.start, last.end - 1))
    cut = len(text) if line_end == -1 else line_end + 1
    head = text[:cut] if line_end != -1 else text + "\n"
    return head + entry_text(fields, indent) + text[cut:]


def add_entry(path: Path, fields: Mapping[str, str]) -> Case:
    """Append the entry to the case file at `path`, atomically; the case as read back. Raises CaseError
    (the file untouched) when the file or the new entry has a problem."""
    display = str(path)
    source, problems = read_text(path, display, "Y000")
    if source is None:
        raise CaseError(problems)
    text = source.text
    new = with_entry(text, display, fields)
    before = _count(text, display)
    case = load_case_text(new, display)          # every problem of the new entry, at its line and column
    if len(case.journal) != before + 1:   # pragma: no cover - the insertion landed outside the journal
        raise CaseError([Diagnostic("C055", said("新记录没有落在日志里", "the new entry did not land in the journal"),
                                    Location(display, 0, 0))])
    folder = path.resolve().parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(new)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return case


def _count(text: str, display: str) -> int:
    try:
        return len(load_case_text(text, display).journal)
    except CaseError:
        return -1          # the file itself has problems: load_case_text of the new text reports them
