"""Ray, started or joined: a local Ray on loopback for `--workers N`, or an existing cluster by `--address`.

A local Ray binds to 127.0.0.1 only (Ray's single-machine mode: `RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0` makes it
keep the loopback address instead of resolving a reachable one), without the dashboard, with a small object
store and no usage statistics. It is checked after start: a node on another address is shut down again.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from ...errors import AdvisorError, Diagnostic
from ...i18n import said

OBJECT_STORE_BYTES = 100 * 1024 * 1024          # partitions are small: Ray's minimum is 75 MiB
LOOPBACK = "127.0.0.1"


class ClusterError(AdvisorError):
    """Ray is not installed, or the cluster cannot be started or reached."""

    exit_code = 5


@dataclass
class Cluster:
    """A connection to Ray and how many workers to run on it; `close` ends what `connect` started."""

    workers: int
    started: bool                 # this process called ray.init (and shuts it down)

    def close(self) -> None:
        if self.started:
            _ray().shutdown()


def _ray() -> Any:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError:
        raise ClusterError([Diagnostic("B010", said("未安装 Ray：--engine ray 需要可选依赖 advisor[ray]",
                                                    "Ray is not installed: --engine ray needs the extra advisor[ray]"),
                                       hint=said("安装：pip install 'advisor[ray]'",
                                                 "install it: pip install 'advisor[ray]'"))]) from None
    return ray


def connect(address: str | None = None, workers: int | None = None) -> Cluster:
    """Join the cluster at `address`, or start a local one with `workers` CPUs (default: this machine's)."""
    if address is None or address.rsplit(":", 1)[0] in ("127.0.0.1", "localhost"):
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"     # read when ray is first imported
    ray = _ray()
    if ray.is_initialized():                                   # a caller (a test, a notebook) already joined
        return Cluster(workers or _cpus(ray), started=False)
    try:
        if address is not None:
            ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
            return Cluster(workers or _cpus(ray), started=True)
        count = workers or os.cpu_count() or 1
        ray.init(num_cpus=count, include_dashboard=False, _node_ip_address=LOOPBACK,
                 object_store_memory=OBJECT_STORE_BYTES, logging_level=logging.ERROR, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        where = address or "local"
        raise ClusterError([Diagnostic("B011", said(f"无法连接 Ray 集群（{where}）：{exc}",
                                                    f"cannot reach the Ray cluster ({where}): {exc}"),
                                       hint=said("检查 --address（如 主机:6379）与集群状态（ray status）",
                                                 "check --address (e.g. host:6379) and the cluster (`ray status`)"))
                            ]) from None
    node = ",".join(sorted({str(n.get("NodeManagerAddress")) for n in ray.nodes()}))
    if node != LOOPBACK:
        ray.shutdown()
        raise ClusterError([Diagnostic("B012", said(f"本地 Ray 未绑定回环地址（{node}），已关闭",
                                                    f"the local Ray did not bind to loopback ({node}); shut down"),
                                       hint=said("在导入 ray 之前设置 RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0",
                                                 "set RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 before ray is imported"))])
    return Cluster(count, started=True)


def _cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def worker_class() -> Any:
    """The Worker as a Ray actor: one CPU each, restarted whenever it dies (its tasks are retried by the
    driver, which knows which cases they held)."""
    from .actor import Worker

    return _ray().remote(num_cpus=1, max_restarts=-1, max_task_retries=0)(Worker)
