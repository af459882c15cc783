"""A cache of loaded rule sets, so that a cold start does not parse and check every rule file again.

Reading, parsing and type-checking the shipped rules is about a quarter of `advisor run`'s start-up; a
pickled RuleSet loads in a few milliseconds, and its compiled form with it (`load_rules_with`). The entry is keyed by everything `load_rules` reads and
is: the folder as named (and resolved, and the working folder), every file in it that it reads (name and bytes), the Python version and the
advisor's own code (the name, size and modification time of every module), so an edited rule, a new
parameter or a changed reader never meets a stale entry. Only a rule set that loaded without errors is
stored; a damaged or unreadable entry is ignored and replaced. Entries live in $ADVISOR_CACHE, else
$XDG_CACHE_HOME/advisor, else ~/.cache/advisor; ADVISOR_CACHE=off turns the cache off. Writes are
atomic (a temporary file, then os.replace).
"""
from __future__ import annotations

import importlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..model import RuleSet
from .folder import PARAMS_FILE, rule_files



def _sha256() -> Callable[[bytes], Any]:
    """SHA-256 as hashlib's own fallback builds it, without loading OpenSSL (about 2 ms of every start):
    the same digests (a test checks)."""
    for name in ("_sha2", "_sha256"):          # CPython 3.12+, 3.11
        try:
            found: Callable[[bytes], Any] = importlib.import_module(name).sha256
            return found
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


sha256 = _sha256()

_PACKAGE = Path(__file__).resolve().parent.parent
T = TypeVar("T")
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
    top = len(str(_PACKAGE)) + 1
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                st = os.stat(path)
                parts.append(f"{path[top:]}:{st.st_size}:{st.st_mtime_ns}".encode())     # relative to the package
    return b"\n".join(parts)


def _key(directory: Path) -> str | None:
    """The entry's key, or None when the folder cannot be read (load_rules then reports why)."""
    digest = sha256(_code_stamp())
    # Places in rule diagnostics and origins are shown relative to the working folder, as named.
    for part in (str(directory), os.getcwd(), str(directory.resolve())):
        digest.update(b"\0dir\0" + part.encode("utf-8", "surrogateescape"))
    try:
        paths = [directory / PARAMS_FILE] if (directory / PARAMS_FILE).is_file() else []
        for path in [*paths, *rule_files(directory)]:
            digest.update(b"\0file\0" + path.name.encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes())
    except (OSError, ValueError):
        return None
    return str(digest.hexdigest())


def _private(path: Path) -> bool:
    """Only the user may have written it: owned by this user, writable by no one else. A pickle runs code as
    it loads, so an entry in a folder others can write to (ADVISOR_CACHE=/tmp/shared) is never read."""
    try:
        info = path.stat()
    except OSError:
        return False
    return (not hasattr(os, "getuid") or info.st_uid == os.getuid()) and not info.st_mode & 0o022


def load_rules(directory: Path) -> RuleSet:
    """load/rules.py's load_rules, imported only when an entry is missing (the parser and the checker are
    not needed by a start that finds one)."""
    from .rules import load_rules as load

    return load(directory)


def load_rules_with(directory: Path, derive: Callable[[RuleSet], T]) -> tuple[RuleSet, T]:
    """`load_rules(directory)`, from the cache when the very same files were loaded before, and
    `derive(ruleset)`, both kept in the entry: a later stage's work on the rules (their compiled form) is
    read back with them. The advisor's code is part of the key, so what an entry keeps is what `derive`
    gives now."""
    where = folder()
    key = _key(directory) if where is not None else None
    if where is None or key is None:
        ruleset = load_rules(directory)
        return ruleset, derive(ruleset)
    entry = where / f"rules-{key}.pickle"
    if where.exists() and not _private(where):
        ruleset = load_rules(directory)         # a folder others may write to: neither read nor written
        return ruleset, derive(ruleset)
    name = f"{derive.__module__}.{derive.__qualname__}"
    kept: dict[str, Any] = {}
    try:
        if not _private(entry):
            raise FileNotFoundError(entry)      # missing, or not the user's alone: built again, replaced
        with entry.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], RuleSet) \
                and isinstance(found[1], dict):
            ruleset, kept = found
            if name in kept:
                return ruleset, kept[name]
            kept[name] = value = derive(ruleset)        # the rules were kept, this work on them not yet
            _store(where, entry, (ruleset, kept))
            return ruleset, value
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or foreign entry: ignored, replaced below
        pass
    ruleset = load_rules(directory)      # errors raise here, and nothing is stored
    value = derive(ruleset)
    _store(where, entry, (ruleset, {name: value}))
    return ruleset, value


def _store(where: Path, entry: Path, kept: tuple[RuleSet, dict[str, Any]]) -> None:
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        import tempfile       # only when an entry is written, not on a start that finds one

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
