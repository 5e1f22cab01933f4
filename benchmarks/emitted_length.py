"""Length of the code sct emits for each GradBench eval, against the source it differentiates.

    python benchmarks/emitted_length.py [--repeats R] [--json PATH]

For each eval sct defines (``gradbench/evals``), the lines of the emitted derivative functions (every
derivative the eval uses: kmeans has a gradient and a Hessian-vector product; helper derivatives
included, runtime helpers not) over the lines of the source they come from (the functions differentiated
and the functions of their module they call, transitively), and the same for the loops alone (the
outermost ``for``/``while`` statements and comprehensions: ode's time steps, lstm's layers and
characters, det's expansion, gmm's index comprehension). Lines
are non-blank and non-comment. ``define ms`` is the eval's first ``define()`` in this process: every
transformation and compilation it makes. The last lines are ``transform.py``'s times to transform
(and render) its generated 50-line function in both modes.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import sys
import time
from typing import Any, Callable, Dict, Iterator, List

import _common  # puts the project root on the path
import gradbench_table
import numpy as np
import transform

import sct  # noqa: E402
from gradbench import evals  # noqa: E402
from sct.emit.render import functions_text  # noqa: E402


def _warm_up(x):
    return np.sum(x)


def code_lines(text: str) -> int:
    """Lines that are neither blank nor only a comment."""
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))


def derivatives_in(compute: Callable) -> Iterator[Any]:
    """The sct derivatives an eval's function calls: itself or what its closure holds, recursively."""
    seen, pending = set(), [compute]
    while pending:
        obj = pending.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if hasattr(obj, "transformed") or hasattr(obj, "stage"):
            yield obj
        elif hasattr(obj, "derivative"):  # sct.grad's wrapper
            pending.append(obj.derivative)
        elif inspect.isfunction(obj):
            pending += [cell.cell_contents for cell in obj.__closure__ or ()]


def emitted_functions(derivative: Any) -> List[ast.FunctionDef]:
    """The functions sct emitted for ``derivative`` (for a higher derivative, its last stage's)."""
    stage = derivative if hasattr(derivative, "transformed") else derivative.stage
    return list(stage.transformed.functions)


def differentiated(derivative: Any) -> Callable:
    """The user's function ``derivative`` was made from."""
    return getattr(derivative, "made_from", None) or derivative.original


def source_functions(functions: List[Callable]) -> List[ast.FunctionDef]:
    """``functions`` and the functions of their module they call, transitively."""
    module = sys.modules[functions[0].__module__]
    defined = {node.name: node for node in ast.parse(inspect.getsource(module)).body
               if isinstance(node, ast.FunctionDef)}
    found: Dict[str, ast.FunctionDef] = {}
    pending = [f.__name__ for f in functions]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found[current] = defined[current]
        pending += [node.id for node in ast.walk(defined[current])
                    if isinstance(node, ast.Name) and node.id in defined]
    return list(found.values())


def loop_lines(functions: List[ast.FunctionDef]) -> int:
    """Code lines of the outermost loops of ``functions``."""
    total = 0
    for function in functions:
        text = ast.unparse(function)
        for node in _outermost_loops(ast.parse(text)):
            total += code_lines(ast.get_source_segment(text, node) or "")
    return total


def _outermost_loops(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            yield node
        else:
            yield from _outermost_loops(node)


def measure(eval: str) -> Dict[str, Any]:
    """One row: emitted and source lines (all, and loops) of ``eval``'s derivatives, and define time."""
    start = time.perf_counter()
    try:
        functions = evals.define(eval)
    except Exception as err:  # noqa: BLE001 -- an eval sct refuses is listed with the reason
        return {"eval": eval, "refused": str(err).splitlines()[0]}
    define_s = time.perf_counter() - start
    derivative = gradbench_table.TABLE[eval][1]
    made = list(derivatives_in(functions[derivative].compute))
    source = source_functions(list({id(f): f for f in map(differentiated, made)}.values()))
    emitted = [f for d in made for f in emitted_functions(d)]
    return {"eval": eval, "derivatives": derivative, "define_s": define_s,
            "source_lines": sum(code_lines(ast.unparse(f)) for f in source),
            "emitted_lines": code_lines(functions_text(emitted)),
            "source_loop_lines": loop_lines(source), "emitted_loop_lines": loop_lines(emitted)}


def table(rows: List[Dict[str, Any]]) -> str:
    lines = ["| eval | define ms | source lines | emitted lines | emitted/source | source loop lines "
             "| emitted loop lines | loops emitted/source |", "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for row in rows:
        if "refused" in row:
            lines.append(f"| {row['eval']} | sct refuses: {row['refused'][:100]} | | | | | | |")
            continue
        loops = (f"{row['emitted_loop_lines'] / row['source_loop_lines']:.1f}" if row["source_loop_lines"]
                 else "-")
        lines.append(f"| {row['eval']} | {row['define_s'] * 1e3:.0f} | {row['source_lines']} | "
                     f"{row['emitted_lines']} | {row['emitted_lines'] / row['source_lines']:.1f} | "
                     f"{row['source_loop_lines'] or '-'} | {row['emitted_loop_lines'] or '-'} | {loops} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=11,
                        help="transformations of the 50-line function (11)")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    sct.grad(_warm_up)  # sct's first derivative imports what it resolves names against (scipy ...)
    rows = [measure(eval) for eval in gradbench_table.TABLE]
    rows += [measure(eval) for eval in gradbench_table.AWAITING]
    print(table(rows))
    fifty = transform.make_function(50)
    timings = {mode: transform.time_transform(fifty, mode, args.repeats) for mode in ("forward", "reverse")}
    print(f"\n50-line function ({code_lines(fifty)} code lines, benchmarks/transform.py), CPU ms, median of "
          f"{args.repeats}: " + "; ".join(f"{mode}: transform {t * 1e3:.1f}, + render {r * 1e3:.1f}"
                                          for mode, (t, r) in timings.items()))
    if args.json:
        _common.write_json(args.json, {"rows": rows, "fifty_lines_s": timings})
    return 0


if __name__ == "__main__":
    sys.exit(main())
