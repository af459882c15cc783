"""Case stage, the letters' personal fields (issue 16): the borrower's masked ID number, phone, a card's
last four digits and the names a letter is addressed with, read so that a letter carries what a lender can use.

A full ID number is refused, not masked on the way in: a case file is copied, mailed and stored in
decision records (records/), so the full number must never be written into it, and masking it silently
would change what the user wrote. Letters only need the masked form (a lender finds the account by the
name, the registered phone and the contract number). The phone and the last four digits must be quoted
text: other YAML tools (and the web form's round trip) read an unquoted 0427 as a number and drop its 0."""
from __future__ import annotations

import re
from typing import Any, Callable

from ..i18n import said
from ..inert import one_line
from .values import Unreadable, shown

# The same patterns are the JSON Schema's (toolkit/schema_values.py): leading and trailing spaces allowed.
ID_MASKED = r"\s*[0-9Xx]{0,6}[*＊]{4,}[0-9Xx]{0,4}\s*"
PHONE = r"(?=(?:[^0-9]*[0-9]){4})\s*\+?[0-9 *＊-]{7,20}\s*"
LAST4 = r"\s*[0-9]{4}\s*"
_ID_FULL = re.compile(r"^[0-9]{17}[0-9Xx]$|^[0-9]{15}$")
MAX_TEXT = 80


# What each field is called in a message: (zh, en).
_WHAT = {"ID number": "身份证号", "phone number": "电话号码", "card's last four digits": "卡号后四位",
         "name": "姓名", "lender's full name": "出借方全称", "contract number": "合同编号"}


def _quoted(value: Any, what: str, example: str) -> str:
    if not isinstance(value, str):
        raise Unreadable(said(f"{_WHAT[what]}要加引号写成文字，这里是 {shown(value)}",
                              f"the {what} must be quoted text, got {shown(value)}"),
                         said(f"加上引号，例如 {example}", f"write it in quotes, e.g. {example}"))
    return value.strip()


def id_number(value: Any) -> str:
    """A masked ID number (1101**********1234); a full 15- or 18-digit number is refused with a hint."""
    text = _quoted(value, "ID number", "'1101**********1234'") if not isinstance(value, int) or isinstance(
        value, bool) else str(value)
    if _ID_FULL.match(text):
        raise Unreadable(said("完整身份证号不能写进案例", "a full ID number is not stored in a case file"),
                         said("只写遮盖后的号码：前 4 位和后 4 位，中间用星号（1101**********1234）",
                              "write it masked: the first 4 and last 4 digits, stars between (1101**********1234)"))
    if isinstance(value, int) or not re.fullmatch(ID_MASKED, text):
        raise Unreadable(said(f"'{shown(text)}' 不是遮盖后的身份证号", f"'{shown(text)}' is not a masked ID number"),
                         said("写前几位和后 4 位，中间用星号，例如 1101**********1234",
                              "write the first digits and the last 4 with stars between, e.g. 1101**********1234"))
    return text


def phone(value: Any) -> str:
    text = _quoted(value, "phone number", "'138 0000 0000'")
    if not re.fullmatch(PHONE, text):
        raise Unreadable(said(f"'{shown(text)}' 不是电话号码", f"'{shown(text)}' is not a phone number"),
                         said("写数字，例如 '138 0000 0000'", "write the digits, e.g. '138 0000 0000'"))
    return text


def card_last4(value: Any) -> str:
    text = _quoted(value, "card's last four digits", "'0427'")
    if not re.fullmatch(LAST4, text):
        raise Unreadable(said(f"'{shown(text)}' 不是四位数字", f"'{shown(text)}' is not four digits"),
                         said("只写卡号后四位，例如 '0427'", "write only the last four digits, e.g. '0427'"))
    return text


def text(what: str) -> Callable[[Any], str]:
    """A name or number written as text (a number is kept as written); at most 80 characters, inert."""
    def read(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise Unreadable(said(f"{_WHAT[what]}应写成文字，这里是 {shown(value)}",
                                  f"expected the {what} as text, got {shown(value)}"),
                             said(f"把{_WHAT[what]}写成文字", f"write the {what} as text"))
        written = str(value).strip()
        if len(written) > MAX_TEXT:
            raise Unreadable(said(f"{_WHAT[what]}超过 {MAX_TEXT} 个字符",
                                  f"the {what} is longer than {MAX_TEXT} characters"),
                             said("只写名称或编号", "write only the name or the number"))
        return one_line(written)
    return read


READERS: dict[str, Callable[[Any], Any]] = {
    "borrower.name": text("name"), "borrower.id_number": id_number, "borrower.phone": phone,
    "loan.lender_name": text("lender's full name"), "loan.contract_number": text("contract number"),
    "loan.card_last4": card_last4}
CHANNEL_ALIASES = {"App": "app", "APP": "app", "站内信": "app", "在线客服": "app", "工单": "app",
                   "邮件": "email", "电子邮件": "email", "邮箱": "email", "邮寄": "post", "挂号信": "post",
                   "EMS": "post", "快递": "post", "微信": "wechat", "当面": "in_person", "面交": "in_person"}
