"""Workers for a job: the rules shipped once as content, one actor per worker, ready before any case is sent."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...errors import Diagnostic
from ...i18n import said
from .actor import Task
from .cluster import ClusterError, connect, worker_class
from .rules import RulesContent

READY_SECONDS = 300.0


@contextmanager
def actors(rules_dir: Path, old_dir: Path | None = None, address: str | None = None, workers: int | None = None,
           task: Task | None = None) -> Iterator[list[Any]]:
    """Started workers holding the rules of `rules_dir` (and `old_dir`, for an impact diff); ended afterwards."""
    cluster = connect(address, workers)          # first: it sets what Ray reads when first imported
    import ray
    from ray.exceptions import GetTimeoutError, RayActorError

    started: list[Any] = []
    try:
        new = RulesContent.read(rules_dir).pack()
        old = None if old_dir is None else RulesContent.read(old_dir).pack()
        worker = worker_class()
        started = [worker.remote(new, old, task) for _ in range(cluster.workers)]
        try:
            ray.get([actor.pid.remote() for actor in started], timeout=READY_SECONDS)
        except (RayActorError, GetTimeoutError) as exc:
            raise ClusterError([Diagnostic("B013", said(f"Ray 工作进程未能启动：{str(exc)[:500]}",
                                                        f"the Ray workers did not start: {str(exc)[:500]}"),
                                           hint=said("每个工作节点都要装有同一版本的 advisor（pip install 'advisor[ray]'），"
                                                     "且集群要有足够的 CPU（--workers）",
                                                     "every worker node needs the same advisor installed "
                                                     "(pip install 'advisor[ray]') and the cluster enough CPUs "
                                                     "(--workers)"))]) from None
        yield started
    finally:
        for actor in started:
            ray.kill(actor, no_restart=True)
        cluster.close()
