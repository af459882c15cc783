"""Faults: stdin, FIFOs, missing folders and records of what was read (issue 13, item 9 and the Low list)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from advisor.load import read
from advisor.cli import main

from conftest import CASES, RULES

DUE_SOON = CASES / "three_loans_plan.yaml"


@pytest.mark.slow
def test_a_case_recorded_from_stdin_stores_the_bytes_evaluated(tmp_path):
    db = tmp_path / "r.sqlite3"
    data = DUE_SOON.read_bytes()
    run = subprocess.run([sys.executable, "-m", "advisor", "run", "/dev/stdin", "--record", "--db", str(db),
                          "--rules", str(RULES)], input=data, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    shown = subprocess.run([sys.executable, "-m", "advisor", "audit", "show", "1", "--format", "json", "--db", str(db)],
                           capture_output=True, timeout=60)
    assert json.loads(shown.stdout)["case_text"] == data.decode("utf-8")
    replay = subprocess.run([sys.executable, "-m", "advisor", "audit", "replay", "1", "--db", str(db),
                             "--rules", str(RULES)], capture_output=True, timeout=60)
    assert replay.returncode == 0, replay.stdout + replay.stderr


def test_run_dash_reads_the_case_from_stdin(runner):
    result = runner.invoke(main, ["run", "-", "--rules", str(RULES)], input=DUE_SOON.read_bytes())
    assert result.exit_code == 0, result.output
    assert "何女士" in result.output


def test_a_fifo_nobody_writes_to_is_an_error_not_a_hang(runner, tmp_path, monkeypatch):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    monkeypatch.setattr(read, "FIFO_WAIT", 0.3)
    result = runner.invoke(main, ["run", str(fifo), "--rules", str(RULES)])
    assert result.exit_code == 3 and "FIFO" in result.output, result.output


def test_chart_into_a_missing_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["chart", str(DUE_SOON), "--out", str(tmp_path / "no" / "such" / "page.html"),
                                  "--rules", str(RULES)])
    assert result.exit_code == 7 and "W001" in result.output and "文件夹不存在" in result.output, result.output


def test_batch_into_a_missing_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["batch", str(CASES), "--out", str(tmp_path / "no" / "out.jsonl"), "--quiet",
                                  "--rules", str(RULES)])
    assert result.exit_code == 7 and "W001" in result.output, result.output


def test_a_full_disk_during_a_batch_is_a_clear_error(runner, tmp_path):
    if not os.path.exists("/dev/full"):
        return
    result = runner.invoke(main, ["batch", str(CASES), "--out", "/dev/full", "--quiet", "--rules", str(RULES)])
    assert result.exit_code == 7 and "磁盘已满" in result.output, result.output


@pytest.mark.parametrize("command", [
    ["calendar", str(CASES / "journal_settlement_offer.yaml"), "--out"],
    ["chart", str(DUE_SOON), "--out"],
    ["plan", str(DUE_SOON), "--ics"],
], ids=["calendar", "chart", "plan-ics"])
def test_a_disk_that_fills_mid_write_leaves_the_earlier_file_whole(runner, tmp_path, monkeypatch, command):
    """An output file is written whole or not at all: a failure half-way keeps what the user had before."""
    import errno
    from pathlib import Path

    target = tmp_path / "mine.out"
    target.write_bytes(b"the user's earlier file")
    real = Path.write_bytes

    def half_then_full(self, data):                 # the first half reaches the disk, then it is full
        real(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    monkeypatch.setattr(Path, "write_text", lambda self, text, encoding=None: half_then_full(self, text.encode()))
    result = runner.invoke(main, [*command, str(target), "--rules", str(RULES)])
    assert result.exit_code == 7 and "磁盘已满" in result.output, result.output
    assert target.read_bytes() == b"the user's earlier file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.out"]     # no temporary file left behind
