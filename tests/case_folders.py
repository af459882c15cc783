"""A folder of copies of the shipped cases and one bad case, for the batch, fault and Ray tests."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CASES


def case_folder(tmp_path: Path, copies: int = 3) -> Path:
    """`copies` of every shipped case (NAME-0.yaml …) and zz-bad.yaml, whose date does not exist."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(CASES.glob("*.yaml")):
        for i in range(copies):
            shutil.copy(path, folder / f"{path.stem}-{i}.yaml")
    (folder / "zz-bad.yaml").write_text("as_of: 2026-02-30\n", encoding="utf-8")
    return folder
