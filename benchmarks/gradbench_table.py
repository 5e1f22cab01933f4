"""Time every GradBench eval: sct's primal and derivative, and JAX's and PyTorch's, in one run.

    python benchmarks/gradbench_table.py [--quick] [--budget S] [--threads T] [--json PATH] [--evals E,...]

One size per eval, taken from GradBench's default sizes (``--quick``: small ones, seconds in all);
the inputs are the runner's (``gradbench/inputs.py``, GradBench's generators and seeds). sct's
functions are the tool's own (``gradbench/evals``); JAX runs ``jit`` on the CPU in float64, each call
ended by ``block_until_ready``; PyTorch runs eager on the CPU in float64 (``gradbench/peers``). Every
call is first made once (JAX compiles then; that call is not timed) and each tool's derivative is
checked against sct's with GradBench's tolerance (a tool that disagrees is marked ``!``). Times are
medians (``--best``: the fastest) of repeated calls within ``--budget`` seconds per measurement; the
conversion of the JSON input is not timed, as in the tool. Objects alive before a measurement (the
other tools' among them) are left out of the garbage collections made during it
(``_common.freeze_live_objects``). Evals that sct refuses today are listed
with sct's reason.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Dict, List, Optional

import _common

from gradbench import evals, inputs  # noqa: E402  (after _common, which puts the project root on the path)
from gradbench.compare import mismatches  # noqa: E402

# eval: (primal, derivative, sizes, quick sizes)
TABLE = {
    "lse": ("primal", "gradient", {"n": [160000]}, {"n": [2500]}),
    "llsq": ("primal", "gradient", {"n": [4096], "m": [128]}, {"n": [256], "m": [128]}),
    "gmm": ("objective", "jacobian", {"d": [10], "k": [25], "n": [1000]}, {"d": [2], "k": [5], "n": [1000]}),
    "ode": ("primal", "gradient", {"n": [10000], "s": [10]}, {"n": [1000], "s": [1]}),
    "kmeans": ("cost", "dir", {"k": [100], "n": [10000], "d": [8]}, {"k": [10], "n": [1000], "d": [8]}),
    "lstm": ("objective", "jacobian", {"l": [2], "c": [1024]}, {"l": [2], "c": [64]}),
    "ba": ("objective", "jacobian", {"i": [1]}, {"i": [0]}),
    "det": ("primal", "gradient", {"l": [7]}, {"l": [4]}),  # l! terms: GradBench's larger sizes take minutes
}
AWAITING: tuple = ()  # evals sct refuses at define (none today)


def eval_input(eval: str, sizes: inputs.Sizes, function: str) -> Any:
    """The runner's input to ``function`` of ``eval`` at the first of ``sizes``."""
    for name, input, _ in inputs.plan(eval, sizes, 1, 0):
        if name == function:
            return input
    raise ValueError(f"{eval} has no {function}")


def _measure(function: evals.Function, input: Any, budget: float) -> Dict[str, Any]:
    args = function.prepare(input)
    first, first_s = _common.timed_call(lambda: function.compute(*args))
    _common.freeze_live_objects()  # the other tools' objects out of the collections timed
    timing = _common.median_time(lambda: function.compute(*args), budget, first_call_s=first_s)
    return {"median_s": timing.median_s, "best_s": timing.best_s, "repeats": timing.repeats,
            "output": function.output(first)}


def available_tools(threads: int) -> Dict[str, Any]:
    """sct, and the peers that import (``None`` with the reason for one that does not)."""
    from gradbench import peers

    found: Dict[str, Any] = {"sct": evals}
    for name in ("jax", "torch"):
        try:
            found[name] = peers.available(name) or f"{name} is not installed"
        except Exception as err:  # a broken install: say so in the table
            found[name] = f"{name}: {err}"
    if not isinstance(found["torch"], str):
        import torch

        torch.set_num_threads(threads)
    return found


