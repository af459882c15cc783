"""A decision record as data: what one run keeps, and the digests that seal it (the store and the kept
files both build on this, so neither imports the other for it)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from typing import Any

from . import seals
from .seals import canonical_json


def report_digest(report: dict[str, Any]) -> str:
    """The sha256 of the canonical JSON of `report`: what `Record.report_sha256` holds."""
    return hashlib.sha256(canonical_json(report).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Record:
    """One run of the advisor: the case, the rules and parameters, the versions and the report it gave."""

    id: int | None                 # None before it is stored
    created_at: str                # ISO 8601 UTC, metadata only
    case_name: str
    case_path: str
    case_sha256: str               # sha256 of the case file's bytes
    case_text: str                 # the case file's full text, so a replay needs nothing else
    rules_dir: str
    ruleset_fingerprint: str
    params: dict[str, Any]         # parameters used, with values and effective dates
    advisor_version: str
    engine_name: str
    engine_version: str
    lang: str
    report: dict[str, Any]         # the JSON document of the run
    report_sha256: str             # report_digest(report)


COLUMNS = tuple(f.name for f in fields(Record))
JSON_COLUMNS = ("params", "report")


def _stored(record: Record) -> dict[str, Any]:
    """The column values as the database holds them (JSON columns as canonical JSON text)."""
    return {c: canonical_json(getattr(record, c)) if c in JSON_COLUMNS else getattr(record, c) for c in COLUMNS}


def content_digest(stored: dict[str, Any]) -> str:
    """The sha256 of a stored row's content: every column but the id (seals.py)."""
    return seals.content_digest(stored, COLUMNS[1:])


def content_digest_of(record: Record) -> str:
    return content_digest(_stored(record))
