"""The shipped rules, cases, templates and schemas: found in a source checkout, and carried by the wheel
as package data (scripts/check-wheel installs that wheel and runs it from another folder; CI runs it)."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from advisor.load.shipped import FOLDERS, shipped

from conftest import ROOT


def test_shipped_folders_are_the_repository_folders_in_a_checkout():
    for name in FOLDERS:
        assert shipped(name) == ROOT / name


def test_shipped_refuses_a_folder_it_does_not_ship():
    with pytest.raises(ValueError, match="no shipped folder 'src'"):
        shipped("src")


def test_shipped_defaults_are_used_outside_a_project_folder(runner, tmp_path, monkeypatch):
    from advisor.cli import main

    case = tmp_path / "case.yaml"
    case.write_bytes((ROOT / "cases" / "due_soon_shortfall.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ADVISOR_RULES", raising=False)
    for args in (["check"], ["run", "case.yaml"], ["letter", "case.yaml", "--loan", "1"], ["test"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)


@pytest.mark.slow
def test_shipped_data_is_in_the_wheel(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True)
    wheel, = tmp_path.glob("advisor-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        members = set(archive.namelist())
        assert "advisor/py.typed" in members
        for name in FOLDERS:
            files = sorted(p for p in (ROOT / name).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            assert files, name
            for path in files:
                member = f"advisor/data/{path.relative_to(ROOT).as_posix()}"
                assert member in members, member
                assert archive.read(member) == path.read_bytes(), member
