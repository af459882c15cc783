"""Benchmark of the advisor's evaluation cost, all figures measured in one run.

It measures three things:

1. In process, rules already loaded and registered: wall time per case of
   `Advisor.advise(case)` (full pipeline: facts, engine, explanations, ranking) and of
   `Advisor.evaluate(case)` (facts + one durable_rules session only), over every case in
   `cases/*.yaml`; median and p90.
2. The same compiled ruleset driven through `durable.engine.Ruleset` directly, with actions
   doing only the minimum the advisor's actions must do (assert each derived fact once per
   session and group). The advisor/raw ratio shows what the advisor's layers cost on top of
   durable_rules. Before timing, the rules fired by the raw path are checked against the
   advisor's firings for each case.
3. Cold start of `advisor run cases/due_soon_shortfall.yaml` as a subprocess, next to a bare
   `python -c pass` for reference.
4. Batch throughput: `advisor batch` over a folder of copies of the shipped cases and over the same
   cases as one JSON Lines file, with --jobs 1 and --jobs 2 (wall time including worker start-up).
5. Reading one case: the YAML reader (a case file) and the JSON Lines reader (a batch line).

On a machine shared with other work, wall-clock medians move with the load: the in-process figures
are also given as CPU time per case (time.process_time, this process only), a steadier ratio.
The goals of issue 18 are checked at the end: advise <= 1.5x raw durable, batch >= 600 cases/s per
core (--jobs 1 on JSON Lines, steady state: the cases beyond the first quarter over the time they
added), cold start <= 120 ms; each also by CPU time where the wall clock is shared.

Usage: python benchmarks/bench.py [--runs N] [--cold-runs N] [--batch-cases N] [--json]
"""
from __future__ import annotations

import argparse
import copy
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from durable import engine as d_engine

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.engine.facts import case_fact, loan_facts
from advisor.model import Case
from advisor.load.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
COLD_CASE = "cases/due_soon_shortfall.yaml"
WARMUP = 20


class RawHost:
    """Resolves durable action names to minimal actions: record the firing, assert derived facts."""

    def __init__(self, adv: Advisor) -> None:
        self.adv = adv
        self.derived: set[str] = set()
        self.fired: set[str] = set()
        self.errors: list[Any] = []

    def get_action(self, name: str) -> Callable[[Any], None]:
        if name.startswith("__sink_"):
            return lambda c: None
        rule_id = name.split("#")[0]
        derive = self.adv.ruleset.rule(rule_id).derive
        groups = self.adv.compiled.derived_groups    # as the advisor: only to the groups that test it

        def act(c: Any) -> None:
            self.fired.add(rule_id)
            for fact in derive:
                if fact not in self.derived:
                    self.derived.add(fact)
                    for g in groups.get(fact, ()):
                        c.assert_fact({"t": "derived", "g": g, "name": fact})
        return act

    def done(self, error: Any, state: Any) -> None:
        if error:
            self.errors.append(error)


def raw_evaluate(rs: Any, host: RawHost, adv: Advisor, case: Case, sid: str) -> set[str]:
    """One durable session for a case, facts built as the advisor builds them; the rules fired."""
    host.derived, host.fired = set(), set()
    journal = None
    if case.journal and adv.plan_params is not None:     # the journal's facts read the plan (Advisor.evaluate)
        from advisor.plan import adjust, offers

        journal = adjust.journal_view(case, offers.build(case, adv.plan_params))
    cf, lf = case_fact(case, adv.ruleset.params, journal), loan_facts(case, adv.ruleset.params)
    facts: list[dict[str, Any]] = []
    for g in range(adv.compiled.groups):
        facts.append({**cf, "sid": sid, "t": "case", "g": g})
        facts.extend({**loan, "sid": sid, "t": "loan", "g": g} for loan in lf)
    rs.do_actions(rs.assert_facts(facts), host.done)
    for n in range(1, adv.compiled.phases + 1):
        gates = [{"sid": sid, "t": "phase", "n": n, "g": g} for g in adv.compiled.phase_groups.get(n, ())]
        if gates:
            rs.do_actions(rs.assert_facts(gates), host.done)
    rs.delete_state(sid)
    return host.fired


