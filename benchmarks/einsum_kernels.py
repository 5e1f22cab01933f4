"""np.einsum, np.einsum(optimize=True) and sct's ``contract`` on the contractions derivatives are made of.

    python benchmarks/einsum_kernels.py [--budget S] [--threads T]

Cases: gmm's einsum ``'ijk,mik->mij'`` and its two adjoints at GradBench's size (k=25, d=10, n=1000), a
plain matrix product, a batched product, a chain of three operands and a trace-like diagonal. Each row
gives the median time of np.einsum (the baseline) and the ratios of the other two to it, measured in the
same run; the results are checked to agree.
"""
from __future__ import annotations

import argparse
import functools

import numpy as np
from _common import format_seconds, keep_freed_memory, median_time, pin_threads

from sct.runtime import contract


def cases(rng: np.random.Generator) -> list:
    """(name, subscripts, operands) of every case."""
    k, d, n = 25, 10, 1000
    Ls, xc, g = rng.standard_normal((k, d, d)), rng.standard_normal((n, k, d)), rng.standard_normal((n, k, d))
    square = rng.standard_normal((300, 300))
    return [
        ("gmm forward", "ijk,mik->mij", [Ls, xc]),
        ("gmm adjoint of Ls", "mij,mik->ijk", [g, xc]),
        ("gmm adjoint of xcentered", "mij,ijk->mik", [g, Ls]),
        ("matrix product 300", "ij,jk->ik", [square, rng.standard_normal((300, 300))]),
        ("batched product 100x(20x20)", "bij,bjk->bik",
         [rng.standard_normal((100, 20, 20)), rng.standard_normal((100, 20, 20))]),
        ("chain of three", "ij,jk,kl->il", [rng.standard_normal((300, 20)), rng.standard_normal((20, 300)),
                                            rng.standard_normal((300, 10))]),
        ("trace-like diagonal", "ii,ij->j", [square, rng.standard_normal((300, 300))]),
        ("row dot products", "ij,ij->i", [rng.standard_normal((1000, 50)), rng.standard_normal((1000, 50))]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=0.5, help="seconds per measurement")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    pin_threads(args.threads)
    keep_freed_memory()
    rng = np.random.default_rng(0)
    print(f"# threads {args.threads}; ratios against np.einsum in this run (lower is faster)")
    print(f"{'case':30} {'subscripts':14} {'einsum ms':>10} {'optimize=True':>14} {'contract':>9}")
    for name, subscripts, operands in cases(rng):
        tools = {"einsum": functools.partial(np.einsum, subscripts, *operands),
                 "optimize": functools.partial(np.einsum, subscripts, *operands, optimize=True),
                 "contract": functools.partial(contract, subscripts, *operands)}
        expected = tools["einsum"]()
        times = {}
        for tool, fn in tools.items():
            result = fn()  # warm: contract plans on its first call
            scale = max(1.0, float(np.max(np.abs(expected))))
            assert np.allclose(result, expected, rtol=1e-10, atol=1e-10 * scale), (name, tool)
            times[tool] = median_time(fn, args.budget).median_s
        base = times["einsum"]
        print(f"{name:30} {subscripts:14} {format_seconds(base):>10} {times['optimize'] / base:>14.3g} "
              f"{times['contract'] / base:>9.3g}")


if __name__ == "__main__":
    main()
