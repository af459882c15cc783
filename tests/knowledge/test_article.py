"""The article passages quoted in audits are the article's own words (typo corrected), for every section."""
from __future__ import annotations

import pytest

from advisor.knowledge.article import PASSAGES
from advisor.knowledge.sections import SECTIONS

from conftest import FIXTURES

# tests/fixtures/guidance_article.txt is a verbatim copy of ../shared/seed/000_9d3bf3e84535607b.txt.
ARTICLE = (FIXTURES / "guidance_article.txt").read_text(encoding="utf-8")


def _as_in_the_copy(text: str) -> str:
    """Undo our corrections: the copy drops 题 after 问 and uses ASCII commas."""
    return text.replace("问题", "问").replace("，", ",").replace("？", "?")


def test_every_section_has_a_passage():
    assert set(PASSAGES) == set(SECTIONS)


@pytest.mark.parametrize("section", list(PASSAGES))
def test_passage_is_the_articles_own_words(section):
    zh, en = PASSAGES[section]
    assert zh and en
    assert _as_in_the_copy(zh) in ARTICLE, f"section {section}: not found in the article"
    assert "问," not in zh and "问。" not in zh and "财务顾问题" not in zh   # the typo is corrected
