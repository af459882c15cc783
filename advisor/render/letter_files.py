"""A rendered letter as a file to send: the same text as Word (DOCX, python-docx) or as an HTML page that
chromium prints to PDF (web/pdf.py). Both are built line by line from the one rendered text, so the three
outputs carry the same content. Case text is inert: HTML is escaped, control characters were escaped when
the case was read (inert.py), and a DOCX holds text runs only."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import zipfile

from ..inert import terminal

FONT = "Noto Sans Mono CJK SC"      # fixed width: the budget sheet's and the schedule's columns stay aligned
WORD_FONT = "NSimSun"               # 新宋体, on every Chinese Windows; also fixed width for CJK
FIXED = (1980, 1, 1, 0, 0, 0)       # zip entries' time: the same letter gives the same bytes

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: 16mm 13mm; }}
body {{ font-family: "{font}", "Noto Sans CJK SC", monospace; font-size: 9pt; line-height: 1.5; color: #000; }}
pre {{ font: inherit; white-space: pre-wrap; word-break: break-word; margin: 0; }}
h1 {{ font-size: 15pt; text-align: center; margin: 0 0 8pt; }}
</style></head>
<body><h1>{title}</h1><pre>{body}</pre></body></html>
"""


def _split(text: str) -> tuple[str, list[str]]:
    lines = terminal(text).rstrip("\n").split("\n")
    return (lines[0], lines[1:]) if lines else ("", [])


def html(text: str) -> str:
    """The letter as a print page: its first line is the title; every character of the text is escaped."""
    title, rest = _split(text)
    while rest and not rest[0].strip():
        rest = rest[1:]
    return PAGE.format(title=html_lib.escape(title), font=FONT, body=html_lib.escape("\n".join(rest)))


def docx(text: str, day: dt.datetime = dt.datetime(2000, 1, 1)) -> bytes:
    """The letter as a Word document: a centred title, then one paragraph per line, in a fixed-width font."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(16)
    section.top_margin = section.bottom_margin = Mm(18)
    style = document.styles["Normal"]
    style.font.name, style.font.size = WORD_FONT, Pt(10)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), WORD_FONT)
    style.paragraph_format.space_after = Pt(0)
    title, rest = _split(text)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold, run.font.size = True, Pt(15)
    for line in rest:
        document.add_paragraph().add_run(line)
    core = document.core_properties
    core.author = core.last_modified_by = "advisor"
    core.title = title
    core.created = core.modified = core.last_printed = day
    core.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_times(raw.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same zip with every entry's time fixed (python-docx stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """The text of a DOCX this module wrote, a line per paragraph (for checking that it says the same)."""
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs) + "\n"
