"""Packaging: the wheel carries the shipped rules, cases, templates and schemas as package data.

They stay at the repository's top level (the product's layout, what counsellors edit); building copies
them into advisor/data/ inside the wheel, where advisor/load/shipped.py finds them through
importlib.resources. Everything else is declared in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("rules", "cases", "templates", "schemas")   # keep in step with advisor/load/shipped.py


class BuildWithData(build_py):
    """build_py, then the shipped folders into <build>/advisor/data/ (not for an editable install:
    there the source tree's own folders are found)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        for name in SHIPPED:
            target = Path(self.build_lib) / "advisor" / "data" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(root / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
