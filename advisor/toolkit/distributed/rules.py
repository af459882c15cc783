"""A rules folder as content: the bytes of params.yaml and the rule files, by name.

The job carries these bytes, not a path: a worker on another machine writes them into a private folder
and loads them there. The fingerprint covers names and texts only, so it is the same as the driver's.
"""
from __future__ import annotations

import pickle
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ...load.folder import PARAMS_FILE, rule_files

T = TypeVar("T")


@dataclass(frozen=True)
class RulesContent:
    """The files of a rules folder: (name, bytes), sorted by name."""

    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def read(cls, folder: Path) -> RulesContent:
        """The rule files and params.yaml of `folder` (already checked by `load_rules`)."""
        paths = [*rule_files(folder), *([folder / PARAMS_FILE] if (folder / PARAMS_FILE).is_file() else [])]
        return cls(tuple(sorted((path.name, path.read_bytes()) for path in paths)))

    def pack(self) -> bytes:
        """Compressed, so a rule set of the usual size travels inside the task (Ray inlines arguments under
        100 KiB) rather than through the object store, which a restarted actor would need to read again."""
        return zlib.compress(pickle.dumps(self.files, protocol=pickle.HIGHEST_PROTOCOL), 9)

    @classmethod
    def unpack(cls, packed: bytes) -> RulesContent:
        files = pickle.loads(zlib.decompress(packed))   # made by `pack` in this job's driver, as Ray's own pickles
        return cls(tuple((str(name), bytes(data)) for name, data in files))

    def using(self, work: Callable[[Path], T]) -> T:
        """`work(folder)` with the files written into a private temporary folder, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="advisor-rules-") as scratch:
            folder = Path(scratch) / "rules"
            folder.mkdir()
            for name, data in self.files:
                (folder / name).write_bytes(data)
            return work(folder)
