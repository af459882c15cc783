"""Command line: thin click commands over the library; the only place that prints and exits.

group.py holds the command group and the error guard, options.py what the commands share; each other
module is one family of commands, registered on the group when it is imported. A command's module is
imported when the command is run (or when help lists them all): `advisor run` does not pay for the
letters, the web page or the batch tools (a test checks this table against the commands the modules define)."""
from .group import main

COMMANDS = {
    "run": "advice", "check": "advice", "explain": "advice",
    "audit": "audit", "batch": "batch", "journal": "journal", "calendar": "journal",
    "chart": "plan", "letter": "plan", "plan": "web", "serve": "web",
    "coverage": "toolkit", "diff": "toolkit", "lint": "toolkit", "schema": "toolkit", "test": "toolkit",
}
main.lazy = {name: f"{__name__}.{module}" for name, module in COMMANDS.items()}

__all__ = ["COMMANDS", "main"]
