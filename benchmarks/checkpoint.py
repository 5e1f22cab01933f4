"""Gradient of a long time stepper with and without binomial checkpointing: peak memory, time, recomputes.

    python benchmarks/checkpoint.py [--size N] [--steps 1000,10000,100000] [--snapshots 10,100]
                                    [--taped-max 10000]

The stepper is the explicit heat equation on ``--size`` points (10^4 floats of state) with fixed ends:
``u[1:-1] <- u[1:-1] + k (u[2:] - 2 u[1:-1] + u[:-2])``, and the objective is ``sum(u**2)`` after ``n``
steps; the gradient is taken with respect to the initial state and ``k``. For each ``n`` the taped gradient
(``sct.grad``, which keeps what every step overwrites; only up to ``--taped-max`` steps, beyond which the tape
does not fit in memory) and the checkpointed one (``sct.grad(..., checkpoints=c)``) are run once for the time
and once under tracemalloc for the peak memory. The checkpointed gradient must equal the taped one to
rounding; the plain steps it runs are counted (a call in the loop body) and compared with Revolve's optimum
``r n - C(c + r, c + 1)`` recomputations plus the ``n`` recorded steps.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import _common  # noqa: F401  (puts the checkout on sys.path)
import numpy as np

import sct
from sct.runtime.checkpointing import checkpoint_cost, checkpoint_repetitions

EVALUATIONS = [0]


def count_step():
    EVALUATIONS[0] += 1
    return 0.0


def heat(u, k, n):
    s = u
    for _i in range(n):
        inner = s[1:-1] + k * (s[2:] - 2.0 * s[1:-1] + s[:-2]) + count_step()
        s = np.concatenate((s[:1], inner, s[-1:]))  # the ends held fixed
    return np.sum(s ** 2)


def run(gradient, u, k, n):
    """(gradient, seconds, peak bytes, plain steps evaluated)."""
    EVALUATIONS[0] = 0
    start = time.perf_counter()
    result = gradient(u, k, n)
    seconds = time.perf_counter() - start
    evaluations = EVALUATIONS[0]
    tracemalloc.start()
    gradient(u, k, n)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak, evaluations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--steps", default="1000,10000,100000")
    parser.add_argument("--snapshots", default="10,100")
    parser.add_argument("--taped-max", type=int, default=10_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    u = rng.standard_normal(args.size)
    k = 0.2
    state_mb = u.nbytes / 1e6
    print(f"heat equation, state {args.size} floats ({state_mb:.2f} MB)")
    print(f"{'steps':>8} {'snapshots':>9} {'time s':>8} {'peak MB':>9} {'steps run':>10} {'bound':>10} "
          f"{'r':>3} {'max rel err':>11}")
    for n in (int(s) for s in args.steps.split(",")):
        taped = None
        if n <= args.taped_max:
            grads, seconds, peak, evaluations = run(sct.grad(heat, wrt=("u", "k")), u, k, n)
            taped = grads
            print(f"{n:>8} {'taped':>9} {seconds:>8.2f} {peak / 1e6:>9.1f} {evaluations:>10} {n:>10} "
                  f"{'':>3} {'':>11}")
        for c in (int(s) for s in args.snapshots.split(",")):
            grads, seconds, peak, evaluations = run(sct.grad(heat, wrt=("u", "k"), checkpoints=c), u, k, n)
            bound = checkpoint_cost(n, c) + n
            assert evaluations == bound, (n, c, evaluations, bound)
            error = ""
            if taped is not None:
                worst = max(np.max(np.abs(a - b)) / np.max(np.abs(b)) for a, b in zip(grads, taped))
                assert worst < 1e-10, worst
                error = f"{worst:.1e}"
            print(f"{n:>8} {c:>9} {seconds:>8.2f} {peak / 1e6:>9.1f} {evaluations:>10} {bound:>10} "
                  f"{checkpoint_repetitions(n, c):>3} {error:>11}", flush=True)


if __name__ == "__main__":
    main()