def measure_eval(eval: str, sizes: inputs.Sizes, tools: Dict[str, Any], budget: float) -> Dict[str, Any]:
    """One row: each tool's primal and derivative of ``eval`` at ``sizes`` (one value per size name).

    ``tools`` maps a name to an object with ``define(eval)`` (``gradbench.evals``, a peer), or to the
    reason it is missing. A tool that defines only the derivative (a hand-written one) is timed on that
    alone. Each derivative is checked against the first tool's (GradBench's tolerance); a tool that
    raises gets ``{"error": ...}`` and the row goes on.
    """
    primal, derivative = TABLE[eval][:2]
    row: Dict[str, Any] = {"eval": eval, "size": ", ".join(f"{k}={v[0]}" for k, v in sizes.items())}
    reference: Optional[Any] = None
    for name, tool in tools.items():
        if isinstance(tool, str):
            row[name] = {"error": tool}
            continue
        try:
            functions = tool.define(eval)
        except KeyError:  # a peer without this eval
            row[name] = {"error": f"no {eval} in this peer"}
            continue
        try:
            measured = {kind: _measure(functions[f], eval_input(eval, sizes, f), budget)
                        for kind, f in (("primal", primal), ("derivative", derivative)) if f in functions}
        except Exception as err:  # noqa: BLE001 -- a tool failing at one size must not stop the run
            row[name] = {"error": f"{name} at {row['size']}: {type(err).__name__}: {str(err)[:160]}"}
            continue
        if reference is None:  # the first tool that ran: sct's unless sct failed here
            reference = measured["derivative"]["output"]
            row["reference"] = name
            found = []
        else:
            found = mismatches(reference, measured["derivative"]["output"])
        row[name] = {kind: {key: m[key] for key in ("median_s", "best_s", "repeats")}
                     for kind, m in measured.items()}
        row[name]["agrees"] = not found
        times = (f"{kind} {_common.format_seconds(m['median_s'])} ms" for kind, m in measured.items())
        print(f"# {eval} {row['size']} {name}: " + ", ".join(times)
              + ("" if not found else f"  ! {found[0]}"), file=sys.stderr, flush=True)
    return row


def run(quick: bool, budget: float, threads: int, only: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """The rows of every eval in ``TABLE`` (or of those named in ``only``), each timed for ``budget`` s."""
    found = available_tools(threads)
    rows = [measure_eval(eval, quick_sizes if quick else sizes, found, budget)
            for eval, (_, _, sizes, quick_sizes) in TABLE.items() if only is None or eval in only]
    for eval in AWAITING if only is None else ():
        try:
            evals.define(eval)
            reason = "defined (remove it from AWAITING)"
        except Exception as err:
            reason = str(err).splitlines()[0].split(": ", 1)[-1]
        rows.append({"eval": eval, "awaiting": reason})
    return rows


def _cell(row: Dict[str, Any], tool: str, kind: str, key: str) -> str:
    entry = row.get(tool, {})
    if "error" in entry:
        return "n/a"
    mark = "" if entry.get("agrees", True) or kind == "primal" else " !"
    return _common.format_seconds(entry[kind][key]) + mark


def _ratio(row: Dict[str, Any], tool: str, key: str) -> str:
    entry = row.get(tool, {})
    if "error" in entry:
        return "n/a"
    return f"{entry['derivative'][key] / entry['primal'][key]:.2f}"


def table(rows: List[Dict[str, Any]], key: str = "median_s") -> str:
    lines = ["| eval | size | sct primal ms | sct derivative ms | sct ratio | JAX primal ms "
             "| JAX derivative ms | JAX ratio | PyTorch primal ms | PyTorch derivative ms | PyTorch ratio |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row in rows:
        if "awaiting" in row:
            lines.append(f"| {row['eval']} | - | sct refuses: {row['awaiting']} | | | | | | | | |")
            continue
        cells = [row["eval"], row["size"]]
        for tool in ("sct", "jax", "torch"):
            cells += [_cell(row, tool, kind, key) for kind in ("primal", "derivative")]
            cells.append(_ratio(row, tool, key))
        lines.append("| " + " | ".join(cells) + " |")
    notes = sorted({row[t]["error"] for row in rows for t in ("jax", "torch") if "error" in row.get(t, {})})
    return "\n".join(lines + [f"n/a: {note}" for note in notes])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: seconds in all")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds per measurement (1.0; quick: 0.2)")
    parser.add_argument("--threads", type=int, default=1, help="compute threads for every tool (1)")
    parser.add_argument("--json", default=None, help="also write the measurements to this file")
    parser.add_argument("--best", action="store_true",
                        help="each measurement's fastest call instead of the median (for a busy machine)")
    parser.add_argument("--evals", default=None,
                        help="comma-separated evals to time (all of them by default): " + ", ".join(TABLE))
    args = parser.parse_args()
    only = None if args.evals is None else args.evals.split(",")
    unknown = sorted(set(only or ()) - set(TABLE))
    if unknown:
        parser.error(f"unknown evals {', '.join(unknown)}; known: {', '.join(TABLE)}")
    _common.pin_threads(args.threads)
    malloc_tuned = _common.keep_freed_memory()
    rows = run(args.quick, args.budget or (0.2 if args.quick else 1.0), args.threads, only)
    facts = _common.machine_facts(args.threads, malloc_tuned)
    _common.report(facts, table(rows, "best_s" if args.best else "median_s"), args.json, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
