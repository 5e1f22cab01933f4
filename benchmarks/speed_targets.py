"""Issue 15's targets: sct's derivative against hand-written numpy, JAX and PyTorch, with peak memory.

    python benchmarks/speed_targets.py [--quick] [--evals gmm,ode] [--budget S] [--threads T] [--json PATH]

For gmm, lse, llsq, ode and kmeans, over GradBench's default sizes (``gradbench/inputs.py``, with its
generators and seeds), one run times side by side: sct's primal (the eval's own numpy function) and
derivative, the hand-written numpy derivative of ``handwritten.py``, JAX (``jit``, CPU, float64,
compilation not timed, ``block_until_ready``) and PyTorch (eager, CPU, float64) as
``gradbench_table.py`` runs them, and the peak memory (``tracemalloc``: numpy's allocations during
one call) of sct's primal and derivative. Every derivative is checked against sct's with GradBench's
tolerance; one that disagrees is marked ``!``. kmeans' derivative is ``dir`` (gradient over the
Hessian's diagonal), its primal the cost; gmm's primal is the plain formulation of
``gradbench/evals/gmm.py`` (broadcast ``x - mu``, the factor applied by ``einsum``).

Sizes (about 10 minutes on 2 cores, one thread per tool):

- gmm: n = 1000, d in {2, 10, 20, 32, 64} x k in {5, 10, 25, 50, 100, 200} (GradBench's grid, all of it);
- lse: n = 2500 ... 1280000 (all ten); llsq: m = 128, n = 16 ... 16392 (all eleven);
- ode: n in {1000, 10000, 100000} x s in {1, 10, 100} (all nine);
- kmeans: k in {10, 100, 1000} x n in {1000, 10000} x d in {8, 16} (all twelve).

``--quick`` (under a minute): the two smallest sizes of each eval and a shorter ``--budget``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import tracemalloc
from typing import Any, Dict, List

import _common
import gradbench_table
from handwritten import HANDWRITTEN

from gradbench import evals, inputs  # noqa: E402  (after _common, which puts the project root on the path)

SIZES: Dict[str, inputs.Sizes] = {
    "gmm": {"d": [2, 10, 20, 32, 64], "k": [5, 10, 25, 50, 100, 200], "n": [1000]},
    "lse": inputs.DEFAULT["lse"],
    "llsq": inputs.DEFAULT["llsq"],
    "ode": inputs.DEFAULT["ode"],
    "kmeans": inputs.DEFAULT["kmeans"],
}
QUICK_COUNT = 2  # sizes per eval with --quick


class HandWritten:
    """The hand-written derivatives as a tool: ``define(eval)`` gives the eval's derivative function only."""

    @staticmethod
    def define(eval: str) -> Dict[str, evals.Function]:
        name = gradbench_table.TABLE[eval][1]
        own = evals.define(eval)[name]  # the same JSON input and answer as sct's
        return {name: evals.Function(own.prepare, HANDWRITTEN[eval], own.output)}


def each_size(sizes: inputs.Sizes) -> List[inputs.Sizes]:
    """One ``{name: [value]}`` per combination, smallest problem first (the product of the values)."""
    names = list(sizes)
    combinations = sorted(itertools.product(*(sizes[name] for name in names)), key=math.prod)
    return [{name: [value] for name, value in zip(names, c)} for c in combinations]


def peak_bytes(function: evals.Function, input: Any) -> int:
    """Peak of the memory ``tracemalloc`` sees allocated during one call, over what was held before it."""
    args = function.prepare(input)
    tracemalloc.start()
    try:
        held = tracemalloc.get_traced_memory()[0]
        function.compute(*args)
        return tracemalloc.get_traced_memory()[1] - held
    finally:
        tracemalloc.stop()


def measure(eval: str, sizes: inputs.Sizes, tools: Dict[str, Any], budget: float) -> Dict[str, Any]:
    """``gradbench_table.measure_eval``'s row, with the peak memory of sct's primal and derivative."""
    row = gradbench_table.measure_eval(eval, sizes, tools, budget)
    if "error" not in row["sct"]:
        functions = evals.define(eval)
        for kind, name in zip(("primal", "derivative"), gradbench_table.TABLE[eval][:2]):
            input = gradbench_table.eval_input(eval, sizes, name)
            row["sct"][kind]["peak_bytes"] = peak_bytes(functions[name], input)
    return row


