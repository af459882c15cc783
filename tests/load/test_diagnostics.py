"""One fixture file per failure mode: each must give its code, line:col, message and hint."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from advisor.load.cases import load_case
from advisor.errors import AdvisorError, CaseError, RuleError
from advisor.load.rules import load_rules

from conftest import FIXTURES, RULES
from words import assert_bilingual

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

HEADER = re.compile(r"^# expect: (\S+) (\d+):(\d+) (.*?)(?: \| (.*))?$")


def _expectation(path: Path) -> tuple[str, int, int, str, str]:
    match = HEADER.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} needs a '# expect: CODE line:col message | hint' header"
    return match[1], int(match[2]), int(match[3]), match[4], match[5] or ""


def _check(error: AdvisorError, path: Path, file_name: str | None = None) -> None:
    code, line, col, message, hint = _expectation(path)
    found = [d for d in error.diagnostics if d.code == code]
    assert found, f"expected {code}, got {[d.render() for d in error.diagnostics]}"
    diag = found[0]
    assert diag.location is not None
    assert (diag.location.line, diag.location.col) == (line, col), diag.render()
    assert diag.location.file.endswith(file_name or path.name)
    assert message in diag.message, diag.render()
    assert hint in diag.hint, diag.render()
    rendered = diag.render()
    assert rendered.splitlines()[0].startswith(f"{diag.location.file}:{line}:{col}: error[{code}]")
    assert "^" in rendered  # the caret line under the source line
    assert "Traceback" not in rendered
    assert_bilingual(diag)


@pytest.mark.parametrize("path", sorted((FIXTURES / "bad_rules").glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_rule_file_reports_code_place_and_hint(path, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    shutil.copy(path, folder / path.name)
    with pytest.raises(RuleError) as info:
        load_rules(folder)
    _check(info.value, path)


@pytest.mark.parametrize("path", sorted((FIXTURES / "bad_params").glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_parameters_file_reports_code_place_and_hint(path, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(path, folder / "params.yaml")
    with pytest.raises(RuleError) as info:
        load_rules(folder)
    _check(info.value, path, "params.yaml")


@pytest.mark.parametrize("path", sorted((FIXTURES / "bad_cases").glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_case_file_reports_code_place_and_hint(path):
    with pytest.raises(CaseError) as info:
        load_case(path)
    _check(info.value, path)


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("as_of: 2026-11-28\nincome: {salary: -1, bonus: 3}\nloans:\n  - balance: x\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(case)
    codes = sorted(d.code for d in info.value.diagnostics)
    assert codes == ["C010", "C021", "C021"]
    lines = [d.location.line for d in info.value.diagnostics]
    assert lines == sorted(lines)


def test_caret_counts_chinese_characters_as_two_cells():
    from advisor.errors import Diagnostic, Location

    diag = Diagnostic("E010", "x", Location("f.yaml", 1, 5, "名字: abc", 3))
    caret_line = diag.render().splitlines()[2]
    assert caret_line == "    " + " " * 6 + "^^^"
