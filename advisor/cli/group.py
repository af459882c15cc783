"""The command group and the one guard that turns errors into messages and exit codes."""
from __future__ import annotations

import sys
from typing import Callable

import click

from .. import __version__
from ..errors import EXIT_DIFFERS, EXIT_INTERNAL, AdvisorError
from ..inert import terminal

EXIT_CODES_HELP = """\b
Exit codes: 0 ok · 1 findings or differences (lint, test, coverage, diff, replay) · 2 bad command line ·
3 bad case file · 4 bad rule, parameter or template file · 5 rules engine unavailable or failed ·
6 decision-record database unreadable or refused the record · 7 an output file cannot be written
(missing folder, full disk) · 70 internal error (a bug)."""


def guard(action: Callable[[], str | tuple[str, bool]]) -> None:
    """Run a command body; print its output, or the error and its exit code. Never a traceback.
    A body that checks something returns (text, found): found means exit 1 (findings, differences)."""
    try:
        output = action()
    except AdvisorError as exc:
        click.echo(terminal(exc.render()), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException:
        raise                                  # click prints usage errors itself (exit code 2)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "hint: this is a bug in the advisor; please report it with the case and rules used", err=True)
        sys.exit(EXIT_INTERNAL)
    text, found = output if isinstance(output, tuple) else (output, False)
    click.echo(terminal(text), nl=False)       # text from a case never drives the terminal (inert.py)
    if found:
        sys.exit(EXIT_DIFFERS)


@click.group(epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="advisor")
def main() -> None:
    """advisor: advice for negotiating repayment of online loans (网贷协商还款)."""
