"""Hostile YAML: tags that build objects, alias bombs, huge or deep files, wrong shapes, binary data and
encodings give a clear error (code, file:line:col, hint) and its exit code — never a traceback or a hang."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.load.cases import load_case
from advisor.errors import RuleError
from advisor.load.rules import load_rules
from advisor.load.read import MAX_BYTES

from conftest import CASES
from hostile import _case_errors, _one, _rules_folder, _run, _timed, _write, AS_OF, HOSTILE

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


# --- YAML tags that construct Python objects -------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "!!python/object/apply:os.system ['touch PWNED']",
    "!!python/name:os.system",
    "!!python/object/new:dict {}",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!local 1",
], ids=["apply", "name", "new", "binary", "set", "local"])
def test_case_tags_that_build_objects_are_refused(runner, tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    case = _write(tmp_path, AS_OF + f"name: {value}\n")
    result = _run(runner, case)
    assert result.exit_code == 3
    assert f"{case}:2:7: error[Y001]: YAML tag '{value.split()[0]}' is not allowed" in result.output
    assert "hint: remove the '!…' tag" in result.output
    assert not (tmp_path / "PWNED").exists()


def test_case_fixture_with_a_python_object_is_refused_without_running_it(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    diag = _one(_case_errors(HOSTILE / "python_object.yaml"), "Y001")
    assert (diag.location.line, diag.location.col) == (3, 7)
    assert "!!python/object/apply:os.system" in diag.message
    assert _run(runner, HOSTILE / "python_object.yaml").exit_code == 3
    assert not (tmp_path / "PWNED").exists()


def test_rule_file_tags_that_build_objects_are_refused(runner, tmp_path):
    folder = _rules_folder(tmp_path, {"t.yaml": (HOSTILE / "python_name_rule.yaml").read_text(encoding="utf-8"),
                                      "u.yaml": "rules: !!python/object/apply:os.system ['true']\n"})
    with pytest.raises(RuleError) as info:
        load_rules(folder)
    places = {(Path(d.location.file).name, d.location.line, d.location.col) for d in info.value.diagnostics
              if d.code == "Y001"}
    assert places == {("t.yaml", 6, 11), ("u.yaml", 1, 8)}
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder)
    assert result.exit_code == 4 and "error[Y001]: YAML tag '!!python/name:os.system'" in result.output


# --- alias bombs -----------------------------------------------------------------------------------------

def test_billion_laughs_is_refused_fast_without_expanding(runner):
    diags, seconds = _timed(lambda: _case_errors(HOSTILE / "billion_laughs.yaml"))
    assert seconds < 0.5, f"{seconds:.3f} s"
    y002 = [d for d in diags if d.code == "Y002"]
    assert [d.location.line for d in y002] == list(range(4, 13))  # each anchor once, at its line
    assert all(d.hint == "write the value out in full" for d in y002)
    assert _run(runner, HOSTILE / "billion_laughs.yaml").exit_code == 3


def test_a_wider_and_deeper_alias_bomb_is_still_instant(tmp_path):
    lines = [AS_OF, 'l0: &l0 ["' + "x" * 100 + '"]\n']
    for level in range(1, 40):  # 50^39 strings if expanded
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 50)}]\n")
    case = _write(tmp_path, "".join(lines))
    diags, seconds = _timed(lambda: _case_errors(case))
    assert seconds < 0.5, f"{seconds:.3f} s"
    assert sum(d.code == "Y002" for d in diags) == 39


def test_alias_bomb_in_a_rule_file_is_a_rule_error(runner, tmp_path):
    text = (HOSTILE / "billion_laughs.yaml").read_text(encoding="utf-8").replace("as_of: 2026-11-28\n", "rules: []\n")
    folder = _rules_folder(tmp_path, {"bomb.yaml": text})
    result, seconds = _timed(lambda: _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder))
    assert result.exit_code == 4 and "error[Y002]" in result.output and seconds < 1


def test_merge_keys_are_refused(tmp_path):
    case = _write(tmp_path, AS_OF + "base: &b {salary: 1}\nincome:\n  <<: *b\n")
    diags = _case_errors(case)
    assert any(d.code == "Y002" and "merge keys" in d.message and d.location.line == 4 for d in diags)


# --- size and depth --------------------------------------------------------------------------------------

def test_a_50_mb_case_is_refused_by_size_before_parsing(runner, tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as out:
        out.write(AS_OF + "notes: |\n")
        chunk = ("  " + "很长的备注" * 19 + "\n") * 1000
        while out.tell() < 50 * 1024 * 1024:
            out.write(chunk)
    diags, seconds = _timed(lambda: _case_errors(big))
    assert seconds < 0.5, f"{seconds:.3f} s"
    diag = _one(diags, "Y000")
    assert diag.message.startswith("file is too large (") and f"limit {MAX_BYTES:,}" in diag.message
    assert str(diag.location) == str(big)  # the whole file: no made-up line:col
    result = _run(runner, big)
    assert result.exit_code == 3 and "file is too large" in result.output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_without_hanging(runner):
    result, seconds = _timed(lambda: _run(runner, "/dev/zero"))
    assert result.exit_code == 3 and "file is too large (more than" in result.output and seconds < 2


@pytest.mark.parametrize("text", [
    AS_OF + "notes: " + "[" * 10_000 + "]" * 10_000 + "\n",
    AS_OF + "notes: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
    "[" * 10_000,
    "{" * 10_000,
    AS_OF + "notes: " + "[" * 60 + "]" * 60 + "\n",  # under libyaml's 1,000 levels, over the advisor's 50
], ids=["seq", "map", "open_seq", "open_map", "sixty"])
def test_deep_nesting_is_refused_without_recursion_error(runner, tmp_path, text):
    case = _write(tmp_path, text)
    diag = _one(_case_errors(case), "Y003")
    assert diag.message == "the data is nested too deeply" and "'['" in diag.hint
    result = _run(runner, case)
    assert result.exit_code == 3
    assert max(len(line) for line in result.output.splitlines()) < 200  # the 20,000-character line is clipped


def test_deep_nesting_with_the_pure_python_yaml_loader(tmp_path, monkeypatch):
    from advisor.load import source

    monkeypatch.setattr(source, "_LOADER", yaml.SafeLoader)  # no libyaml: the composer recurses per level
    case = _write(tmp_path, AS_OF + "notes: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert _one(_case_errors(case), "Y003").message == "the data is nested too deeply"


def test_deep_nesting_in_a_rule_file_is_a_rule_error(runner, tmp_path):
    folder = _rules_folder(tmp_path, {"deep.yaml": "rules: " + "[" * 10_000 + "]" * 10_000 + "\n"})
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder)
    assert result.exit_code == 4 and "error[Y003]: the data is nested too deeply" in result.output

# --- empty, wrong shape, binary --------------------------------------------------------------------------

@pytest.mark.parametrize("data, code, says", [
    (b"", "Y000", "file is empty"),
    (b"# only a comment\n\n", "Y000", "file is empty"),
    (b"- as_of: 2026-11-28\n", "C020", "'the case' must be a mapping"),
    (b"hello\n", "C020", "'the case' must be a mapping"),
    (b"42\n", "C020", "'the case' must be a mapping"),
    (bytes(range(256)) * 8, "Y000", "not UTF-8"),
    (b"as_of: 2026-11-28\x00\nname: x\n", "Y000", "not UTF-8"),
    (b"as_of: 2026-11-28\nname: a\x07b\n", "Y000", "control character U+0007"),
    (b"as_of: 2026-11-28\nname: \x1b[31mred\x1b[0m\n", "Y000", "control character U+001B"),
    (b"as_of: 2026-11-28\nloans: [\n", "Y000", "invalid YAML"),
    (b"? [a, b]\n: 1\n", "Y001", "a key must be a plain word"),
], ids=["empty", "comment", "list", "scalar", "number", "binary", "nul", "bell", "escape", "unclosed", "list_key"])
def test_files_that_are_not_a_case_are_refused(runner, tmp_path, data, code, says):
    case = _write(tmp_path, data)
    diag = _one(_case_errors(case), code)
    assert says in diag.message
    result = _run(runner, case)
    assert result.exit_code == 3 and f"error[{code}]" in result.output


@pytest.mark.parametrize("loader", ["libyaml", "python"])
def test_a_control_character_is_placed_at_its_line_and_column(tmp_path, monkeypatch, loader):
    from advisor.load import source

    if loader == "python":
        monkeypatch.setattr(source, "_LOADER", yaml.SafeLoader)
    diag = _one(_case_errors(_write(tmp_path, AS_OF + "name: 张三张三\x07\n")), "Y000")
    assert (diag.location.line, diag.location.col) == (2, 11)  # libyaml counts bytes; the column counts characters


# --- encodings -------------------------------------------------------------------------------------------

def test_a_gbk_case_says_it_is_not_utf8_and_how_to_convert(runner):
    diag = _one(_case_errors(HOSTILE / "gbk_case.yaml"), "Y000")
    assert "not UTF-8" in diag.message and "GBK" in diag.message
    assert diag.location.line == 1 and diag.location.col == 3  # the first Chinese character of the comment
    assert "iconv -f GB18030 -t UTF-8" in diag.hint and "UTF-8" in diag.hint
    result = _run(runner, HOSTILE / "gbk_case.yaml")
    assert result.exit_code == 3 and "另存为" in result.output


def test_a_utf8_bom_is_accepted_and_changes_nothing(runner, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    same = _write(plain, (HOSTILE / "utf8_bom_case.yaml").read_bytes()[3:], "utf8_bom_case.yaml")
    with_bom = _run(runner, HOSTILE / "utf8_bom_case.yaml", "--format", "json")
    without = _run(runner, same, "--format", "json")
    assert with_bom.exit_code == 0 and with_bom.output == without.output
    assert load_case(HOSTILE / "utf8_bom_case.yaml").values["income.salary"] == 5000


@pytest.mark.parametrize("encoding, says", [
    ("utf-16", "file is UTF-16 text"), ("utf-16-le", "looks like UTF-16"), ("utf-16-be", "looks like UTF-16"),
    ("utf-32", "file is UTF-32 text"),
])
def test_utf16_and_utf32_cases_are_named_as_such(runner, tmp_path, encoding, says):
    case = _write(tmp_path, (AS_OF + "name: 张三\n").encode(encoding))
    diag = _one(_case_errors(case), "Y000")
    assert says in diag.message and "UTF-8" in diag.hint and "iconv" in diag.hint
    assert _run(runner, case).exit_code == 3
    assert _run(runner, HOSTILE / "utf16_case.yaml").exit_code == 3