def run(eval_names: List[str], quick: bool, budget: float, threads: int) -> List[Dict[str, Any]]:
    peers = gradbench_table.available_tools(threads)  # sct first: the reference
    tools = {"sct": peers.pop("sct"), "hand": HandWritten, **peers}
    rows = []
    for eval in eval_names:
        sizes = each_size(SIZES[eval])
        for size in sizes[:QUICK_COUNT] if quick else sizes:
            rows.append(measure(eval, size, tools, budget))
    return rows


def _seconds(row: Dict[str, Any], tool: str, kind: str, key: str) -> Any:
    entry = row.get(tool, {})
    return None if "error" in entry or kind not in entry else entry[kind][key]


def _ratio(a: Any, b: Any) -> str:
    return "n/a" if a is None or b is None else f"{a / b:.2f}"


def _time(row: Dict[str, Any], tool: str, kind: str, key: str) -> str:
    seconds = _seconds(row, tool, kind, key)
    if seconds is None:
        return "n/a"
    agrees = row[tool].get("agrees", True) or kind == "primal"
    return _common.format_seconds(seconds) + ("" if agrees else " !")


def _megabytes(row: Dict[str, Any], kind: str) -> Any:
    entry = row["sct"].get(kind, {})
    return entry["peak_bytes"] / 1e6 if "peak_bytes" in entry else None


COLUMNS = ("eval", "size", "sct primal ms", "sct deriv ms", "deriv/primal", "hand-written ms", "sct/hand",
           "JAX deriv ms", "PyTorch deriv ms", "sct/JAX", "peak MB primal", "peak MB deriv", "peak ratio")


def table(rows: List[Dict[str, Any]], key: str = "median_s") -> str:
    """The markdown table of ``COLUMNS``, and a note for each tool that was missing or failed."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---|---|" + "--:|" * (len(COLUMNS) - 2)]
    for row in rows:
        sct_primal, sct_derivative = (_seconds(row, "sct", kind, key) for kind in ("primal", "derivative"))
        peaks = [_megabytes(row, kind) for kind in ("primal", "derivative")]
        cells = [row["eval"], row["size"], _time(row, "sct", "primal", key),
                 _time(row, "sct", "derivative", key), _ratio(sct_derivative, sct_primal),
                 _time(row, "hand", "derivative", key),
                 _ratio(sct_derivative, _seconds(row, "hand", "derivative", key)),
                 _time(row, "jax", "derivative", key), _time(row, "torch", "derivative", key),
                 _ratio(sct_derivative, _seconds(row, "jax", "derivative", key)),
                 *("n/a" if p is None else f"{p:.3g}" for p in peaks), _ratio(*peaks[::-1])]
        lines.append("| " + " | ".join(cells) + " |")
    entries = [entry for row in rows for entry in row.values() if isinstance(entry, dict)]
    notes = [f"n/a: {note}" for note in sorted({entry["error"] for entry in entries if "error" in entry})]
    if any(not entry.get("agrees", True) for entry in entries):
        notes.append("!: the derivative differs from sct's beyond GradBench's tolerance")
    return "\n".join(lines + notes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"the {QUICK_COUNT} smallest sizes of each eval")
    parser.add_argument("--evals", default=",".join(SIZES), help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds per measurement (0.3; quick: 0.1)")
    parser.add_argument("--threads", type=int, default=1, help="compute threads for every tool (1)")
    parser.add_argument("--json", default=None, help="also write the measurements to this file")
    parser.add_argument("--best", action="store_true", help="each measurement's fastest call, not the median")
    args = parser.parse_args()
    eval_names = [name.strip() for name in args.evals.split(",") if name.strip()]
    unknown = [name for name in eval_names if name not in SIZES]
    if unknown:
        parser.error(f"unknown evals {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    _common.pin_threads(args.threads)
    malloc_tuned = _common.keep_freed_memory()
    rows = run(eval_names, args.quick, args.budget or (0.1 if args.quick else 0.3), args.threads)
    facts = _common.machine_facts(args.threads, malloc_tuned)
    _common.report(facts, table(rows, "best_s" if args.best else "median_s"), args.json, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
