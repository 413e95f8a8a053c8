"""CPU time spent by the processes under test during a load phase (psutil, a locust dependency).

The machine is shared (PostgreSQL, gunicorn and locust on the same 2 cores, and whatever else
runs): the CPU seconds the server and the database used, per request, say what a dedicated
machine could serve, whatever the latencies measured here under contention.
"""

from __future__ import annotations

import os
import time

import psutil


def _tree_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its living children."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


class Meter:
    """Started at construction; ``read`` gives the CPU seconds each named tree used since."""

    def __init__(self, trees: dict[str, int | None]) -> None:
        self.trees = {k: v for k, v in trees.items() if v is not None}
        self.start = {k: _tree_seconds(v) for k, v in self.trees.items()}
        self.t0, self.load0 = time.monotonic(), os.getloadavg()[0]

    def read(self) -> dict[str, object]:
        return {
            "seconds": {k: _tree_seconds(v) - self.start[k] for k, v in self.trees.items()},
            "wall": time.monotonic() - self.t0,
            "load_before": self.load0,
            "load_after": os.getloadavg()[0],
        }
