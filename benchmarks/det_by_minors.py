"""GradBench's ``det``: the determinant by expansion of minors, a recursion, and its gradient by sct.

    python benchmarks/det_by_minors.py [--sizes 4,5,6,7] [--budget S] [--repeats R]

The input is GradBench's: the ``ell * ell`` entries of a matrix as one flat vector ``A``. ``minor_det``
calls itself once per column of the minor, with the row and column index lists of the sub-minor; the
depth follows ``ell``, never the entries. Reported: the CPU time to transform the module (as
``sct transform`` does: parse, transform, render) in each mode, then for each size the primal time, the
gradient time (reverse mode, the module ``sct transform`` writes, imported) and their ratio, with the
gradient's largest difference from numpy's cofactor matrix ``det(A) * inv(A).T``.
"""
from __future__ import annotations

import argparse
import ast
import functools
import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import format_seconds, median_time

from sct.emit.render import module_source
from sct.frontend.source import ModuleResolver
from sct.pipeline import shared_module, transform

DET_SOURCE = '''\
"""Determinant by expansion of minors along the first row, over a flat vector of ell * ell entries."""


def minor_det(a, ell, rows, cols):
    if len(rows) == 1:
        return a[rows[0] * ell + cols[0]]
    result = 0.0
    for j in range(len(cols)):
        sub = cols[:j] + cols[j + 1:]
        term = a[rows[0] * ell + cols[j]] * minor_det(a, ell, rows[1:], sub)
        result = result + term if j % 2 == 0 else result - term
    return result


def det(a, ell):
    return minor_det(a, ell, list(range(ell)), list(range(ell)))
'''


def emit(mode: str) -> str:
    """The module ``sct transform det.py --function det --mode MODE`` writes."""
    tree = ast.parse(DET_SOURCE)
    resolver = ModuleResolver(tree, "det.py", DET_SOURCE)
    source = resolver.function("det")
    result = transform(source, ("a",), mode, module=shared_module(source))
    return module_source(result, "det.py")


def transform_seconds(mode: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        emit(mode)
        times.append(time.process_time() - start)
    return statistics.median(times)


def load(text: str, folder: Path, name: str):
    path = folder / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="4,5,6,7")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per timing")
    parser.add_argument("--repeats", type=int, default=11, help="transformations timed per mode")
    args = parser.parse_args()
    for mode in ("forward", "reverse"):
        print(f"transform ({mode}): {transform_seconds(mode, args.repeats) * 1e3:.1f} ms CPU")
    with tempfile.TemporaryDirectory() as folder:
        primal = load(DET_SOURCE, Path(folder), "det_primal")
        derivative = load(emit("reverse"), Path(folder), "det_gradient")
    print(f"{'ell':>4} {'primal ms':>10} {'gradient ms':>12} {'ratio':>7} {'max |error|':>12}")
    for ell in (int(s) for s in args.sizes.split(",")):
        a = np.random.default_rng(ell).standard_normal(ell * ell)
        value, grad = derivative.diff_det(a, ell)
        exact = np.linalg.det(a.reshape(ell, ell)) * np.linalg.inv(a.reshape(ell, ell)).T
        error = float(np.max(np.abs(grad - exact.ravel())))
        assert abs(value - primal.det(a, ell)) <= 1e-12 * max(1.0, abs(value))
        forward_s = median_time(functools.partial(primal.det, a, ell), args.budget).median_s
        gradient_s = median_time(functools.partial(derivative.diff_det, a, ell), args.budget).median_s
        print(f"{ell:>4} {format_seconds(forward_s):>10} {format_seconds(gradient_s):>12} "
              f"{gradient_s / forward_s:>7.2f} {error:>12.1e}")


if __name__ == "__main__":
    main()
