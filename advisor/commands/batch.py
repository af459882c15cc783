"""advisor batch: many cases over worker processes, resumable."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import (
    EXIT_CODES_HELP,
    RULES_OPTION,
    _guard,
    default_rules,
    main,
)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results, one JSON line per case; an existing file is resumed, not overwritten.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@RULES_OPTION
def batch(source: Path, out_file: Path, jobs: int, quiet: bool, rules_dir: Path | None) -> None:
    """Run many cases — SOURCE is a folder of case files or a .jsonl file (one case per line) — over
    worker processes, writing one result line per case to --out: its advice, or its errors (a bad case
    never stops the batch). Interrupted? Run the same command again: finished cases are skipped, a torn
    last line is cut, nothing is lost or duplicated. Exit 1 if any case had errors."""

    def body() -> str | tuple[str, bool]:
        from .. import batch as batching
        from ..rules import load_rules

        folder = rules_dir or default_rules()
        load_rules(folder)                     # a broken rules folder stops here, once, with its errors
        todo, skipped = batching.pending(source, out_file)
        with click.progressbar(length=len(todo), label="cases", file=sys.stderr, hidden=quiet) as bar:
            errors = batching.run(todo, out_file, folder, jobs, bar)
        text = f"{len(todo)} cases run, {skipped} already done, {errors} with errors; results in {out_file}\n"
        return text, errors > 0

    _guard(body)