def time_cases(fn: Callable[[Case], Any], cases: list[Case], runs: int) -> list[float]:
    """Seconds per call of fn(case), for every case, `runs` times over, after a warm-up."""
    for _ in range(WARMUP):
        for case in cases:
            fn(case)
    samples = []
    for _ in range(runs):
        for case in cases:
            start = time.perf_counter()
            fn(case)
            samples.append(time.perf_counter() - start)
    return samples


def cpu_per_case(fn: Callable[[Case], Any], cases: list[Case], runs: int) -> float:
    """CPU seconds of this process per call of fn(case), over `runs` passes (after one warm-up pass)."""
    for case in cases:
        fn(case)
    start = time.process_time()
    for _ in range(runs):
        for case in cases:
            fn(case)
    return (time.process_time() - start) / (runs * len(cases))


def time_command(cmd: list[str], runs: int, cpu: list[float] | None = None) -> list[float]:
    """Seconds per run of a subprocess (output discarded), after two warm-up runs; `cpu` gets each run's
    CPU seconds (user + system), which a loaded machine stretches far less than the wall clock."""
    import resource

    samples = []
    for i in range(runs + 2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        if i >= 2:
            samples.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if cpu is not None:
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    return {"median": statistics.median(samples), "p90": statistics.quantiles(samples, n=10)[-1]}


def check_raw(rs: Any, host: RawHost, adv: Advisor, cases: list[Case], sids: Any) -> None:
    for case in cases:
        raw = raw_evaluate(rs, host, adv, case, next(sids))
        expected = {f.rule for f in adv.evaluate(case)[1]}
        if host.errors or raw != expected:
            sys.exit(f"bench: raw durable path disagrees with the advisor on case {case.name!r}:\n"
                     f"  raw only: {sorted(raw - expected)}\n  advisor only: {sorted(expected - raw)}\n"
                     f"  action errors: {host.errors}")


def time_batch(copies: int) -> dict[str, float]:
    """Seconds for `advisor batch` over `copies` cases with 1 and with 2 worker processes: as a folder of
    case files, and as one JSON Lines file of the same cases."""
    import resource
    import shutil
    import tempfile

    import yaml

    advisor_cmd = str(Path(sys.executable).with_name("advisor"))
    shipped = sorted((ROOT / "cases").glob("*.yaml"))
    lines = [json.dumps(yaml.safe_load(p.read_text(encoding="utf-8")), ensure_ascii=False, default=str)
             for p in shipped]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cases"
        folder.mkdir()
        for i in range(copies):
            source = shipped[i % len(shipped)]
            shutil.copy(source, folder / f"{i:06d}-{source.name}")
        jsonl = Path(tmp) / "cases.jsonl"
        jsonl.write_text("".join(lines[i % len(lines)] + "\n" for i in range(copies)), encoding="utf-8")
        quarter = Path(tmp) / "quarter.jsonl"
        quarter.write_text("".join(lines[i % len(lines)] + "\n" for i in range(copies // 4)), encoding="utf-8")
        out = {}
        for kind, source_path, jobs in (("folder", folder, 1), ("folder", folder, 2), ("jsonl", jsonl, 1),
                                        ("jsonl", jsonl, 2), ("quarter", quarter, 1)):
            result = Path(tmp) / f"out-{kind}-{jobs}.jsonl"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([advisor_cmd, "batch", str(source_path), "--out", str(result), "--jobs", str(jobs),
                            "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
            out[f"{kind}_jobs{jobs}"] = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)   # the batch and its workers, all reaped
            out[f"{kind}_jobs{jobs}_cpu"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    # Steady state, start-up excluded: the cases beyond the first quarter over the time they took.
    steady = copies - copies // 4
    out["steady_cases_per_s"] = steady / (out["jsonl_jobs1"] - out["quarter_jobs1"])
    out["steady_cases_per_cpu_s"] = steady / (out["jsonl_jobs1_cpu"] - out["quarter_jobs1_cpu"])
    return out


def time_reading(runs: int) -> dict[str, float]:
    """Median seconds to read one case: a case file's text by the YAML reader, the same case as a JSON
    Lines line by the batch's JSON reader."""
    import yaml

    from advisor.load.cases import load_case_text
    try:
        from advisor.load.jsonl import load_case_line
    except ImportError:                # an older advisor (for a before/after run): lines were read as YAML
        load_case_line = load_case_text

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "cases").glob("*.yaml"))]
    lines = [json.dumps(yaml.safe_load(t), ensure_ascii=False, default=str) for t in texts]
    out = {}
    for name, reader, inputs in (("yaml_file", load_case_text, texts), ("json_line", load_case_line, lines)):
        samples = []
        for _ in range(max(3, runs // 10)):
            for text in inputs:
                start = time.perf_counter()
                reader(text, "bench")
                samples.append(time.perf_counter() - start)
        out[name] = statistics.median(samples)
    return out


def measure(runs: int, cold_runs: int, batch_cases: int = 2000) -> dict[str, Any]:
    adv = Advisor.build(load_rules(ROOT / "rules"))
    cases = [load_case(p) for p in sorted((ROOT / "cases").glob("*.yaml"))]
    host = RawHost(adv)
    rs = d_engine.Ruleset("raw_bench", host, copy.deepcopy(adv.compiled.definition))
    sids = (f"raw-{i}" for i in itertools.count(1))
    check_raw(rs, host, adv, cases, sids)

    def raw(c: Case) -> Any:
        return raw_evaluate(rs, host, adv, c, next(sids))

    inproc = {
        "advise": summary(time_cases(adv.advise, cases, runs)),
        "evaluate": summary(time_cases(adv.evaluate, cases, runs)),
        "raw": summary(time_cases(raw, cases, runs)),
    }
    cpu_runs = max(3, runs // 5)
    cpu = {"advise": cpu_per_case(adv.advise, cases, cpu_runs), "evaluate": cpu_per_case(adv.evaluate, cases, cpu_runs),
           "raw": cpu_per_case(raw, cases, cpu_runs)}
    advisor_cmd = [str(Path(sys.executable).with_name("advisor")), "run", COLD_CASE]
    run_cpu: list[float] = []
    pass_cpu: list[float] = []
    cold = {"advisor_run": summary(time_command(advisor_cmd, cold_runs, run_cpu)),
            "python_pass": summary(time_command([sys.executable, "-c", "pass"], cold_runs, pass_cpu))}
    cold_cpu = {"advisor_run": statistics.median(run_cpu), "python_pass": statistics.median(pass_cpu)}
    raw_median = inproc["raw"]["median"]
    batch = time_batch(batch_cases)
    reading = time_reading(runs)
    per_core = batch["steady_cases_per_s"]
    per_core_cpu = batch["steady_cases_per_cpu_s"]
    advise_raw = inproc["advise"]["median"] / raw_median
    cold_ms = cold["advisor_run"]["median"] * 1e3
    return {
        "python": platform.python_version(), "durable_rules": adv.engine.version,
        "rules": len(adv.ruleset.rules), "branches": len(adv.compiled.branches),
        "groups": adv.compiled.groups, "phases": adv.compiled.phases, "cases": len(cases),
        "cpu_count": os.cpu_count(), "load_average": os.getloadavg()[0], "runs": runs, "cold_runs": cold_runs,
        "in_process_s": inproc, "in_process_cpu_s": cpu, "cold_start_s": cold, "cold_start_cpu_s": cold_cpu,
        "batch_s": batch,
        "batch_cases": batch_cases, "read_case_s": reading,
        "ratios": {"advise/raw": advise_raw,
                   "evaluate/raw": inproc["evaluate"]["median"] / raw_median,
                   "advise/raw (CPU)": cpu["advise"] / cpu["raw"],
                   "advisor_run/python_pass": cold["advisor_run"]["median"] / cold["python_pass"]["median"],
                   "batch jobs2/jobs1 throughput": batch["jsonl_jobs1"] / batch["jsonl_jobs2"],
                   "read yaml/json": reading["yaml_file"] / reading["json_line"]},
        "goals": {"advise <= 1.5x raw durable": [advise_raw, 1.5, advise_raw <= 1.5],
                  "batch >= 600 cases/s per core": [per_core, 600, per_core >= 600],
                  "batch >= 600 cases/s per core (CPU)": [per_core_cpu, 600, per_core_cpu >= 600],
                  "cold start <= 120 ms": [cold_ms, 120, cold_ms <= 120],
                  "cold start <= 120 ms (CPU)": [cold_cpu["advisor_run"] * 1e3, 120, cold_cpu["advisor_run"] <= 0.120]},
    }


def render(r: dict[str, Any]) -> str:
    lines = [f"Python {r['python']} · durable_rules {r['durable_rules']} · {r['rules']} rules "
             f"({r['branches']} branches, {r['groups']} group(s), {r['phases']} phase(s)) · "
             f"{r['cases']} cases · cpu_count {r['cpu_count']} · load average {r['load_average']:.1f}",
             f"in-process: {r['runs']} runs x {r['cases']} cases; cold start: {r['cold_runs']} runs", "",
             f"{'measure':<42}{'median':>12}{'p90':>12}{'CPU':>12}"]
    labels = {"advise": "advisor.advise(case)", "evaluate": "advisor.evaluate(case)",
              "raw": "raw durable_rules session"}
    for key, label in labels.items():
        s = r["in_process_s"][key]
        lines.append(f"{label:<42}{s['median'] * 1e6:>9.1f} us{s['p90'] * 1e6:>9.1f} us"
                     f"{r['in_process_cpu_s'][key] * 1e6:>9.1f} us")
    for key, label in {"yaml_file": "read a case file (YAML)", "json_line": "read a batch line (JSON Lines)"}.items():
        lines.append(f"{label:<42}{r['read_case_s'][key] * 1e6:>9.1f} us")
    for key, label in {"advisor_run": f"cold: advisor run {Path(COLD_CASE).name}",
                       "python_pass": "cold: python -c pass"}.items():
        s = r["cold_start_s"][key]
        lines.append(f"{label:<42}{s['median'] * 1e3:>9.1f} ms{s['p90'] * 1e3:>9.1f} ms"
                     f"{r['cold_start_cpu_s'][key] * 1e3:>9.1f} ms")
    for kind in ("folder", "jsonl"):
        for jobs in (1, 2):
            seconds = r["batch_s"][f"{kind}_jobs{jobs}"]
            label = f"batch {r['batch_cases']} cases ({kind}), --jobs {jobs}"
            lines.append(f"{label:<42}{seconds:>9.2f} s {r['batch_cases'] / seconds:>8.0f} cases/s"
                         f"  CPU {r['batch_s'][f'{kind}_jobs{jobs}_cpu']:.2f} s")
    lines.append(f"{'batch steady state (jsonl, --jobs 1)':<42}{r['batch_s']['steady_cases_per_s']:>9.0f} cases/s"
                 f"  {r['batch_s']['steady_cases_per_cpu_s']:.0f} cases per CPU-second")
    lines += ["", "ratios (medians): " + " · ".join(f"{k} {v:.2f}x" for k, v in r["ratios"].items()), "goals:"]
    for goal, (value, target, met) in r["goals"].items():
        lines.append(f"  {goal:<34} {value:>8.2f}  {'met' if met else f'missed (target {target})'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="timed passes over all cases (default 300)")
    parser.add_argument("--cold-runs", type=int, default=10, help="timed cold-start runs (default 10)")
    parser.add_argument("--batch-cases", type=int, default=2000, help="case files for the batch measure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.runs < 1 or args.cold_runs < 2:
        parser.error("--runs must be >= 1 and --cold-runs >= 2")
    result = measure(args.runs, args.cold_runs, args.batch_cases)
    print(json.dumps(result, indent=2) if args.json else render(result))


if __name__ == "__main__":
    main()
