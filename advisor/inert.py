"""Inert text: what a case says is shown, never obeyed, by a terminal or a Markdown viewer.

A case's names are the only free text that reaches the output. A terminal obeys control characters
(`\\x1b]0;…\\x07` sets its title, `\\x1b[2J` clears it, `\\r` overwrites a line), bidirectional overrides
reorder what is read, and a line break inside a name starts a line of its own ("## 伪造的建议"). So such
characters are shown as escapes (`\\x1b`, `\\u202e`, `\\n`); Markdown also gets HTML and link syntax escaped.
"""
from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidirectional controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or (
        f"\\x{ord(ch):02x}" if ord(ch) < 0x20 else f"\\u{ord(ch):04x}")  # \u…: still valid inside JSON


def one_line(text: str) -> str:
    """A name as it may be shown anywhere: every control character and line break escaped."""
    return _CONTROL.sub(_escape, text)


def terminal(text: str) -> str:
    """Rendered output for a terminal: its own line breaks and tabs kept, any other control escaped."""
    return _CONTROL_BUT_LINES.sub(_escape, text)


_MARKUP = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "[": "\\[", "]": "\\]"}
_MARKUP_RE = re.compile(r"&(?![a-z]+;)|[<>\[\]]")


def markdown(text: str) -> str:
    """Rendered Markdown: raw HTML and link syntax escaped outside code spans and fenced blocks."""
    out = []
    fenced = False
    for line in terminal(text).split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        parts = line.split("`")
        # parts 0, 2, 4… are outside code spans; after an unpaired last backtick the text is not code either
        outside = {*range(0, len(parts), 2), *([len(parts) - 1] if len(parts) % 2 == 0 else [])}
        for i in outside:
            parts[i] = _MARKUP_RE.sub(lambda m: _MARKUP[m.group()], parts[i])
        out.append("`".join(parts))
    return "\n".join(out)
