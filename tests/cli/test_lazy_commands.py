"""Each command's module is imported when the command is run: the table says which module that is."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

from advisor.cli import COMMANDS, main

from conftest import CASES, ROOT


def test_the_table_names_the_module_of_every_command_and_only_those():
    for module in sorted(set(COMMANDS.values())):
        importlib.import_module(f"advisor.cli.{module}")
    defined = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert defined == {name: f"advisor.cli.{module}" for name, module in COMMANDS.items()}


def test_a_run_imports_the_commands_it_runs_and_not_the_others(tmp_path):
    probe = (
        "import json, sys\n"
        "from advisor.cli import main\n"
        f"try:\n    main(['run', {str(CASES / 'due_soon_shortfall.yaml')!r}])\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(json.dumps(sorted(m for m in sys.modules if m.startswith('advisor.'))))\n")
    env = {"PATH": "/usr/bin:/bin", "ADVISOR_CACHE": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True, env=env)
    assert "advisor.load.rules" in first.stderr            # an empty cache: the rules were read and kept
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True, env=env)
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "建议" in done.stdout or "Advice" in done.stdout              # it ran
    assert "advisor.cli.advice" in loaded
    assert not loaded & {"advisor.cli.web", "advisor.cli.batch", "advisor.cli.toolkit", "advisor.cli.audit",
                         "advisor.cli.journal", "advisor.cli.plan", "advisor.plan.library", "advisor.web.app",
                         "advisor.cli.usage", "advisor.expr.parser", "advisor.load.rules"}


def test_help_lists_every_command_in_the_readers_language(runner):
    out = runner.invoke(main, ["--help"]).output
    assert all(f"  {name} " in out for name in COMMANDS)
    assert "决策记录" in out and "Decision records" not in out              # the commands' help is resolved too
