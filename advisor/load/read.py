"""Reading a case or rule file: its bytes (a file, stdin or a FIFO, within a size limit), then its text
(UTF-8, with or without a BOM; any other encoding named in the diagnostic)."""
from __future__ import annotations

import codecs
import os
import select
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, Location

MAX_BYTES = 2 * 1024 * 1024  # a case or rule file is a few KB; refuse anything absurdly large
FIFO_WAIT = 10.0             # seconds to wait for a program to write into a FIFO given as a case file


@dataclass
class Source:
    """The text of one file, kept to quote lines in diagnostics."""

    name: str
    text: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def location(self, line: int, col: int, width: int = 1) -> Location:
        return Location(self.name, line, col, self.line(line), width)


def read_text(path: Path, display: str, code: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read a file as UTF-8 text; a missing, unreadable, oversized or non-UTF-8 file is a diagnostic."""
    data, problems = read_bytes(path, display, code)
    return decode(data, display, code) if data is not None else (None, problems)


def read_bytes(path: Path, display: str, code: str) -> tuple[bytes | None, list[Diagnostic]]:
    """A file's bytes, read once (`-` is standard input), or why not. A FIFO no program writes to within
    FIFO_WAIT seconds is a diagnostic, not a hang."""
    whole = Location(display, 0, 0)  # the problem is the file itself, not a place in it
    try:
        if str(path) == "-":
            return sys.stdin.buffer.read(MAX_BYTES + 1), []
        if path.is_dir():
            return None, [Diagnostic(code, "this is a folder, not a file", whole, "give the path of one YAML file")]
        info = path.stat()
        if info.st_size > MAX_BYTES:
            return None, [_too_large(code, whole, f"{info.st_size:,} bytes")]
        if stat.S_ISFIFO(info.st_mode):
            return _read_fifo(path, display, code)
        # Read at most one byte past the limit: a device or pipe (/dev/zero, /dev/stdin) reports size 0
        # and may never end, and must not hang the advisor or fill its memory.
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1), []
    except OSError as exc:
        hint = {FileNotFoundError: "check the path and the file name",
                PermissionError: "check the file's permissions"}.get(type(exc), "")
        return None, [Diagnostic(code, f"cannot read file: {exc.strerror or exc}", whole, hint)]


def _read_fifo(path: Path, display: str, code: str) -> tuple[bytes | None, list[Diagnostic]]:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)       # without O_NONBLOCK, open waits for a writer
    with os.fdopen(fd, "rb") as handle:
        if not select.select([fd], [], [], FIFO_WAIT)[0]:
            return None, [Diagnostic(code, f"nothing was written to this FIFO (named pipe) in {FIFO_WAIT:g} s",
                                     Location(display, 0, 0),
                                     "start the program that writes the case first, or give a file")]
        os.set_blocking(fd, True)
        return handle.read(MAX_BYTES + 1), []


def decode(data: bytes, display: str, code: str) -> tuple[Source | None, list[Diagnostic]]:
    """A file's bytes as UTF-8 text, as `read_text` reads them (for bytes read elsewhere, like a batch's)."""
    if len(data) > MAX_BYTES:
        return None, [_too_large(code, Location(display, 0, 0), f"more than {MAX_BYTES:,} bytes")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(data, exc.start, display, code)]
    if "\0" in text:  # valid UTF-8 but NUL bytes: UTF-16 without a byte-order mark, or not text at all
        return None, [_not_utf8(data, data.index(b"\0"), display, code)]
    return Source(display, text), []


def _too_large(code: str, where: Location, size: str) -> Diagnostic:
    return Diagnostic(code, f"file is too large ({size}; limit {MAX_BYTES:,})", where, "is this the right file?")


def _not_utf8(data: bytes, start: int, display: str, code: str) -> Diagnostic:
    """Say which encoding the file seems to be in, and how to convert it to UTF-8."""
    line = data[:start].count(b"\n") + 1
    col = start - (data.rfind(b"\n", 0, start) + 1) + 1
    save_as = "in most editors: Save As → Encoding → UTF-8"
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            return Diagnostic(code, f"file is {name} text, not UTF-8", Location(display, 1, 1),
                              f"save it as UTF-8 ({save_as}), or: iconv -f {name} -t UTF-8 {display} > new.yaml")
    if data.count(b"\0") * 3 >= len(data) and _decodes(data, "utf-16-le" if data[1:2] == b"\0" else "utf-16-be"):
        return Diagnostic(code, "file looks like UTF-16 text, not UTF-8", Location(display, 1, 1),
                          f"save it as UTF-8 ({save_as}), or: iconv -f UTF-16 -t UTF-8 {display} > new.yaml")
    if b"\0" not in data and _decodes(data, "gb18030"):
        return Diagnostic(code, "file is not UTF-8 text: it looks like GBK/GB18030 (usual on Chinese Windows)",
                          Location(display, line, col),
                          f"save it as UTF-8 ({save_as}; WPS/Notepad: 另存为 → 编码 UTF-8), "
                          f"or: iconv -f GB18030 -t UTF-8 {display} > new.yaml")
    return Diagnostic(code, "file is not UTF-8 text (binary data, or an unknown encoding)",
                      Location(display, line, col), f"give a YAML text file saved as UTF-8 ({save_as})")


def _decodes(data: bytes, encoding: str) -> bool:
    """True if the bytes are text in this encoding: they decode, without control characters."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return not any(ch < " " and ch not in "\t\r\n" for ch in text)
