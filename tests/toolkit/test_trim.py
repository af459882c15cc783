"""Long runs trim the C heap every so many cases (toolkit/trim.py)."""
from __future__ import annotations

from advisor.toolkit import batch, trim


def test_the_heap_is_trimmed_once_every_so_many_cases(monkeypatch):
    calls = []
    trimmer = trim.Trimmer(every=3)
    monkeypatch.setattr(trimmer, "_trim", calls.append)
    for _ in range(10):
        trimmer.done()
    assert calls == [0, 0, 0] and trimmer.trims == 3 and trimmer.count == 10


def test_glibc_has_malloc_trim_and_a_trim_runs():
    found = trim._malloc_trim()
    assert found is not None                   # this machine and CI run glibc
    found(0)


def test_each_batch_case_counts_towards_the_next_trim(tmp_path):
    from conftest import CASES, RULES

    batch.start(str(RULES))
    before = batch.TRIMMER.count
    path = CASES / "due_soon_shortfall.yaml"
    item = batch._file_item(path)
    assert '"status": "ok"' in batch.evaluate(item)
    assert batch.TRIMMER.count == before + 1
