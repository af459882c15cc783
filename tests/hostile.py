"""What the hostile-input tests share: writing files, running the CLI without a traceback, clear diagnostics."""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from advisor.load.cases import load_case
from advisor.cli import main
from advisor.errors import CaseError, Diagnostic

from conftest import FIXTURES, RULES

HOSTILE = FIXTURES / "hostile"
AS_OF = "as_of: 2026-11-28\n"
RULE_HEAD = 'rules:\n  - id: t.x\n    title: 测试\n    sources: ["1"]\n    priority: low\n    advice: 测试\n'


class _NoAliases(yaml.SafeDumper):
    """Dump a value used twice in full, not as an alias (which the loader refuses, Y002)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump(document: object) -> str:
    return yaml.dump(document, Dumper=_NoAliases, allow_unicode=True)


def _write(folder: Path, data: str | bytes, name: str = "case.yaml") -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _run(runner, case: Path | str, *args: str, rules: Path | str = RULES):
    """`advisor run CASE --rules RULES`: whatever happens, no traceback and no escaped exception."""
    result = runner.invoke(main, ["run", str(case), "--rules", str(rules), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result


def _assert_clear(diag: Diagnostic) -> None:
    """A diagnostic a counsellor can act on: a code, a message, and a rendering with its place."""
    assert re.fullmatch(r"[A-Z]\d{3}", diag.code), diag
    assert diag.message.strip(), diag
    text = diag.render()
    assert "Traceback" not in text
    if diag.location is not None and diag.location.line:
        assert text.startswith(f"{diag.location.file}:{diag.location.line}:{diag.location.col}: error[{diag.code}]")


def _case_errors(path: Path) -> list[Diagnostic]:
    with pytest.raises(CaseError) as info:
        load_case(path)
    for diag in info.value.diagnostics:
        _assert_clear(diag)
    return info.value.diagnostics


def _one(diags: list[Diagnostic], code: str) -> Diagnostic:
    found = [d for d in diags if d.code == code]
    assert found, f"expected {code}, got {[d.render() for d in diags]}"
    return found[0]


def _timed(action):
    start = time.perf_counter()
    out = action()
    return out, time.perf_counter() - start


def _rules_folder(tmp_path: Path, files: dict[str, str], name: str = "rules") -> Path:
    """A rules folder with the shipped params.yaml and the given rule files."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


