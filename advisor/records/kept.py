"""Kept records: a record the database refused, written whole to a file of its own for `advisor audit import`.

Each failure gets its own file (`<db>.unsaved-<content digest>-<token>.json`, created without ever
replacing another), written to a temporary file, flushed to disk and then linked into place: a full
disk or a kill leaves either the whole file or none. Reading one back checks every field and the
report's sha256, and says where a damaged file goes wrong (R007)."""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any, Iterable

from ..errors import Diagnostic, Location, RecordError
from ..i18n import Said, chinese, said
from .record import Record, content_digest_of, report_digest

TEXT_FIELDS = ("created_at", "case_name", "case_path", "case_sha256", "case_text", "rules_dir",
               "ruleset_fingerprint", "advisor_version", "engine_name", "engine_version", "lang", "report_sha256")
MAX_KEPT_BYTES = 64 * 1024 * 1024   # far above any record the advisor writes (a 2 MB case, its report)


def keep(record: Any, path: Path, why: str | Said, folders: Iterable[Path],
         causes: Iterable[Diagnostic] = ()) -> RecordError:
    """Write `record` to the first of `folders` that holds it whole, and return the R005 error saying where."""

    text = json.dumps(asdict(replace(record, id=None)), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    stem = f"{path.name}.unsaved-{content_digest_of(record)[:12]}"
    seen: list[Path] = []
    for folder in folders:
        folder = Path(os.path.abspath(folder))
        if folder in seen:
            continue
        seen.append(folder)
        kept = _write_new(folder, stem, text.encode("utf-8"))
        if kept is None:
            continue
        hint = said(f"这条记录保存在 {kept}；数据库修好之后（或者用 --db 指定另一个文件），"
                    f"用 `advisor audit import {kept}` 把它存进去",
                    f"the record is kept in {kept}; once the database is fixed (or --db names another file), "
                    f"store it with `advisor audit import {kept}`")
        return RecordError([*causes, Diagnostic("R005", said(f"这条记录没有存进 {path}：{chinese(why)}",
                                                             f"the record was not stored in {path}: {why}"), hint=hint)])
    return RecordError([*causes, Diagnostic("R005", said(f"这条记录没有存进 {path}：{chinese(why)}；"
                                                         "也没有任何文件能保存它（磁盘已满，或没有权限）",
                                                         f"the record was not stored in {path}: {why}; "
                                                         "no file could hold it either (a full disk, no permission)"),
                                            hint=said(f"腾出一些空间，或者让 {path.parent} 可写，然后再运行",
                                                      f"free some space or make {path.parent} writable and run again"))])


def _write_new(folder: Path, stem: str, data: bytes) -> Path | None:
    """A new file `stem-<token>.json` in `folder` holding exactly `data`, or None (and nothing left behind)."""
    temp = folder / f".{stem}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        for _ in range(100):
            target = folder / f"{stem}-{secrets.token_hex(4)}.json"
            try:
                os.link(temp, target)                 # never replaces a file: each failure keeps its own
            except FileExistsError:
                continue
            _sync_folder(folder)
            return target
        return None
    except OSError:
        return None
    finally:
        try:
            os.unlink(temp)
        except OSError:
            pass


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_kept(path: Path) -> Any:
    """The record kept in `path`, every field checked (R007 if the file is damaged or not a kept record)."""

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_KEPT_BYTES + 1)
        if len(data) > MAX_KEPT_BYTES:
            mb = MAX_KEPT_BYTES // 2**20
            raise _damaged(path, said(f"它超过了 {mb} MB，远比一条记录大", f"it is larger than {mb} MB, far more than a record"))
        text = data.decode("utf-8")
    except OSError as exc:
        why = exc.strerror or exc
        raise _damaged(path, said(f"它无法读取（{why}）", f"it cannot be read ({why})")) from None
    except UnicodeDecodeError as exc:
        raise _damaged(path, said(f"第 {exc.start} 个字节不是 UTF-8 文本", f"byte {exc.start} is not UTF-8 text")) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = text.splitlines() or [""]
        source = lines[min(exc.lineno, len(lines)) - 1]
        where = Location(str(path), exc.lineno, exc.colno, source_line=source[:200])
        raise RecordError([Diagnostic("R007", said(f"保存下来的记录损坏了（被截断或被编辑过）：{exc.msg}",
                                                   f"the kept record is damaged (cut short or edited): {exc.msg}"),
                                      where, hint=_HINT)]) from None
    if not isinstance(doc, dict):
        raise _damaged(path, said("它里面不是一个 JSON 对象", "it does not hold a JSON object"))
    names = {f.name for f in fields(Record)}
    missing, unknown = sorted(names - doc.keys()), sorted(doc.keys() - names)
    if missing or unknown:
        gaps = [said(f"缺少字段：{', '.join(missing)}", f"missing fields: {', '.join(missing)}")] if missing else []
        gaps += [said(f"多出字段：{', '.join(unknown)[:80]}",
                      f"unknown fields: {', '.join(unknown)[:80]}")] if unknown else []
        raise _damaged(path, said("；".join(g.zh for g in gaps), "; ".join(gaps)))
    wrong = [n for n in TEXT_FIELDS if not isinstance(doc[n], str)]
    wrong += [n for n in ("params", "report") if not isinstance(doc[n], dict)]
    if wrong or not (doc["id"] is None or isinstance(doc["id"], int)):
        listed = ', '.join(wrong or ['id'])
        raise _damaged(path, said(f"这些字段的类型不对：{listed}", f"fields of the wrong type: {listed}"))
    if report_digest(doc["report"]) != doc["report_sha256"]:
        raise _damaged(path, said("它的报告和一起保存的 sha256 对不上（写好之后被编辑过）",
                                  "its report does not match the sha256 kept with it (edited after it was written)"))
    return Record(**{**doc, "id": None})


_HINT = said("这个文件不是 advisor 当初保存的那条记录；找一找同一次运行的另一个 .unsaved-….json 文件，或者用 --record "
              "重新运行这个案例",
              "this file is not the record as the advisor kept it; look for another .unsaved-….json file of the same "
              "run, or run the case again with --record")


def _damaged(path: Path, why: str | Said) -> RecordError:
    return RecordError([Diagnostic("R007", said(f"{path} 不是一条完整的保存记录：{chinese(why)}",
                                                f"{path} is not a whole kept record: {why}"), hint=_HINT)])
