"""Where the shipped rules, cases, letter templates and schemas are: in an installed wheel they are
package data (advisor/data/, found through importlib.resources); in a source checkout, the folders at
the top of the repository."""
from __future__ import annotations

from pathlib import Path

FOLDERS = ("rules", "cases", "templates", "schemas")   # what setup.py copies into the wheel


def shipped(name: str) -> Path:
    """The shipped folder `name` (one of FOLDERS)."""
    if name not in FOLDERS:
        raise ValueError(f"no shipped folder '{name}'")
    here = Path(__file__).resolve().parents[1]
    if (here / "data" / name).is_dir():               # a wheel installed in site-packages: plain folders
        return here / "data" / name
    if not (here.parent / name).is_dir():             # the package imported from an archive, say
        from importlib import resources

        packaged = resources.files("advisor") / "data" / name
        if packaged.is_dir():
            return Path(str(packaged))
    return here.parent / name
