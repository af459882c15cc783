"""Batch throughput on one machine and on Ray, all figures from one run, outputs checked byte for byte.

Generates N cases (benchmarks/generate.py, --seed), then runs the same batch four ways in this process's
driver: local `--jobs 1` and `--jobs 2` (workers.run: the process pool, its start included) and Ray with 1
and 2 workers (distributed.batch.run on a local Ray started once, on loopback: actor start included, the
cluster's own start reported apart). Each result file must be byte-identical to `--jobs 1`. Reports cases/s,
the ratios the issue sets as goals (N workers ≥ 0.9 × N × one worker; Ray on one worker within 1.2× of
local), the resident memory of each Ray worker (highest seen), and how the cost per case grows from N/10 to N
cases (Ray, 2 workers).

Usage: python benchmarks/distributed.py [--cases N] [--seed S] [--partition P] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from advisor.toolkit import batch as batching  # noqa: E402
from advisor.toolkit import workers  # noqa: E402
from advisor.toolkit.distributed import batch as on_ray  # noqa: E402
from advisor.toolkit.distributed import cluster  # noqa: E402
from advisor.toolkit.distributed.schedule import PARTITION, Stats  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


def _timed(run: Any, source: Path, out: Path) -> float:
    todo = batching.pending(source, out).todo
    start = time.perf_counter()
    run(todo, out)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--partition", type=int, default=PARTITION)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n, small = args.cases, max(1, args.cases // 10)
    with tempfile.TemporaryDirectory(prefix="advisor-dist-") as scratch:
        folder = Path(scratch)
        source, part = folder / "cases.jsonl", folder / "small.jsonl"
        lines = list(generate(n, args.seed))
        source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        part.write_text("".join(line + "\n" for line in lines[:small]), encoding="utf-8")
        seconds: dict[str, float] = {}
        for jobs in (1, 2):
            seconds[f"local --jobs {jobs}"] = _timed(
                lambda todo, out, j=jobs: workers.run(todo, out, RULES, j), source, folder / f"local{jobs}.jsonl")
        began = time.perf_counter()
        started = cluster.connect(None, 2)
        ray_start = time.perf_counter() - began
        stats: dict[int, Stats] = {1: Stats(), 2: Stats()}
        try:
            for count in (1, 2):
                seconds[f"ray, {count} worker{'s' if count > 1 else ''}"] = _timed(
                    lambda todo, out, c=count: on_ray.run(todo, out, RULES, workers=c, size=args.partition,
                                                         stats=stats[c]), source, folder / f"ray{count}.jsonl")
            small_seconds = _timed(lambda todo, out: on_ray.run(todo, out, RULES, workers=2, size=args.partition),
                                   part, folder / "ray-small.jsonl")
        finally:
            started.close()
        reference = (folder / "local1.jsonl").read_bytes()
        identical = all((folder / name).read_bytes() == reference for name in ("local2.jsonl", "ray1.jsonl",
                                                                                 "ray2.jsonl"))
        identical = identical and (folder / "ray-small.jsonl").read_bytes() == b"".join(
            reference.splitlines(keepends=True)[:small]).replace(str(source).encode(), str(part).encode())
    rate = {name: n / s for name, s in seconds.items()}
    result = {
        "cases": n, "partition": args.partition, "outputs_identical": identical,
        "cases_per_second": {k: round(v, 1) for k, v in rate.items()},
        "ray_cluster_start_s": round(ray_start, 2),
        "local_2_over_2x1": round(rate["local --jobs 2"] / (2 * rate["local --jobs 1"]), 3),
        "ray_2_over_2x1": round(rate["ray, 2 workers"] / (2 * rate["ray, 1 worker"]), 3),
        "ray_1_time_over_local_1": round(seconds["ray, 1 worker"] / seconds["local --jobs 1"], 3),
        "ray_worker_peak_rss_mb": {str(c): sorted(round(v / 2**20, 1) for v in s.peak.values())
                                   for c, s in stats.items()},
        "ray_worker_rss_mb_after_1000_and_at_end": {
            str(c): [[round(s.early.get(pid, 0) / 2**20, 1), round(s.rss[pid] / 2**20, 1), s.cases[pid]]
                     for pid in sorted(s.rss)] for c, s in stats.items()},
        "ms_per_case_ray2": {str(small): round(1000 * small_seconds / small, 3),
                             str(n): round(1000 * seconds["ray, 2 workers"] / n, 3)},
    }
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"{n:,} generated cases (seed {args.seed}), partitions of {args.partition}; outputs byte-identical to "
          f"--jobs 1: {'yes' if identical else 'NO'}")
    for name, value in rate.items():
        print(f"  {name:<18} {value:8.1f} cases/s   ({seconds[name]:.1f} s)")
    print(f"  local Ray cluster start: {ray_start:.1f} s (not in the Ray figures; actor start is)")
    print(f"  scaling, 2 workers / (2 × 1 worker): local {result['local_2_over_2x1']}, Ray {result['ray_2_over_2x1']}"
          "  (goal ≥ 0.9)")
    print(f"  Ray on 1 worker / local --jobs 1, time: {result['ray_1_time_over_local_1']}  (goal ≤ 1.2)")
    print(f"  Ray worker peak RSS (MB): 1 worker {result['ray_worker_peak_rss_mb']['1']}, "
          f"2 workers {result['ray_worker_peak_rss_mb']['2']}")
    for count, rows in result["ray_worker_rss_mb_after_1000_and_at_end"].items():
        shown = ", ".join(f"{a} → {b} MB after {c:,} cases ({(b / a - 1) * 100:+.1f}%)" if a else f"{b} MB"
                          for a, b, c in rows)
        print(f"  Ray worker RSS after 1,000 cases → at the end, {count} worker(s): {shown}  (goal ≤ +10%)")
    per = result["ms_per_case_ray2"]
    print(f"  cost per case, Ray 2 workers: {small:,} cases {per[str(small)]} ms, {n:,} cases {per[str(n)]} ms")
    raise SystemExit(0 if identical else 1)


if __name__ == "__main__":
    main()
