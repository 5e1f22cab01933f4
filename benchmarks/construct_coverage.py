"""Which everyday constructs each gradient tool gets right, refuses, or gets wrong without a word.

    python benchmarks/construct_coverage.py            # a markdown table on stdout
    python benchmarks/construct_coverage.py --json out.json

Each function of ``coverage_cases.py`` is handed, unchanged, to every installed tool: sct (`sct.grad`),
tangent-ad (`tangent.grad`, the maintained fork of Google's Tangent) and autograd (the same source run
with `np` bound to `autograd.numpy`). The gradient each returns at ``POINT`` is compared with
Richardson-extrapolated central differences of the plain numpy function. A cell reads

- ``exact``: within 1e-6 of the differences (relative to the gradient's size);
- ``refused``/``error``: the tool raised; sct's refusals are ``SCTError`` at transform time;
- ``WRONG``: the tool returned a gradient that is not the function's.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import coverage_cases  # noqa: E402

Gradient = Callable[[Callable], Callable[[np.ndarray], Any]]
TOLERANCE = 1e-6


def richardson_gradient(f: Callable, x: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """Central differences at steps h and h/2 combined to cancel the h² error term."""
    def central(e: np.ndarray, h: float) -> float:
        return (f(x + h * e) - f(x - h * e)) / (2 * h)

    grad = np.zeros_like(x)
    for i, e in enumerate(np.eye(x.size)):
        grad[i] = (4 * central(e, step / 2) - central(e, step)) / 3
    return grad


def _sct() -> tuple[str, Gradient]:
    import sct

    return f"sct {importlib.metadata.version('sct')}", lambda f: sct.grad(f)


def _tangent() -> tuple[str, Gradient]:
    tangent = importlib.import_module("tangent")
    return f"tangent-ad {importlib.metadata.version('tangent-ad')}", lambda f: tangent.grad(f)


def _autograd() -> tuple[str, Gradient]:
    autograd = importlib.import_module("autograd")
    anp = importlib.import_module("autograd.numpy")
    special = importlib.import_module("autograd.scipy.special")
    source = Path(coverage_cases.__file__).read_text()
    namespace: dict[str, Any] = {"__name__": "coverage_cases_autograd"}
    exec(compile(source, coverage_cases.__file__, "exec"), namespace)
    namespace.update(np=anp, logsumexp=special.logsumexp)  # every case and helper now traces

    def gradient(f: Callable) -> Callable:
        return autograd.grad(namespace[f.__name__])

    return f"autograd {importlib.metadata.version('autograd')}", gradient


TOOLS = {"sct": _sct, "tangent": _tangent, "autograd": _autograd}


def verdict(make_gradient: Gradient, f: Callable, point: np.ndarray, expected: np.ndarray) -> str:
    """One table cell: how the tool fared on ``f``."""
    try:
        got = np.asarray(make_gradient(f)(point.copy()), dtype=float)
    except Exception as err:  # every failure is a result here
        word = "refused" if type(err).__name__ == "SCTError" else "error"
        return f"{word} ({type(err).__name__})"
    if got.shape != expected.shape or not np.all(np.isfinite(got)):
        return "WRONG"
    scale = max(1.0, float(np.max(np.abs(expected))))
    return "exact" if float(np.max(np.abs(got - expected))) <= TOLERANCE * scale else "WRONG"


def run(tool_names: list[str]) -> tuple[list[str], list[dict[str, str]]]:
    tools = []
    for name in tool_names:
        try:
            tools.append(TOOLS[name]())
        except ImportError as err:
            print(f"{name}: not installed ({err})", file=sys.stderr)
    rows = []
    for f in coverage_cases.CASES:
        point = coverage_cases.POINT
        expected = richardson_gradient(f, point)
        row = {"construct": (f.__doc__ or f.__name__).strip().splitlines()[0]}
        for label, make_gradient in tools:
            row[label] = verdict(make_gradient, f, point, expected)
        rows.append(row)
    return [label for label, _ in tools], rows


def markdown(labels: list[str], rows: list[dict[str, str]]) -> str:
    lines = ["| construct | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for row in rows:
        lines.append(f"| {row['construct']} | " + " | ".join(row[label] for label in labels) + " |")
    totals = []
    for label in labels:
        cells = [row[label] for row in rows]
        totals.append(f"{cells.count('exact')} exact, {cells.count('WRONG')} wrong")
    lines.append("| **of " + str(len(rows)) + "** | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tools", default="sct,tangent,autograd")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    labels, rows = run(args.tools.split(","))
    print(markdown(labels, rows))
    if args.json:
        args.json.write_text(json.dumps({"tools": labels, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
