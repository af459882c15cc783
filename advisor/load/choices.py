"""Reading a choice as a counsellor writes it: an allowed value (`bank`) or a Chinese word for one (银行),
and the hint when neither: 'did you mean …?', or every allowed value with the Chinese words it accepts. A
general word that names no one choice (网贷) gets the whole list, never a guess."""
from __future__ import annotations

from typing import Any, Callable

from . import values as amounts
from ..errors import suggest
from ..i18n import Said, said


def text(value: Any) -> str:
    """A text field (a name, notes): a string, or a number written as one."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise amounts.Unreadable(said(f"这里应当是文字，却写了 {amounts.shown_repr(value)}",
                                  f"expected text, got {amounts.shown_repr(value)}"),
                             said("写成文字", "write it as text"))


def choice(allowed: tuple[str, ...], aliases: dict[str, str] | None = None,
           general: frozenset[str] = frozenset()) -> Callable[[Any], str]:
    """The reader of a choice: an allowed value or a Chinese word for one (`aliases`)."""
    def read(value: Any) -> str:
        if isinstance(value, (list, dict)):  # `debt_agency: []`: not one word (and unhashable for the lookups)
            kind = "list" if isinstance(value, list) else "mapping"
            kind_zh = "列表" if isinstance(value, list) else "映射"
            raise amounts.Unreadable(said(f"这里应当是可选值中的一个，却写了一个{kind_zh}",
                                          f"expected one of the allowed values, got a {kind}"),
                                     choices_hint("", allowed, aliases, general))
        text = str(value).strip() if isinstance(value, str) else value
        if aliases and text in aliases:
            return aliases[text]
        if text in allowed:
            return str(text)
        raise amounts.Unreadable(said(f"'{amounts.shown(value)}' 不是可选的值",
                                      f"'{amounts.shown(value)}' is not one of the allowed values"),
                                 choices_hint(str(value), allowed, aliases, general))
    return read


def choices_hint(word: str, allowed: tuple[str, ...], aliases: dict[str, str] | None,
                 general_words: frozenset[str] = frozenset()) -> Said:
    """'did you mean …?' (an allowed value or a Chinese word for one), else every allowed value with the
    Chinese words a counsellor may write for it: `bank (银行), consumer_finance (消费金融、消金), …`. A general
    word such as 网贷 names no kind of lender: it gets the whole list, never a guess at one kind."""
    words = aliases or {}
    general = word.strip() in general_words
    close = suggest(word, (*allowed, *words))
    if not general and (close.startswith("did you mean") or not words):
        return close
    chinese = {value: "、".join(w for w, v in words.items() if v == value) for value in allowed}
    en = ", ".join(value + (f" ({chinese[value]})" if chinese[value] else "") for value in sorted(allowed))
    zh = "、".join(value + (f"（{chinese[value]}）" if chinese[value] else "") for value in sorted(allowed))
    if general:
        return said(f"'{word.strip()}' 泛指网上的借款，没有说明出借方是哪一类；请看合同或 App 上的放款机构，写其中一种："
                    f"{zh}；查不清就写 不清楚",
                    f"'{word.strip()}' means any online loan and names no kind of lender; look at the lender named "
                    f"in the contract or the app and write one of: {en}; write 不清楚 (unknown) if it cannot be found out")
    return said(f"可以写：{zh}", f"allowed: {en}")
