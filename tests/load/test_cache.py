"""The rule-set cache gives exactly what load_rules gives, and never a stale or broken entry."""
from __future__ import annotations

import shutil

import pytest

from advisor.errors import RuleError
from advisor.load import cache
from advisor.load.cases import load_case
from advisor.load.rules import load_rules
from advisor.render import json as render_json

from conftest import CASES, RULES


@pytest.fixture
def rules(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    return folder


def _cached(folder):
    """The rule set from the cache, with nothing derived from it kept beside it."""
    return cache.load_rules_with(folder, _nothing)[0]


def _nothing(ruleset):
    return None


def _entries(tmp_path):
    return sorted((tmp_path / "cache").glob("rules-*.pickle"))


def test_a_cached_rule_set_is_the_loaded_one_and_is_read_back(rules, tmp_path, monkeypatch):
    first = _cached(rules)
    assert first == load_rules(rules) and len(_entries(tmp_path)) == 1

    def refuse(directory):
        raise AssertionError("parsed again")

    monkeypatch.setattr(cache, "load_rules", refuse)
    assert _cached(rules) == first


def test_the_compiled_rules_kept_with_them_are_what_compiling_gives_now(rules, tmp_path, monkeypatch):
    from advisor import advise
    from advisor.engine import compiler

    from advisor.expr.strata import stratify

    _cached(rules)                          # an entry without the compiled rules yet
    ruleset, (compiled, strata, kept) = cache.load_rules_with(rules, advise.prepare)
    fresh = load_rules(rules)
    assert (compiled, strata) == (compiler.compile_ruleset(fresh), stratify(fresh.rules))
    assert kept and all(found.compute is None for found in kept.values())     # no closure in the entry
    layers = advise.Advisor.build(fresh).reference.layers
    assert len(_entries(tmp_path)) == 1

    def refuse(*args):
        raise AssertionError("parsed or compiled again")

    refuse.__module__, refuse.__qualname__ = "advisor.advise", "prepare"      # what the cache keeps it under
    monkeypatch.setattr(cache, "load_rules", refuse)
    monkeypatch.setattr(advise, "prepare", refuse)
    advisor = advise.Advisor.from_folder(rules)             # both read back, neither built again
    assert advisor.compiled == compiled and advisor.ruleset == ruleset
    assert advisor.reference.layers == layers             # the reference runs the rules in the same strata
    monkeypatch.undo()
    plain = advise.Advisor.build(fresh)                   # nothing kept: every placeholder compiled on use
    for path in sorted(CASES.glob("*.yaml")):
        case = load_case(path)
        for lang in ("zh", "en"):
            assert render_json.render(advisor.advise(case, lang, explain=True)) == render_json.render(
                plain.advise(case, lang, explain=True))
    assert set(plain.templates) <= set(advisor.templates)  # every placeholder used was kept


def test_the_keys_sha256_is_hashlibs():
    import hashlib

    for data in (b"", b"rules", bytes(range(256)) * 40):
        assert cache.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_an_edited_rule_file_is_never_served_from_the_cache(rules, tmp_path):
    before = _cached(rules)
    params = rules / "params.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("value: 7\n", "value: 10\n", 1), encoding="utf-8")
    after = _cached(rules)
    assert after == load_rules(rules) and after != before and after.fingerprint != before.fingerprint
    assert len(_entries(tmp_path)) == 2


def test_a_damaged_entry_is_ignored_and_replaced(rules, tmp_path):
    good = _cached(rules)
    entry, = _entries(tmp_path)
    entry.write_bytes(b"\x80\x05not a pickle")
    assert _cached(rules) == good
    assert entry.read_bytes() != b"\x80\x05not a pickle" and _cached(rules) == good


def test_rules_with_errors_are_reported_each_time_and_never_stored(rules, tmp_path):
    (rules / "zz_bad.yaml").write_text("rules:\n  - id: x\n    when: nonsense >\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError):
            _cached(rules)
    assert _entries(tmp_path) == []


def test_the_cache_can_be_turned_off_and_an_unwritable_one_is_only_slower(rules, tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE", "off")
    assert _cached(rules) == load_rules(rules) and not (tmp_path / "cache").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ADVISOR_CACHE", str(blocker / "cache"))     # no folder can be made under a file
    assert _cached(rules) == load_rules(rules)


@pytest.mark.parametrize("shared", ["folder", "entry"])
def test_an_entry_others_could_have_written_is_never_unpickled(rules, tmp_path, shared):
    """A pickle runs code as it loads: in a folder (or a file) writable by others it is not read."""
    import dataclasses
    import os
    import pickle

    real = _cached(rules)
    (entry,) = _entries(tmp_path)
    planted = dataclasses.replace(real, rules=real.rules[:1])          # what someone else wrote there
    entry.write_bytes(pickle.dumps((planted, {})))                    # in the format the cache keeps
    os.chmod(tmp_path / "cache" if shared == "folder" else entry, 0o777 if shared == "folder" else 0o666)
    assert _cached(rules) == real
    os.chmod(tmp_path / "cache", 0o700)
    os.chmod(entry, 0o600)
    if shared == "folder":
        assert _cached(rules) == planted        # the same entry, once private, is the user's
