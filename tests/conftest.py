"""Shared fixtures: the shipped rules loaded once, an Advisor over them, a CLI runner."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.advise import Advisor
from advisor.load.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
CASES = ROOT / "cases"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def ruleset():
    return load_rules(RULES)


@pytest.fixture(scope="session")
def advisor(ruleset):
    return Advisor.build(ruleset)


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory, monkeypatch):
    """Decision records default to the per-user data folder: each test gets its own, never the real one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.delenv("ADVISOR_DB", raising=False)
    # The rule-set cache (load/cache.py): one for the whole session, never the user's own.
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path_factory.getbasetemp() / "advisor-cache"))
    monkeypatch.delenv("ADVISOR_LANG", raising=False)   # diagnostics and CLI lines in Chinese unless a test asks


@pytest.fixture
def english(monkeypatch):
    """Diagnostics, CLI lines and --help in English (ADVISOR_LANG=en), for a test module that asserts English
    text: `pytestmark = pytest.mark.usefixtures("english")` says so at the top of the module."""
    monkeypatch.setenv("ADVISOR_LANG", "en")


@pytest.fixture
def runner():
    return CliRunner()


def write_rules(tmp_path: Path, body: str, params: str | None = None) -> Path:
    """A rules folder holding the shipped params.yaml (or `params`) and one rule file."""
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "params.yaml").write_text(params or (RULES / "params.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    (folder / "test.yaml").write_text(body, encoding="utf-8")
    return folder
