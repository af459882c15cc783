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


def test_said_keeps_both_languages_when_pickled_and_joined():
    import pickle

    from advisor.i18n import said

    both = pickle.loads(pickle.dumps(said("中文", "English")))          # batch workers send diagnostics back
    assert (str(both), both.zh) == ("English", "中文")
    joined = said("甲", "a") + said("乙", "b") + "!"
    assert (str(joined), joined.zh) == ("ab!", "甲乙!")


def test_display_language_is_explicit_else_advisor_lang_else_chinese(monkeypatch):
    from advisor.i18n import display_lang

    monkeypatch.delenv("ADVISOR_LANG", raising=False)
    assert display_lang() == "zh" and display_lang("en") == "en"
    monkeypatch.setenv("ADVISOR_LANG", "en_US.UTF-8")
    assert display_lang() == "en" and display_lang("zh") == "zh"


from advisor.i18n import said as _said  # noqa: E402

HELP = _said("模块里的帮助。", """Help written
    at module level.""")          # as a click option's help is: click cleans it into a plain str


def test_a_help_text_defined_at_module_level_is_found_again_from_its_cleaned_english():
    import inspect

    from advisor.i18n import defined, said

    assert defined(inspect.cleandoc(str(HELP))).zh == "模块里的帮助。"
    made_in_a_function = said("函数里的诊断。", "A diagnostic made in a function.")
    assert defined(str(made_in_a_function)) is None                # diagnostics are never kept
