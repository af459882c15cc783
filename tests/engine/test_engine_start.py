"""The engine's start-up cost: durable's version is read without importlib.metadata."""
from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

from advisor.engine.durable import shared_engine

from conftest import CASES


def test_the_engine_names_the_installed_durable_version():
    assert shared_engine().version == version("durable_rules")


def test_a_run_imports_no_importlib_metadata():
    code = ("import sys\nfrom advisor.cli import main\n"
            "try:\n    main([\"run\", sys.argv[1], \"--format\", \"json\"])\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(str(\"importlib.metadata\" in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(CASES / "due_soon_shortfall.yaml")],
                            capture_output=True, text=True, check=False)
    assert '"engine"' in result.stdout and result.stderr.endswith("False"), result.stderr[-500:]
