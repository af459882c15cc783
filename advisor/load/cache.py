"""A cache of loaded rule sets, so that a cold start does not parse and check every rule file again.

Reading, parsing and type-checking the shipped rules is about a quarter of `advisor run`'s start-up; a
pickled RuleSet loads in a few milliseconds. The entry is keyed by everything `load_rules` reads and
is: the folder as named (and resolved, and the working folder), every file in it that it reads (name and bytes), the Python version and the
advisor's own code (the name, size and modification time of every module), so an edited rule, a new
parameter or a changed reader never meets a stale entry. Only a rule set that loaded without errors is
stored; a damaged or unreadable entry is ignored and replaced. Entries live in $ADVISOR_CACHE, else
$XDG_CACHE_HOME/advisor, else ~/.cache/advisor; ADVISOR_CACHE=off turns the cache off. Writes are
atomic (a temporary file, then os.replace).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from ..model import RuleSet
from .rules import PARAMS_FILE, load_rules, rule_files

_PACKAGE = Path(__file__).resolve().parent.parent
KEEP = 8          # entries kept: a few rule folders and versions, never a growing pile


def folder() -> Path | None:
    """Where entries live, or None when the cache is off."""
    chosen = os.environ.get("ADVISOR_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "advisor"


def _code_stamp() -> bytes:
    """The advisor's modules by name, size and modification time (an edit of any changes the key)."""
    parts = [sys.version.encode()]
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(root, name))
                parts.append(f"{os.path.relpath(os.path.join(root, name), _PACKAGE)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return b"\n".join(parts)


def _key(directory: Path) -> str | None:
    """The entry's key, or None when the folder cannot be read (load_rules then reports why)."""
    digest = hashlib.sha256(_code_stamp())
    # Places in rule diagnostics and origins are shown relative to the working folder, as named.
    for part in (str(directory), os.getcwd(), str(directory.resolve())):
        digest.update(b"\0dir\0" + part.encode("utf-8", "surrogateescape"))
    try:
        paths = [directory / PARAMS_FILE] if (directory / PARAMS_FILE).is_file() else []
        for path in [*paths, *rule_files(directory)]:
            digest.update(b"\0file\0" + path.name.encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes())
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _private(path: Path) -> bool:
    """Only the user may have written it: owned by this user, writable by no one else. A pickle runs code as
    it loads, so an entry in a folder others can write to (ADVISOR_CACHE=/tmp/shared) is never read."""
    try:
        info = path.stat()
    except OSError:
        return False
    return (not hasattr(os, "getuid") or info.st_uid == os.getuid()) and not info.st_mode & 0o022


def load_rules_cached(directory: Path) -> RuleSet:
    """`load_rules(directory)`, from the cache when the very same files were loaded before."""
    where = folder()
    key = _key(directory) if where is not None else None
    if where is None or key is None:
        return load_rules(directory)
    entry = where / f"rules-{key}.pickle"
    if where.exists() and not _private(where):
        return load_rules(directory)            # a folder others may write to: neither read nor written
    try:
        if not _private(entry):
            raise FileNotFoundError(entry)      # missing, or not the user's alone: built again, replaced
        with entry.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, RuleSet):
            return found
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or foreign entry: ignored, replaced below
        pass
    ruleset = load_rules(directory)      # errors raise here, and nothing is stored
    _store(where, entry, ruleset)
    return ruleset


def _store(where: Path, entry: Path, ruleset: RuleSet) -> None:
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temp = tempfile.mkstemp(dir=where, prefix=".rules-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, entry)
        except BaseException:
            os.unlink(temp)
            raise
        old = sorted(where.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:   # a read-only home, a full disk: the cache is only a speed-up
        return
