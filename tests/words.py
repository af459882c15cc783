"""A check shared by the diagnostics tests: a diagnostic speaks Chinese (the default) and English."""
from __future__ import annotations

import re

from advisor.errors import Diagnostic
from advisor.i18n import Said

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_bilingual(diag: Diagnostic) -> None:
    """The message and hint exist in Chinese as well as English; the code and the place read the same in both."""
    for words in (diag.message, diag.hint) if diag.hint else (diag.message,):
        assert isinstance(words, Said) and words.zh != str(words), diag.render("en")
        assert CJK.search(words.zh), words.zh
    chinese, english = diag.render("zh"), diag.render("en")
    assert chinese.splitlines()[0].split("]: ")[0] == english.splitlines()[0].split("]: ")[0]   # file:line:col: error[CODE]
    assert ("提示: " in chinese and "hint: " in english) if diag.hint else "提示" not in chinese
