"""Faults: a batch must never lose a result, hang on a dead worker or hide an error (issue 13, items 1, 2, 11)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.toolkit import batch as batching
from advisor.toolkit import workers
from advisor.cli import main

from conftest import CASES, RULES
from case_folders import case_folder


pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("english")]   # soak, batch and subprocess tests: `pytest -m 'not slow'` skips them (and asserts English words)




def _batch(runner, folder: Path, out: Path, *extra: str):
    return runner.invoke(main, ["batch", str(folder), "--out", str(out), "--quiet", "--rules", str(RULES), *extra])


def _results(out: Path) -> list[str]:
    """The complete result lines, sorted: what a reader takes (damaged lines stay in the file, skipped)."""
    return sorted(line.decode("utf-8") for line in out.read_bytes().splitlines()
                  if batching._row(line + b"\n") is not None)


def _clean(runner, folder: Path, tmp_path: Path) -> list[str]:
    clean = tmp_path / "clean.jsonl"
    _batch(runner, folder, clean)
    return _results(clean)


def test_an_empty_line_in_the_results_loses_no_result_on_resume(runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    clean = _clean(runner, folder, tmp_path)
    lines = (tmp_path / "clean.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    out.write_text("".join(lines[:10]) + "\n" + "".join(lines[10:]), encoding="utf-8")
    before = out.read_bytes()
    result = _batch(runner, folder, out)
    assert f"0 cases run, {len(lines)} already done" in result.output
    assert _results(out) == clean
    assert out.read_bytes() == before                 # nothing removed, nothing added


def test_a_short_damaged_line_is_set_aside_and_its_case_run_again(runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    clean = _clean(runner, folder, tmp_path)
    lines = (tmp_path / "clean.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    out.write_text("".join(lines[:5]) + "{\"k\n" + "".join(lines[6:]), encoding="utf-8")
    before = out.read_bytes()
    result = _batch(runner, folder, out)
    assert f"1 cases run, {len(lines) - 1} already done" in result.output
    assert "1 damaged line set aside" in result.output
    assert _results(out) == clean
    after = out.read_bytes()
    assert after.startswith(before) and after[len(before):].count(b"\n") == 1   # appended, never rewritten
    offset = len("".join(lines[:5]).encode("utf-8"))
    assert json.loads((tmp_path / "out.jsonl.damaged").read_text(encoding="utf-8")) == {"offset": offset,
                                                                                        "line": "{\"k"}


def test_resume_only_appends_and_records_each_damaged_line_once(runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    clean = _clean(runner, folder, tmp_path)
    lines = (tmp_path / "clean.jsonl").read_bytes().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    torn = lines[-1][: len(lines[-1]) // 2]           # killed mid-line, after a line of garbage
    out.write_bytes(b"".join(lines[:3]) + b"\xff\xfe not json\n" + b"".join(lines[4:-1]) + torn)
    before, inode = out.read_bytes(), out.stat().st_ino
    first = _batch(runner, folder, out)
    assert "2 cases run" in first.output and "2 damaged lines set aside" in first.output, first.output
    after = out.read_bytes()
    assert out.stat().st_ino == inode and after.startswith(before + b"\n")    # the torn line ended, kept
    assert _results(out) == clean
    aside = [json.loads(line) for line in (tmp_path / "out.jsonl.damaged").read_text(encoding="utf-8").splitlines()]
    assert [a["offset"] for a in aside] == [len(b"".join(lines[:3])), len(before) - len(torn)]
    assert aside[0]["line"] == "\\xff\\xfe not json" and aside[1]["line"] == torn.decode("utf-8", "backslashreplace")
    again = _batch(runner, folder, out)              # resumed again: nothing to run, nothing recorded twice
    assert again.output.startswith("0 cases run") and "set aside" not in again.output, again.output
    assert out.read_bytes() == after and len((tmp_path / "out.jsonl.damaged").read_text().splitlines()) == 2
    keys = [r["key"] for r in batching.complete_rows(out)]
    assert len(keys) == len(set(keys)) == len(clean)


def test_a_last_line_missing_only_its_newline_is_a_result_and_is_ended(runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    clean = _clean(runner, folder, tmp_path)
    out = tmp_path / "out.jsonl"
    out.write_bytes((tmp_path / "clean.jsonl").read_bytes().rstrip(b"\n"))
    result = _batch(runner, folder, out)
    assert result.output.startswith("0 cases run") and "damaged" not in result.output, result.output
    assert out.read_bytes() == (tmp_path / "clean.jsonl").read_bytes() and _results(out) == clean


def test_an_edited_case_is_run_again_and_its_old_result_superseded(runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    out = tmp_path / "out.jsonl"
    _batch(runner, folder, out)
    edited = folder / "zz-bad.yaml"
    edited.write_text("as_of: 2026-02-28\n", encoding="utf-8")
    result = _batch(runner, folder, out)
    assert "1 cases run" in result.output and result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in rows if r["key"] == str(edited)]
    assert [r["status"] for r in mine] == ["error", "ok"]
    assert mine[1]["supersedes"] == [mine[0]["sha256"]] and mine[1]["path"] == str(edited)
    assert _batch(runner, folder, out).output.startswith("0 cases run")


def test_a_resumed_batch_still_says_a_case_failed(runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    out = tmp_path / "out.jsonl"
    assert _batch(runner, folder, out).exit_code == 1
    again = _batch(runner, folder, out)
    assert again.output.startswith("0 cases run") and "1 with errors" in again.output
    assert again.exit_code == 1


def test_batch_refuses_the_case_files_run_refuses(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gbk.yaml").write_bytes("as_of: 2026-11-28\nname: 小王\n".encode("gb18030"))
    out = tmp_path / "out.jsonl"
    assert runner.invoke(main, ["run", str(folder / "gbk.yaml"), "--rules", str(RULES)]).exit_code == 3
    assert _batch(runner, folder, out).exit_code == 1
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["status"] == "error" and row["exit_code"] == 3 and "GBK" in row["errors"][0]["message"]


def _workers(parent: int) -> list[int]:
    """The pool's worker processes (not the resource tracker) under `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"resource_tracker" not in cmdline:
            found.append(int(entry.name))
    return found


