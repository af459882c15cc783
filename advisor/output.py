"""Files the advisor writes for a user (a letter, a calendar, a chart page, a PDF): written whole or not at
all. Each is written to a temporary file beside the target and moved over it (os.replace) only once it is
complete, so a full disk or a crash never leaves a half-written file in place of the user's earlier one."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import OutputError


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A temporary file next to `target`, moved over it only when writing it succeeded (os.replace)."""
    try:
        handle, name = tempfile.mkstemp(prefix=".advisor-", suffix=target.suffix, dir=target.parent or Path("."))
    except OSError as exc:
        raise OutputError.writing(target, exc) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    except OSError as exc:
        raise OutputError.writing(target, exc) from None
    finally:
        if temporary.exists():
            temporary.unlink()


def write_file(target: Path, data: bytes | str) -> None:
    """`data` (text is written as UTF-8) into `target`, whole or not at all; OutputError (W001) on failure."""
    with staged(target) as temporary:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
