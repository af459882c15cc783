"""batch and diff on a real local Ray (2 workers, loopback only, started once for this module): the same bytes
as the local batch, every case once after a killed worker, a killed driver or a tainted engine."""
from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.toolkit import batch as batching
from advisor.toolkit.distributed import batch as on_ray
from advisor.toolkit.distributed import cluster
from advisor.toolkit.distributed.schedule import Stats

from conftest import CASES, RULES
from case_folders import case_folder

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("english")]   # asserts the English CLI lines

os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"   # as cluster.connect sets it: before ray is first imported
ray = pytest.importorskip("ray", reason="Ray is the optional extra advisor[ray] (the test extra installs it)")
from ray import cloudpickle  # noqa: E402

cloudpickle.register_pickle_by_value(sys.modules[__name__])   # the test tasks below run in the Ray workers


@pytest.fixture(scope="module")
def local_ray():
    started = cluster.connect(None, 2)
    assert started.started
    assert {n["NodeManagerAddress"] for n in ray.nodes()} == {"127.0.0.1"}   # loopback only
    yield ray.get_runtime_context().gcs_address
    started.close()




def _local(runner, folder: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "local.jsonl"
    result = runner.invoke(main, ["batch", str(folder), "--out", str(out), "--quiet", "--rules", str(RULES)])
    assert result.exit_code == 1, result.output                # the bad case
    return out.read_bytes()


def _rows(out: Path) -> list[str]:
    return sorted(line.decode("utf-8") for line in out.read_bytes().splitlines()
                  if batching._row(line + b"\n") is not None)


def test_ray_batch_writes_the_same_bytes_as_the_local_batch(local_ray, runner, tmp_path):
    folder = case_folder(tmp_path, 2)
    out = tmp_path / "ray.jsonl"
    stats = Stats()
    todo = batching.pending(folder, out).todo
    statuses = on_ray.run(todo, out, RULES, size=7, stats=stats)         # many partitions over both workers
    assert out.read_bytes() == _local(runner, folder, tmp_path)
    assert statuses.count("error") == 1 and len(stats.rss) == 2          # both workers took partitions
    assert all(rss > 10_000_000 for rss in stats.rss.values())
    assert sum(stats.cases.values()) == len(statuses)                   # each case counted once, by its worker


def test_the_cli_runs_on_ray_and_resumes_on_it(local_ray, runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    out = tmp_path / "ray.jsonl"
    args = ["batch", str(folder), "--out", str(out), "--quiet", "--rules", str(RULES), "--engine", "ray"]
    first = runner.invoke(main, args)
    assert first.exit_code == 1 and first.output.startswith(f"{len(CASES_LIST) + 1} cases run"), first.output
    assert out.read_bytes() == _local(runner, folder, tmp_path)
    again = runner.invoke(main, args)
    assert again.output.startswith("0 cases run") and again.exit_code == 1


CASES_LIST = sorted(CASES.glob("*.yaml"))


def _slow_and_recording(folder: Path, item):
    """Evaluate as the batch does, a little slowly, noting which process evaluated."""
    (folder / str(os.getpid())).touch()
    time.sleep(0.004)
    return batching.evaluate(item)


class _KillOnce:
    """A progress bar that kills one Ray worker (by the pid it noted) once 30 results are written."""

    def __init__(self, pids: Path) -> None:
        self.pids, self.count, self.killed = pids, 0, 0

    def update(self, n: int) -> None:
        self.count += n
        if self.count == 30:
            victim = int(sorted(self.pids.iterdir())[0].name)
            os.kill(victim, signal.SIGKILL)
            self.killed = victim


def test_a_killed_worker_loses_no_case_and_duplicates_none(local_ray, runner, tmp_path):
    folder = case_folder(tmp_path, 4)
    pids = tmp_path / "pids"
    pids.mkdir()
    out = tmp_path / "ray.jsonl"
    stats = Stats()
    bar = _KillOnce(pids)
    todo = batching.pending(folder, out).todo
    on_ray.run(todo, out, RULES, progress=bar, size=10, task=functools.partial(_slow_and_recording, pids),
               stats=stats)
    assert bar.killed and stats.alone > 0                 # a worker died mid-run; its partitions ran again
    assert out.read_bytes() == _local(runner, folder, tmp_path)


def _dies_on_one_case(item):
    if item.key.endswith("a_crasher.yaml"):
        os.kill(os.getpid(), signal.SIGKILL)
    return batching.evaluate(item)


def test_a_case_that_kills_its_worker_every_time_is_an_error_and_the_batch_goes_on(local_ray, runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    local = _local(runner, folder, tmp_path)
    shutil.copy(CASES / "three_loans_plan.yaml", folder / "a_crasher.yaml")
    out = tmp_path / "ray.jsonl"
    on_ray.run(batching.pending(folder, out).todo, out, RULES, size=8, task=_dies_on_one_case)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    crashed = [r for r in rows if r["key"].endswith("a_crasher.yaml")]
    assert len(crashed) == 1 and crashed[0]["status"] == "error" and crashed[0]["errors"][0]["code"] == "B001"
    others = [line for line in out.read_bytes().splitlines(keepends=True) if b"a_crasher.yaml" not in line]
    assert b"".join(others) == local


def _taints_on_one_case(item):
    """A C error in durable on one case: that case's line says so, and the process refuses every case after."""
    if os.environ.get("ADVISOR_TEST_TAINTED"):
        return batching.line_of({"key": item.key, "status": "error", "errors": [{"code": "X004", "message": "x"}]})
    if item.key.endswith("a_tainter.yaml"):
        os.environ["ADVISOR_TEST_TAINTED"] = "1"
        return batching.line_of({"key": item.key, "path": item.path, "sha256": item.sha256, "status": "error",
                                 "exit_code": 5, "errors": [{"code": "X003", "message": "the rules engine failed"}]})
    return batching.evaluate(item)


def test_a_tainted_worker_is_restarted_and_the_cases_after_it_run_in_a_fresh_one(local_ray, runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    local = _local(runner, folder, tmp_path)
    shutil.copy(CASES / "three_loans_plan.yaml", folder / "a_tainter.yaml")
    out = tmp_path / "ray.jsonl"
    stats = Stats()
    on_ray.run(batching.pending(folder, out).todo, out, RULES, size=20, task=_taints_on_one_case, stats=stats)
    assert stats.restarts == 1
    text = out.read_text(encoding="utf-8")
    assert "X004" not in text and text.count("X003") == 1
    others = [line for line in out.read_bytes().splitlines(keepends=True) if b"a_tainter.yaml" not in line]
    assert b"".join(others) == local


def test_a_killed_driver_resumes_with_every_case_once(local_ray, runner, tmp_path):
    folder = case_folder(tmp_path, 12)
    out = tmp_path / "ray.jsonl"
    env = {**os.environ, "RAY_AUTH_MODE": "token"}          # joining the local cluster's token (~/.ray)
    driver = subprocess.Popen([sys.executable, "-m", "advisor", "batch", str(folder), "--out", str(out), "--quiet",
                               "--rules", str(RULES), "--engine", "ray", "--address", local_ray],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 20):
        if driver.poll() is not None:
            break
        time.sleep(0.01)
    driver.kill()
    stdout, stderr = driver.communicate(timeout=30)
    written = out.read_bytes().count(b"\n")
    assert 20 <= written < len(list(folder.iterdir())), (written, stdout, stderr)   # killed mid-run
    again = runner.invoke(main, ["batch", str(folder), "--out", str(out), "--quiet", "--rules", str(RULES),
                                 "--engine", "ray"])
    assert "already done" in again.output, again.output
    local = tmp_path / "local.jsonl"
    _local(runner, folder, tmp_path)
    assert _rows(out) == _rows(local)                       # every case once, byte-identical lines
    keys = [r["key"] for r in batching.complete_rows(out)]
    assert len(keys) == len(set(keys))


def test_diff_on_ray_prints_what_the_local_diff_prints_and_counts_per_rule(local_ray, runner, tmp_path):
    new = tmp_path / "rules"
    shutil.copytree(RULES, new)
    path = new / "timing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("priority: high", "priority: low", 1), encoding="utf-8")
    local = runner.invoke(main, ["diff", str(CASES), "--old", str(RULES), "--rules", str(new)])
    on = runner.invoke(main, ["diff", str(CASES), "--old", str(RULES), "--rules", str(new), "--engine", "ray"],
                       env={"ADVISOR_LANG": "en"})
    assert local.exit_code == on.exit_code == 1, on.output
    *changes, summary = local.output.splitlines(keepends=True)
    assert on.output.startswith("".join(changes)) and on.output.endswith(summary)
    counts = on.output[len("".join(changes)):-len(summary)].splitlines()
    assert counts[0].startswith("cases per rule")
    changed = int(summary.split()[0])
    (needs,) = [line for line in counts if line.split()[0] == "timing.needs_negotiation"]
    assert needs.split()[1:3] == ["+0", "-0"] and needs.split()[4] == f"~w{changed}"
    zh = {"ADVISOR_LANG": "zh"}
    local_zh = runner.invoke(main, ["diff", str(CASES), "--old", str(RULES), "--rules", str(new)], env=zh)
    on_zh = runner.invoke(main, ["diff", str(CASES), "--old", str(RULES), "--rules", str(new), "--engine", "ray"],
                          env=zh)
    *changes_zh, _ = local_zh.output.splitlines(keepends=True)
    assert "措辞变了" in local_zh.output and on_zh.output.startswith("".join(changes_zh))   # the same words in Chinese
    assert "按规则统计的个案数" in on_zh.output
    same = runner.invoke(main, ["diff", str(CASES), "--old", str(RULES), "--rules", str(RULES), "--engine", "ray"])
    assert same.exit_code == 0 and same.output == f"0 of {len(CASES_LIST)} cases change compared with {RULES}\n"
