"""How `advisor journal CASE add` should write (issue 17): a textual insertion, or a round trip through
ruamel.yaml (when it is installed; it is not a dependency). For every shipped case, one entry is appended
both ways and compared with the original: lines other than the entry's own that changed, and the time
per append (median). Also the cost of a journal on evaluation: Advisor.advise on the journal cases (which
build the plan once more for the adjusted offer) against the cases without one.

Usage: python benchmarks/journal_append.py [--runs N]   (PYTHONPATH may point at a ruamel.yaml install)
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.advise import Advisor  # noqa: E402
from advisor.load.cases import load_case  # noqa: E402
from advisor.load.rules import load_rules  # noqa: E402
from advisor.toolkit.journal_add import with_entry  # noqa: E402

ENTRY = {"date": "2026-11-01", "lender": "1", "kind": "contact", "note": "测试"}


def changed_lines(before: str, after: str, added: int) -> int:
    """Lines of `before` that are not in `after` unchanged (the added lines are not counted)."""
    import difflib

    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:2] in ("- ", "+ ")]
    return max(0, len(diff) - added)


def ruamel_append(text: str) -> str:
    """The round trip set to the shipped files' own style (2-space maps, '  - ' items, long lines kept)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    data = yaml.load(text)
    data.setdefault("journal", []).append(dict(ENTRY))
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    cases = sorted((ROOT / "cases").glob("*.yaml"))
    try:
        import ruamel.yaml  # noqa: F401
        have_ruamel = True
    except ImportError:
        have_ruamel = False
    text_changed = ruamel_changed = files_ruamel_changed = 0
    t_text, t_ruamel = [], []
    for path in cases:
        text = path.read_text(encoding="utf-8")
        new = with_entry(text, str(path), ENTRY)
        added = len(new.splitlines()) - len(text.splitlines())
        text_changed += changed_lines(text, new, added)
        t_text.append(median_ms(lambda: with_entry(text, str(path), ENTRY), args.runs))
        if have_ruamel:
            other = ruamel_append(text)
            n = changed_lines(text, other, added)
            ruamel_changed += n
            files_ruamel_changed += n > 0
            t_ruamel.append(median_ms(lambda: ruamel_append(text), args.runs))
    print(f"{len(cases)} case files, one entry appended to each")
    print(f"  textual insertion: {text_changed} other lines changed, median {statistics.median(t_text):.2f} ms/append")
    if have_ruamel:
        print(f"  ruamel.yaml round trip: {ruamel_changed} other lines changed in {files_ruamel_changed} files, "
              f"median {statistics.median(t_ruamel):.2f} ms/append")
    else:
        print("  ruamel.yaml: not installed (PYTHONPATH=DIR with `pip install --target DIR ruamel.yaml`)")
    advisor = Advisor.build(load_rules(ROOT / "rules"))
    loaded = [load_case(p) for p in cases]
    with_journal = [c for c in loaded if c.journal]
    without = [c for c in loaded if not c.journal]
    per = {name: statistics.median(median_ms(lambda c=c: advisor.advise(c), args.runs) for c in group)
           for name, group in (("journal", with_journal), ("no journal", without))}
    print(f"  Advisor.advise median per case: {per['journal']:.2f} ms with a journal ({len(with_journal)} cases), "
          f"{per['no journal']:.2f} ms without ({len(without)} cases), ratio {per['journal'] / per['no journal']:.2f}")


if __name__ == "__main__":
    main()
