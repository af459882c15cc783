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
from ..i18n import Said, said

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
            return None, [Diagnostic(code, said("这是一个文件夹，不是文件", "this is a folder, not a file"), whole,
                                     said("请给出一个 YAML 文件的路径", "give the path of one YAML file"))]
        info = path.stat()
        if info.st_size > MAX_BYTES:
            return None, [_too_large(code, whole, said(f"{info.st_size:,} 字节", f"{info.st_size:,} bytes"))]
        if stat.S_ISFIFO(info.st_mode):
            return _read_fifo(path, display, code)
        # Read at most one byte past the limit: a device or pipe (/dev/zero, /dev/stdin) reports size 0
        # and may never end, and must not hang the advisor or fill its memory.
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1), []
    except OSError as exc:
        hint = {FileNotFoundError: said("检查路径和文件名", "check the path and the file name"),
                PermissionError: said("检查这个文件的权限", "check the file's permissions")}.get(type(exc), said("", ""))
        why = reason(exc)
        return None, [Diagnostic(code, said(f"无法读取文件：{why.zh}", f"cannot read file: {why}"), whole, hint)]


def reason(exc: OSError) -> Said:
    """Why a file could not be read, in both languages (the system says it in English only)."""
    why = str(exc.strerror or exc)
    return said({FileNotFoundError: "文件不存在", PermissionError: "没有读取权限",
                 IsADirectoryError: "这是一个文件夹"}.get(type(exc), why), why)


def _read_fifo(path: Path, display: str, code: str) -> tuple[bytes | None, list[Diagnostic]]:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)       # without O_NONBLOCK, open waits for a writer
    with os.fdopen(fd, "rb") as handle:
        if not select.select([fd], [], [], FIFO_WAIT)[0]:
            return None, [Diagnostic(code, said(f"{FIFO_WAIT:g} 秒内没有程序往这个命名管道（FIFO）里写入内容",
                                                f"nothing was written to this FIFO (named pipe) in {FIFO_WAIT:g} s"),
                                     Location(display, 0, 0),
                                     said("先启动写入案例的程序，或者直接给出一个文件",
                                          "start the program that writes the case first, or give a file"))]
        os.set_blocking(fd, True)
        return handle.read(MAX_BYTES + 1), []


def decode(data: bytes, display: str, code: str) -> tuple[Source | None, list[Diagnostic]]:
    """A file's bytes as UTF-8 text, as `read_text` reads them (for bytes read elsewhere, like a batch's)."""
    if len(data) > MAX_BYTES:
        return None, [_too_large(code, Location(display, 0, 0),
                                 said(f"超过 {MAX_BYTES:,} 字节", f"more than {MAX_BYTES:,} bytes"))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(data, exc.start, display, code)]
    if "\0" in text:  # valid UTF-8 but NUL bytes: UTF-16 without a byte-order mark, or not text at all
        return None, [_not_utf8(data, data.index(b"\0"), display, code)]
    return Source(display, text), []


def _too_large(code: str, where: Location, size: Said) -> Diagnostic:
    return Diagnostic(code, said(f"文件太大（{size.zh}；上限 {MAX_BYTES:,} 字节）",
                                 f"file is too large ({size}; limit {MAX_BYTES:,})"), where,
                      said("是不是选错了文件？", "is this the right file?"))


def _not_utf8(data: bytes, start: int, display: str, code: str) -> Diagnostic:
    """Say which encoding the file seems to be in, and how to convert it to UTF-8."""
    line = data[:start].count(b"\n") + 1
    col = start - (data.rfind(b"\n", 0, start) + 1) + 1
    save_as = said("多数编辑器里：另存为 → 编码 → UTF-8", "in most editors: Save As → Encoding → UTF-8")
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            return Diagnostic(code, said(f"文件是 {name} 编码的文本，不是 UTF-8", f"file is {name} text, not UTF-8"),
                              Location(display, 1, 1),
                              said(f"请另存为 UTF-8（{save_as.zh}），或者：iconv -f {name} -t UTF-8 {display} > new.yaml",
                                   f"save it as UTF-8 ({save_as}), or: iconv -f {name} -t UTF-8 {display} > new.yaml"))
    if data.count(b"\0") * 3 >= len(data) and _decodes(data, "utf-16-le" if data[1:2] == b"\0" else "utf-16-be"):
        return Diagnostic(code, said("文件看起来是 UTF-16 编码的文本，不是 UTF-8", "file looks like UTF-16 text, not UTF-8"),
                          Location(display, 1, 1),
                          said(f"请另存为 UTF-8（{save_as.zh}），或者：iconv -f UTF-16 -t UTF-8 {display} > new.yaml",
                               f"save it as UTF-8 ({save_as}), or: iconv -f UTF-16 -t UTF-8 {display} > new.yaml"))
    if b"\0" not in data and _decodes(data, "gb18030"):
        return Diagnostic(code, said("文件不是 UTF-8 文本：看起来是 GBK/GB18030 编码（中文 Windows 上常见）",
                                     "file is not UTF-8 text: it looks like GBK/GB18030 (usual on Chinese Windows)"),
                          Location(display, line, col),
                          said(f"请另存为 UTF-8（{save_as.zh}；WPS/记事本：另存为 → 编码 UTF-8），"
                               f"或者：iconv -f GB18030 -t UTF-8 {display} > new.yaml",
                               f"save it as UTF-8 ({save_as}; WPS/Notepad: 另存为 → 编码 UTF-8), "
                               f"or: iconv -f GB18030 -t UTF-8 {display} > new.yaml"))
    return Diagnostic(code, said("文件不是 UTF-8 文本（是二进制数据，或编码认不出）",
                                 "file is not UTF-8 text (binary data, or an unknown encoding)"),
                      Location(display, line, col),
                      said(f"请给出一个存为 UTF-8 的 YAML 文本文件（{save_as.zh}）",
                           f"give a YAML text file saved as UTF-8 ({save_as})"))


def _decodes(data: bytes, encoding: str) -> bool:
    """True if the bytes are text in this encoding: they decode, without control characters."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return not any(ch < " " and ch not in "\t\r\n" for ch in text)
