"""Command line: thin click commands over the library; the only place that prints and exits.

group.py holds the command group and the error guard, options.py what the commands share; each other
module is one family of commands, registered on the group when imported here."""
from . import advice, audit, batch, journal, plan, toolkit, web  # noqa: F401  (importing registers the commands)
from .group import main

__all__ = ["main"]
