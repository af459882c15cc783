"""advisor batch: many cases over worker processes, resumable."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..i18n import said
from .group import EXIT_CODES_HELP, guard, main, say
from .options import RULES_OPTION, check_engine, default_rules, engine_options


@main.command(epilog=EXIT_CODES_HELP, help=said(
    "用多个工作进程运行很多案例——SOURCE 是放案例文件的文件夹，或者一个 .jsonl 文件（每行一个案例）——每个案例在 --out "
    "里写一行结果：它的建议，或者它的错误（一个坏案例不会让整批停下）。中断了？再运行同一条命令：已完成的案例会跳过；"
    "残缺或损坏的行留在原处、被跳过、记进 OUT.damaged，它的案例重新运行；改过的案例也会重新运行；结果文件只会追加，"
    "不会丢失也不会重复。只要这一批里有案例出错（无论是不是续跑的），退出码就是 1。用 --engine ray 时，同样的工作在 Ray 上运行"
    "（--address 给出集群地址，否则在本机启动一个，用 --workers 指定进程数），结果文件相同。",
    """Run many cases — SOURCE is a folder of case files or a .jsonl file (one case per line) — over
    worker processes, writing one result line per case to --out: its advice, or its errors (a bad case
    never stops the batch). Interrupted? Run the same command again: finished cases are skipped, a torn
    or damaged line is left in place, skipped, recorded in OUT.damaged and its case run again; an edited
    case runs again; the results file is only appended to, nothing is lost or duplicated. Exit 1 if any
    case of the batch has errors, resumed or not. With --engine ray the same work runs on Ray (--address of a
    cluster, else a local one with --workers), with the same results file."""))
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help=said("结果文件，每个案例一行 JSON；已有的文件会接着写，不会被覆盖。",
                        "Results, one JSON line per case; an existing file is resumed, not overwritten."))
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help=said("工作进程数。",
                                                                                            "Worker processes."))
@click.option("--quiet", is_flag=True, help=said("不显示进度条。", "No progress bar."))
@RULES_OPTION
@engine_options
def batch(source: Path, out_file: Path, jobs: int, quiet: bool, rules_dir: Path | None, engine: str,
          address: str | None, ray_workers: int | None) -> None:
    def body() -> str | tuple[str, bool]:
        from ..toolkit import batch as batching
        from ..toolkit import workers
        from ..load.rules import load_rules

        check_engine(engine, address, ray_workers)
        folder = rules_dir or default_rules()
        load_rules(folder)                     # a broken rules folder stops here, once, with its errors
        waiting = batching.pending(source, out_file)
        with click.progressbar(length=len(waiting.todo), label=say("案例", "cases"), file=sys.stderr, hidden=quiet) as bar:
            if engine == "ray":
                from ..toolkit.distributed import batch as on_ray

                statuses = on_ray.run(waiting.todo, out_file, folder, address, ray_workers, bar, waiting.stale)
            else:
                statuses = workers.run(waiting.todo, out_file, folder, jobs, bar, waiting.stale)
        errors = waiting.failed + statuses.count("error")      # the whole batch, resumed or not
        text = say(f"运行了 {len(waiting.todo)} 个案例，{waiting.done} 个之前已完成，{errors} 个有错误；结果在 {out_file}\n",
                   f"{len(waiting.todo)} cases run, {waiting.done} already done, {errors} with errors; "
                   f"results in {out_file}\n")
        if waiting.damaged:
            noun = "line" if waiting.damaged == 1 else "lines"
            text += say(f"{waiting.damaged} 行损坏，已记进 {out_file}.damaged（留在原处并跳过；它们的案例重新运行了）\n",
                        f"{waiting.damaged} damaged {noun} set aside in {out_file}.damaged "
                        "(left in place and skipped; their cases ran again)\n")
        return text, errors > 0

    guard(body)
