"""What a rules folder holds: the parameters file and the rule files, in the order they are read."""
from __future__ import annotations

from pathlib import Path

PARAMS_FILE = "params.yaml"


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a folder: every .yaml file but the parameters, by name."""
    return sorted(p for p in directory.glob("*.yaml") if p.name != PARAMS_FILE)
