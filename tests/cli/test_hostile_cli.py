"""Hostile command lines: missing, unreadable or wrong kinds of paths give a clear error and exit code."""
from __future__ import annotations

import shutil
from pathlib import Path


from conftest import CASES, RULES
from hostile import _run, _write, AS_OF
import pytest

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


# --- the command line ------------------------------------------------------------------------------------

def test_a_case_path_that_does_not_exist(runner, tmp_path):
    result = _run(runner, tmp_path / "nope.yaml")
    assert result.exit_code == 3
    assert f"{tmp_path / 'nope.yaml'}: error[Y000]: cannot read file: No such file or directory" in result.output
    assert "hint: check the path" in result.output


def test_a_folder_as_the_case(runner, tmp_path):
    result = _run(runner, tmp_path)
    assert result.exit_code == 3 and f"{tmp_path}: error[Y000]: this is a folder, not a file" in result.output


def test_an_unreadable_case_file(runner, tmp_path, monkeypatch):
    case = _write(tmp_path, AS_OF)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == case:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = _run(runner, case)
    assert result.exit_code == 3 and "cannot read file: Permission denied" in result.output
    assert "hint: check the file's permissions" in result.output


def test_an_unreadable_rules_folder(runner, tmp_path, monkeypatch):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    real_iterdir = Path.iterdir

    def refuse(self):
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder)
    assert result.exit_code == 4
    assert f"error[E001]: cannot read rules folder '{folder}': Permission denied" in result.output


def test_rules_option_pointing_at_a_file(runner):
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=RULES / "params.yaml")
    assert result.exit_code == 4
    assert "error[E001]: '" in result.output and "params.yaml' is a file, not a rules folder" in result.output
    assert f"hint: pass the folder that holds it: --rules {RULES}" in result.output


def test_a_missing_case_file_is_told_in_chinese_by_default(runner, tmp_path):
    from advisor.cli import main

    result = runner.invoke(main, ["run", str(tmp_path / "nope.yaml"), "--rules", str(RULES)], env={"ADVISOR_LANG": ""})
    assert result.exit_code == 3
    assert "error[Y000]: 无法读取文件：文件不存在" in result.output and "No such file" not in result.output
