"""A JSON Lines line is read with the JSON parser, and means exactly what the YAML reader makes of it."""
from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from advisor.errors import CaseError
from advisor.load import jsonl
from advisor.load.cases import load_case_text

from conftest import CASES


def _without_places(case):
    """The case without where each value was written (a JSON line has one place; the YAML reader marks each
    value's column), journal entries included."""
    return dataclasses.replace(case, origins={}, loans=None if case.loans is None else tuple(
        dataclasses.replace(loan, origins={}) for loan in case.loans),
        journal=tuple(dataclasses.replace(entry, origins={}, location=None) for entry in case.journal))


def _line(path) -> str:
    return json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), ensure_ascii=False, default=str)


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_case_as_a_json_line_reads_as_the_yaml_reader_reads_it(path):
    line = _line(path)
    assert _without_places(jsonl.load_case_line(line, "in.jsonl:1")) == _without_places(load_case_text(line, "in.jsonl:1"))


def test_the_json_parser_reads_the_line_and_yaml_is_not_asked(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the YAML reader was asked")

    monkeypatch.setattr(jsonl, "load_case_text", refuse)
    case = jsonl.load_case_line(_line(CASES / "three_loans_plan.yaml"), "in.jsonl:1")
    assert case.loans and len(case.loans) == 3


BASE = '"as_of": "2026-11-28", "loans": [{"name": "A", "balance": %s, "monthly_payment": 1500}]'


@pytest.mark.parametrize("balance", ["1e5", "1.5e5", "1.5E+5", "12000.0", "-0.0", "NaN", "Infinity", '"1.2万"',
                                     '"\\u00a512,000"', "12000"])
def test_numbers_mean_what_yaml_makes_of_them(balance):
    line = "{" + BASE % balance + "}"
    try:
        expected = _without_places(load_case_text(line, "x"))
    except CaseError as exc:
        with pytest.raises(CaseError) as info:
            jsonl.load_case_line(line, "x")
        assert info.value.render() == exc.render()
        return
    assert _without_places(jsonl.load_case_line(line, "x")) == expected


@pytest.mark.parametrize("line", [
    '{"as_of": "2026-11-28", "as_of": "2026-11-29"}',                    # a duplicate key: YAML refuses it
    '{"as_of": "2026-11-28", "name": "a\u2028b"}',                       # a line break to YAML
    '{"as_of": "2026-11-28", "name": "a\u0085b"}',
    '{"as_of": "2026-11-28", "name": "a\ufffeb"}',                       # a character YAML refuses
    '{"as_of": "2026-02-30"}',                                           # a bad value: its place
    '{"as_of": "2026-11-28", "income": {"salary": "lots"}}',
    '{"as_of": "2026-11-28", "nope": 1}',
    '[1, 2]',
    '{"as_of": "2026-11-28", "notes": ' + "[" * 60 + "]" * 60 + '}',     # deeper than YAML allows
    '{"as_of": "2026-11-28"',                                            # not JSON at all
])
def test_a_line_yaml_might_read_otherwise_or_refuse_gets_the_yaml_readers_answer(line):
    try:
        expected = load_case_text(line, "in.jsonl:7")
    except CaseError as exc:
        with pytest.raises(CaseError) as info:
            jsonl.load_case_line(line, "in.jsonl:7")
        assert info.value.render() == exc.render() and info.value.diagnostics[0].location is not None
        return
    got = jsonl.load_case_line(line, "in.jsonl:7")
    assert got == expected            # read by YAML: the very same case, places included
