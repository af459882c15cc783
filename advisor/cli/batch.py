"""advisor batch: many cases over worker processes, resumable."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import EXIT_CODES_HELP, guard, main
from .options import RULES_OPTION, check_engine, default_rules, engine_options


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results, one JSON line per case; an existing file is resumed, not overwritten.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@RULES_OPTION
@engine_options
def batch(source: Path, out_file: Path, jobs: int, quiet: bool, rules_dir: Path | None, engine: str,
          address: str | None, ray_workers: int | None) -> None:
    """Run many cases — SOURCE is a folder of case files or a .jsonl file (one case per line) — over
    worker processes, writing one result line per case to --out: its advice, or its errors (a bad case
    never stops the batch). Interrupted? Run the same command again: finished cases are skipped, a torn
    or damaged line is left in place, skipped, recorded in OUT.damaged and its case run again; an edited
    case runs again; the results file is only appended to, nothing is lost or duplicated. Exit 1 if any
    case of the batch has errors, resumed or not. With --engine ray the same work runs on Ray (--address of a
    cluster, else a local one with --workers), with the same results file."""

    def body() -> str | tuple[str, bool]:
        from ..toolkit import batch as batching
        from ..toolkit import workers
        from ..load.rules import load_rules

        check_engine(engine, address, ray_workers)
        folder = rules_dir or default_rules()
        load_rules(folder)                     # a broken rules folder stops here, once, with its errors
        waiting = batching.pending(source, out_file)
        with click.progressbar(length=len(waiting.todo), label="cases", file=sys.stderr, hidden=quiet) as bar:
            if engine == "ray":
                from ..toolkit.distributed import batch as on_ray

                statuses = on_ray.run(waiting.todo, out_file, folder, address, ray_workers, bar, waiting.stale)
            else:
                statuses = workers.run(waiting.todo, out_file, folder, jobs, bar, waiting.stale)
        errors = waiting.failed + statuses.count("error")      # the whole batch, resumed or not
        text = (f"{len(waiting.todo)} cases run, {waiting.done} already done, {errors} with errors; "
                f"results in {out_file}\n")
        if waiting.damaged:
            noun = "line" if waiting.damaged == 1 else "lines"
            text += (f"{waiting.damaged} damaged {noun} set aside in {out_file}.damaged "
                     "(left in place and skipped; their cases ran again)\n")
        return text, errors > 0

    guard(body)
