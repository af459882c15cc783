"""Seals of decision records: each record's whole content hashed and chained to the record before it.

A record's *content digest* is the sha256 of every stored column but the id (case text, parameters,
date, name, versions, report and its sha256), spelled as canonical JSON. Its *seal* is the sha256 of
its id, the id and seal of the record before it, and its content digest: a record edited, deleted,
inserted or re-sealed breaks the seal of the next record, and is named by id. The chain proves
nothing about records cut from its end together with their seals; the head (the newest seal) is
shown by `advisor audit list` so that it can be kept elsewhere and compared.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

from ..i18n import Said, said

GENESIS = "0" * 64                 # the "seal" before the first record


def canonical_json(value: Any) -> str:
    """The one JSON spelling stored and hashed: sorted keys, UTF-8 text kept as is, no spaces."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_digest(stored: dict[str, Any], columns: Iterable[str]) -> str:
    """The sha256 of a record's stored columns (all but the id), as canonical JSON."""
    return hashlib.sha256(canonical_json([stored[c] for c in columns]).encode("utf-8")).hexdigest()


def seal_digest(record_id: int, prev_id: int | None, prev_seal: str, content: str) -> str:
    """The seal of record `record_id`: its content chained to the record before it."""
    return hashlib.sha256(canonical_json([record_id, prev_id, prev_seal, content]).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Seal:
    id: int
    content_sha256: str
    prev_id: int | None
    prev_sha256: str
    seal_sha256: str
    sealed: str                    # "stored" by the advisor as it appended, or "migrated" from schema 1


@dataclass(frozen=True)
class Link:
    """One record as read: its id, its seal (None if it has none) and the content digest recomputed from it."""

    id: int
    seal: Seal | None
    content: str | None            # None: the row cannot be hashed (not text)


def step(prev: Link | None, link: Link) -> list[tuple[tuple[int, ...], Said]]:
    """What is wrong with `link` and its place after `prev` (None: it is the first record), as
    (ids concerned, a sentence naming them); empty when its seal and its link to `prev` hold."""
    seal = link.seal
    if seal is None:
        return [((link.id,), said(f"第 {link.id} 号记录没有封印：它是在 advisor 之外加进来的，或者它的封印在 advisor 之外被删掉了",
                                  f"record {link.id} is not sealed: it was added, or its seal removed, outside the advisor"))]
    if link.content is None or link.content != seal.content_sha256 or seal.seal_sha256 != seal_digest(
            seal.id, seal.prev_id, seal.prev_sha256, seal.content_sha256):
        return [((link.id,), said(f"第 {link.id} 号记录在 advisor 之外被改动过：它的内容和封印对不上了",
                                  f"record {link.id} was altered outside the advisor: its content no longer matches its seal"))]
    expected_id = prev.id if prev else None
    expected = prev.seal.seal_sha256 if prev and prev.seal else GENESIS
    if seal.prev_id is not None and (prev is None or seal.prev_id > prev.id):
        return [((seal.prev_id,), said(f"第 {seal.prev_id} 号记录被删掉了：第 {link.id} 号记录链接着它，而它已经不在了",
                                       f"record {seal.prev_id} was deleted: record {link.id} is chained to it and it is gone"))]
    if seal.prev_id != expected_id or seal.prev_sha256 != expected:
        if prev is None:
            return [((link.id,), said(f"第 {link.id} 号记录是在 advisor 之外插进来的：它没有链接到任何记录",
                                      f"record {link.id} was inserted outside the advisor: it is chained to no record"))]
        return [((prev.id, link.id), said(f"第 {prev.id} 号和第 {link.id} 号记录：两者之间的链条断了；第 {prev.id} 号在 advisor "
                                          f"之外被改动并重新封印过，或者第 {link.id} 号是在 advisor 之外插进来的",
                                          f"records {prev.id} and {link.id}: the chain breaks between them; record {prev.id} "
                                          f"was altered and re-sealed, or record {link.id} inserted, outside the advisor"))]
    return []


def tail(last_id: int, last_id_given: int) -> list[tuple[tuple[int, ...], Said]]:
    """Records cut from the end: ids the database gave out (sqlite_sequence) above the last record."""
    return [((gone,), said(f"第 {gone} 号记录被删掉了：数据库发出过这个编号，而这条记录已经不在了",
                           f"record {gone} was deleted: the database gave out its id and the record is gone"))
            for gone in range(last_id + 1, last_id_given + 1)]