def test_a_killed_worker_neither_hangs_the_batch_nor_loses_a_case(runner, tmp_path):
    folder = case_folder(tmp_path, 8)
    clean = _clean(runner, folder, tmp_path)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "advisor", "batch", str(folder), "--out", str(out), "--quiet",
                             "--jobs", "2", "--rules", str(RULES)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and (not out.exists() or out.read_text(encoding="utf-8").count("\n") < 10):
        time.sleep(0.02)
    workers = _workers(proc.pid)
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    try:
        stdout, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the batch hung after one of its workers was killed") from None
    assert proc.returncode == 1 and b"cases run" in stdout
    assert _results(out) == clean


def _dies_on_one_case(item):
    """A worker body that dies like a crash inside the engine's C code, on one case."""
    if item.key.endswith("a_crasher.yaml"):
        os.kill(os.getpid(), signal.SIGSEGV)
    return batching.evaluate(item)


def test_a_case_that_kills_its_worker_is_an_error_naming_the_signal_and_the_batch_goes_on(tmp_path):
    folder = case_folder(tmp_path, 1)
    shutil.copy(CASES / "three_loans_plan.yaml", folder / "a_crasher.yaml")
    out = tmp_path / "out.jsonl"
    todo = batching.pending(folder, out).todo
    statuses = workers.run(todo, out, RULES, 2, task=_dies_on_one_case)
    rows = {r["key"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert len(rows) == len(todo) == len(statuses)
    crashed = rows[str(folder / "a_crasher.yaml")]
    assert crashed["status"] == "error" and "SIGSEGV" in crashed["errors"][0]["message"]
    assert sum(r["status"] == "ok" for r in rows.values()) == len(todo) - 2
