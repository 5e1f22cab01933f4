"""Shared benchmark plumbing: a reproducible timing environment, adaptive timing, machine facts."""

from __future__ import annotations

import ctypes
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/x.py` from a checkout
    sys.path.insert(0, str(REPO_ROOT))

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_limits: Any = None  # keeps threadpoolctl's limits alive


def pin_threads(threads: int) -> None:
    """Give every tool ``threads`` compute threads.

    Call before importing jax or torch: they read the environment when first imported.  numpy's BLAS,
    already loaded, is limited through threadpoolctl.
    """
    global _limits
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(threads)
    if threads == 1:
        flags = os.environ.get("XLA_FLAGS", "")
        os.environ["XLA_FLAGS"] = f"{flags} --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # numpy keeps its default thread count
        return
    _limits = threadpool_limits(limits=threads)


def keep_freed_memory() -> bool:
    """Ask glibc malloc to keep freed memory instead of returning it to the OS at once.

    With the defaults, each large temporary is fresh memory whose pages fault in on first touch; the
    cost depends on what ran just before, which makes small timings jump by 5-10x.  Fixing the
    thresholds (trim: 1 GiB, mmap: 32 MiB) makes them repeatable.  Returns False where unsupported.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(libc.mallopt(m_trim_threshold, 1 << 30)) and bool(libc.mallopt(m_mmap_threshold, 32 << 20))


def freeze_live_objects() -> None:
    """Collect garbage, then leave every object alive now out of later collections (``gc.freeze``).

    A full collection traverses every tracked object in the process. With JAX and PyTorch imported
    (some 300,000 objects), the collections an allocating derivative triggers cost more than the call
    itself (lstm at c=64: 14 ms instead of 8.3). Frozen, they cost what they do in a process running
    that tool alone; garbage made from then on is still collected.
    """
    gc.collect()
    gc.freeze()


def timed_call(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``fn()`` and the seconds it took."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


class Timing(NamedTuple):
    median_s: float
    repeats: int
    best_s: float


def median_time(
    fn: Callable[[], Any],
    budget_s: float,
    repeats: int | None = None,
    first_call_s: float | None = None,
    max_repeats: int = 200,
) -> Timing:
    """Median and best wall time of ``fn()`` over the calls timed (``fn`` should already be warm).

    Without ``repeats``, calls continue until ``budget_s`` is spent: many for small problems, at
    least three for big ones, or just one when the warm-up call (``first_call_s``) exceeded the budget
    and the first timed call does too (a warm-up that only compiled does not cut the count).
    """
    if repeats is None:
        slow = first_call_s is not None and first_call_s > budget_s
        min_repeats, limit = (1 if slow else 3), max_repeats
    else:
        min_repeats = limit = repeats
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < min_repeats or (len(times) < limit and time.perf_counter() - start < budget_s):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return Timing(statistics.median(times), len(times), min(times))


def machine_facts(threads: int, malloc_tuned: bool) -> dict[str, Any]:
    """CPU, core count, library versions and BLAS: what a reader needs to compare timings."""
    import numpy as np

    facts: dict[str, Any] = {
        "cpu": _cpu_model(),
        "logical_cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "threads": threads,
        "malloc_tuned": malloc_tuned,
    }
    try:
        from threadpoolctl import threadpool_info

        facts["blas"] = [
            f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}, "
            f"{p.get('num_threads')} threads)"
            for p in threadpool_info()
            if p.get("user_api") == "blas"
        ]
    except ImportError:
        pass
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def format_seconds(seconds: float | None) -> str:
    """Milliseconds with three significant figures, or '-'."""
    if seconds is None:
        return "-"
    ms = seconds * 1e3
    return f"{ms:.3g}" if ms < 1000 else f"{ms:.0f}"


def report(facts: dict[str, Any], text: str, json_path: str | None, rows: list) -> None:
    """Print the machine's facts and ``text`` (a table); save the facts and the raw ``rows`` as JSON."""
    print("# " + ", ".join(f"{k}: {v}" for k, v in facts.items()))
    print(text)
    if json_path:
        write_json(json_path, {"machine": facts, "rows": rows})


def write_json(path: str, payload: dict[str, Any]) -> None:
    """``payload`` as indented JSON in ``path``."""
    with open(path, "w") as f:
        json.dump(payload, f, indent=1)
