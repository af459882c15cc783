"""Decision records at scale: the memory `advisor audit list` takes, and concurrent writers killed with -9.

Usage:
  python benchmarks/records.py list [--count 1600]        # max RSS of `audit list` over COUNT real records
  python benchmarks/records.py writers [--writers 8] [--seconds 5]
                                                          # writers appending at once, all killed -9;
                                                          # then every record checked: none lost, twice, altered
To compare checkouts run it from outside them, so that the working folder does not shadow PYTHONPATH:
  cd /tmp && PYTHONPATH=/path/to/checkout /path/to/.venv/bin/python /path/to/benchmarks/records.py list
(the database is then made by that checkout's advisor). Measured on issue 13's branch (2 cores, 1,600
records of a 103 kB report, 184 MB database): max RSS 1,040 MB before streaming, 39 MB after;
8 writers for 8 s, all killed -9: 448 stored = 448 confirmed, none lost, duplicated or altered.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LIST = """
import resource, sys
from click.testing import CliRunner
from advisor.cli import main
result = CliRunner().invoke(main, ["audit", "list", "--db", sys.argv[1]])
print(result.exit_code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(result.output.splitlines()))
"""

WRITER = """
import json, sys
from dataclasses import replace
from pathlib import Path
from advisor.record import Store, read_unsaved
db, template, who = Path(sys.argv[1]), read_unsaved(Path(sys.argv[2])), sys.argv[3]
for n in range(10**9):
    with Store.open(db) as store:
        store.append(replace(template, case_name=f"{who} {n}"))
    print(n, flush=True)
"""


def one_record(folder: Path):
    """A record of a real run (the shipped case with the most loans), kept as a file to copy from."""
    from advisor.cli import _advise_bytes
    from advisor.record import unsaved
    from advisor.replay import make_record

    case = ROOT / "cases" / "three_loans_plan.yaml"
    report, data = _advise_bytes(case, "zh", ROOT / "rules")
    record = make_record(report, case, ROOT / "rules", data)
    blocked = folder / "blocked"
    blocked.mkdir(exist_ok=True)
    exc = unsaved(record, blocked, "benchmark")
    kept = exc.diagnostics[-1].hint.split("`advisor audit import ")[1].rstrip("`")
    return record, Path(kept)


def bench_list(count: int) -> None:
    from advisor.record import Store

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        record, _ = one_record(folder)
        db = folder / "records.sqlite3"
        with Store.open(db) as store:
            for n in range(count):
                store.append(replace(record, case_name=f"case {n}"))
        size = db.stat().st_size
        run = subprocess.run([sys.executable, "-c", LIST, str(db)], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))})
        code, rss, lines = run.stdout.split()
        print(f"audit list: {count} records ({len(json.dumps(record.report, ensure_ascii=False)) // 1024} kB report "
              f"each, database {size / 2**20:.0f} MB): exit {code}, max RSS {int(rss) / 1024:.1f} MB, {lines} lines")


def bench_writers(writers: int, seconds: float) -> None:
    from advisor.record import Store

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _, kept = one_record(folder)
        db = folder / "records.sqlite3"
        procs = {f"w{i}": subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(kept), f"w{i}"],
                                           stdout=subprocess.PIPE, text=True) for i in range(writers)}
        time.sleep(seconds)
        for proc in procs.values():
            os.kill(proc.pid, signal.SIGKILL)          # mid-append, whatever each is doing
        confirmed = {}
        for who, proc in procs.items():
            assert proc.stdout is not None
            out = proc.stdout.read().split()
            proc.wait()
            confirmed[who] = len(out)
        with Store.open(db, create=False) as store:
            names = [r.case_name for r in store.records()]   # raises on any altered, missing or extra record
        by_writer: dict[str, list[int]] = {}
        for n in names:
            who, number = n.split()
            by_writer.setdefault(who, []).append(int(number))
        lost = sum(max(0, confirmed[w] - len(by_writer.get(w, []))) for w in procs)
        twice = len(names) - len(set(names))
        out_of_order = sum(v != list(range(len(v))) for v in by_writer.values())
        print(f"writers: {writers} writers x {seconds:.0f} s, all killed -9: {len(names)} records stored, "
              f"{sum(confirmed.values())} confirmed; lost {lost}, duplicated {twice}, gaps/out of order "
              f"{out_of_order}, chain checked (no record altered)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["list", "writers"])
    parser.add_argument("--count", type=int, default=1600)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    if args.what == "list":
        bench_list(args.count)
    else:
        bench_writers(args.writers, args.seconds)


if __name__ == "__main__":
    main()
