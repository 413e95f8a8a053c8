"""CPU time spent during a load phase by each party (psutil, a locust dependency).

PostgreSQL, gunicorn and locust share the machine's cores, with whatever else runs on it. The
CPU seconds each used, per request, say where the time went and what a dedicated machine could
serve, whatever the latencies measured under contention. A process tree is counted with the
children it has reaped (a PostgreSQL backend exits when Django closes its connection).
"""

from __future__ import annotations

import os
import resource
import time

import psutil


def _tree_seconds(pid: int) -> float:
    """User + system CPU seconds of a process, its living children and its reaped ones."""
    try:
        root = psutil.Process(pid)
        t = root.cpu_times()
        total = t.user + t.system + t.children_user + t.children_system
        children = root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    for p in children:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def _reaped_children() -> float:
    """This process's reaped children (here: the locust run once it has exited)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _machine_busy() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


class Meter:
    """Started at construction; ``read`` gives the CPU seconds each party used since."""

    def __init__(self, trees: dict[str, int | None]) -> None:
        self.trees = {k: v for k, v in trees.items() if v is not None}
        self.start = {k: _tree_seconds(v) for k, v in self.trees.items()}
        self.locust0, self.busy0 = _reaped_children(), _machine_busy()
        self.t0, self.load0 = time.monotonic(), os.getloadavg()[0]

    def read(self) -> dict[str, object]:
        seconds = {k: _tree_seconds(v) - self.start[k] for k, v in self.trees.items()}
        seconds["locust"] = _reaped_children() - self.locust0
        return {
            "seconds": seconds,
            "machine": _machine_busy() - self.busy0,
            "wall": time.monotonic() - self.t0,
            "load_before": self.load0,
            "load_after": os.getloadavg()[0],
        }
