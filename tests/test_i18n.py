"""The word catalogue: every group and phrase exists in both languages, with the same values to fill."""
from __future__ import annotations

import string

from advisor.i18n import GROUPS, LANGS, PHRASES, pick, t, words


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_i18n_every_group_has_the_same_keys_in_each_language():
    for group, by_lang in GROUPS.items():
        assert set(by_lang) == set(LANGS), group
        assert set(by_lang["zh"]) == set(by_lang["en"]), group


def test_i18n_every_phrase_fills_the_same_values_in_each_language():
    for key, (zh, en) in PHRASES.items():
        assert zh and en, key
        assert _fields(zh) == _fields(en), key


def test_i18n_chinese_is_the_default():
    assert pick("zh", "甲", "a") == "甲" and pick("en", "甲", "a") == "a" and pick("fr", "甲", "a") == "甲"
    assert t("cny", "zh", value="12,000") == "12,000 元" and t("cny", "en", value="12,000") == "¥12,000"
    assert words("states", "zh")["fired"] == "已触发" and words("states", "en")["fired"] == "fired"
