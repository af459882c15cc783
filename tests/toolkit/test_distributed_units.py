"""The Ray engine's parts that run without Ray: rules as content, the worker, the impact line, the generator."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

from advisor.load.rules import load_rules
from advisor.toolkit import batch as batching
from advisor.toolkit.distributed import impact
from advisor.toolkit.distributed.actor import Worker, tainted
from advisor.toolkit.distributed.rules import RulesContent

from conftest import CASES, ROOT, RULES


def _generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_travel_as_content_and_give_the_same_fingerprint_without_the_folder(tmp_path):
    copy = tmp_path / "somewhere" / "rules"
    shutil.copytree(RULES, copy)
    packed = RulesContent.read(copy).pack()
    shutil.rmtree(copy)                                   # the worker never sees the driver's folder
    worker = Worker(packed)
    item = next(batching.items(CASES))
    (line,) = worker.run([item]).lines
    assert json.loads(line)["ruleset"] == load_rules(RULES).fingerprint
    batching.start(str(RULES))
    assert line == batching.evaluate(item)                # the same line as the local batch


def test_a_reply_stops_at_the_case_that_tainted_the_engine():
    tainting = batching.line_of({"key": "k", "status": "error", "errors": [{"code": "X003", "message": "boom"}]})
    quoted = batching.line_of({"key": "k", "status": "ok", "case": 'name "code": "X003"'})
    assert tainted(tainting) and not tainted(quoted)      # text from a case is escaped, never a code
    items = list(batching.items(CASES))[:3]
    worker = Worker(RulesContent.read(RULES).pack(), task=lambda item: tainting if item is items[1] else "{}")
    reply = worker.run(items)
    assert reply.tainted and reply.lines == ("{}", tainting)
    again = worker.run(items)
    assert again.tainted and again.lines == ()            # the process evaluates no more
    refused = batching.line_of({"key": "k", "status": "error", "errors": [{"code": "X004", "message": "earlier"}]})
    later = Worker(RulesContent.read(RULES).pack(), task=lambda item: refused if item is items[1] else "{}")
    assert later.run(items).lines == ("{}",)              # a refusal is not that case's result: it runs again


def test_the_impact_line_says_what_changed_for_one_case(tmp_path):
    new = tmp_path / "rules"
    shutil.copytree(RULES, new)
    path = new / "timing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("priority: high", "priority: low", 1), encoding="utf-8")
    worker = Worker(RulesContent.read(new).pack(), RulesContent.read(RULES).pack())
    rows = [json.loads(line) for line in worker.run(list(batching.items(CASES))).lines]
    assert all(r["status"] == "ok" for r in rows)
    changed = [impact.change_of(r) for r in rows if not impact.change_of(r).difference.identical]
    assert changed and all(any(w[0] == "timing.needs_negotiation" for w in c.difference.reworded) for c in changed)
    tally = impact.Tally()
    for change in changed:
        tally.count(change.difference)
    assert tally.per_rule["timing.needs_negotiation"]["reworded"] == len(changed)


def test_a_case_the_reader_refuses_is_an_impact_error_not_an_abort():
    worker = Worker(RulesContent.read(RULES).pack(), RulesContent.read(RULES).pack())
    bad = batching.Item("bad.jsonl:1", "bad.jsonl", b'{"as_of": "2026-02-30"}')
    (line,) = worker.run([bad]).lines
    row = json.loads(line)
    assert row["status"] == "error" and row["errors"][0]["code"].startswith("C")


def test_the_generator_is_deterministic_by_seed_and_every_case_is_valid(tmp_path):
    generate = _generator()
    first = list(generate.generate(150, 3))
    assert first == list(generate.generate(150, 3))
    assert first != list(generate.generate(150, 4))
    shipped = {json.dumps(generate._plain({k: v for k, v in c.items() if k != "expect"}), ensure_ascii=False)
               for c in map(generate.yaml.safe_load, (p.read_text(encoding="utf-8") for p in CASES.glob("*.yaml")))}
    assert sum(line in shipped for line in first) < 10     # perturbed, not copies
    source = tmp_path / "gen.jsonl"
    source.write_text("".join(line + "\n" for line in first), encoding="utf-8")
    batching.start(str(RULES))
    rows = [json.loads(batching.evaluate(item)) for item in batching.items(source)]
    assert len(rows) == 150 and [r["status"] for r in rows] == ["ok"] * 150, [r for r in rows if r["status"] != "ok"]
    assert len({json.dumps(r["advice"]) for r in rows}) > 40  # the variants get varied advice


def test_the_generator_writes_its_file_whole(tmp_path):
    generate = _generator()
    out = tmp_path / "g.jsonl"
    import sys

    argv, sys.argv = sys.argv, ["generate.py", "20", "--seed", "5", "--out", str(out)]
    try:
        generate.main()
    finally:
        sys.argv = argv
    assert out.read_text(encoding="utf-8").splitlines() == list(generate.generate(20, 5))
    assert not (tmp_path / "g.jsonl.tmp").exists()


def test_ray_options_without_the_ray_engine_are_refused_not_ignored(runner, tmp_path):
    from advisor.cli import main

    out = tmp_path / "out.jsonl"
    for args in (["batch", str(CASES), "--out", str(out), "--workers", "2"],
                 ["diff", "--old", str(RULES), "--address", "127.0.0.1:6379"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and "need --engine ray" in result.output, result.output
    assert not out.exists()


def test_without_ray_installed_the_ray_engine_says_which_extra_to_install(runner, tmp_path, monkeypatch):
    import sys

    from advisor.cli import main

    monkeypatch.setitem(sys.modules, "ray", None)          # `import ray` now fails as if it were not installed
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["batch", str(CASES), "--out", str(out), "--quiet", "--engine", "ray"])
    assert result.exit_code == 5 and "B010" in result.output and "advisor[ray]" in result.output, result.output
    assert not out.exists() or out.read_bytes() == b""      # nothing written, nothing lost
