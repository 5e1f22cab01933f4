"""What one call of a derivative object costs above the emitted function it runs, on scalars and tiny arrays.

    python benchmarks/call_overhead.py [--calls N] [--rounds R]

For each object (``sct.reverse``, ``sct.forward``, ``sct.grad``, ``sct.jacobian`` in both modes,
``sct.hessian``, ``sct.hvp``, ``sct.grad_and_hvp``) the baseline is the emitted function itself
(``.function``, or ``.stage.function`` of a higher object) called with the arguments the object hands it
(float arguments, the seed, the identity as directions). Both are timed in the same run, alternately:
``R`` rounds of ``N`` calls each, and the table gives the median time per call of each, their difference
(the wrapper's overhead, in microseconds) and their ratio.
"""
from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable, List, Tuple

import _common  # noqa: F401  (puts the project root on the path)
import numpy as np

import sct


def square(x):
    return x * x


def weighted(x, w):
    return np.sum(w * x * x)


def _per_call(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def compare(baseline: Callable[[], object], wrapped: Callable[[], object], calls: int,
            rounds: int) -> Tuple[float, float]:
    """Median seconds per call of ``baseline`` and of ``wrapped``, timed alternately."""
    baseline(), wrapped()
    base, wrap = [], []
    for _ in range(rounds):
        base.append(_per_call(baseline, calls))
        wrap.append(_per_call(wrapped, calls))
    return statistics.median(base), statistics.median(wrap)


def cases(x, args: tuple) -> List[Tuple[str, Callable[[], object], Callable[[], object]]]:
    """(name, emitted function call, object call) for ``func`` at ``args`` (``x`` first)."""
    func = square if len(args) == 1 else weighted
    x = np.asarray(x, dtype=float)
    eye = np.eye(x.size).reshape((x.size,) + x.shape)
    ones = np.ones_like(x) if x.ndim else 1.0
    tangent = ones if x.ndim else 1.0
    seeds = np.eye(1).reshape(1)  # one seed: the output is a scalar
    r, d, g = sct.reverse(func), sct.forward(func), sct.grad(func)
    jf, jr = sct.jacobian(func, mode="forward"), sct.jacobian(func, mode="reverse")
    h, hv = sct.hessian(func), sct.hvp(func)
    out = [
        ("reverse", lambda: r.function(*args, 1.0), lambda: r(*args)),
        ("forward", lambda: d.function(*args, tangent), lambda: d(*args, tangent)),
        ("grad", lambda: r.function(*args, 1.0), lambda: g(*args)),
        ("jacobian forward", lambda: jf.stage.function(x, *args[1:], eye), lambda: jf(*args)),
        ("jacobian reverse", lambda: jr.stage.function(x, *args[1:], seeds), lambda: jr(*args)),
        ("hessian", lambda: h.stage.function(x, *args[1:], **{h.tangent: eye}), lambda: h(*args)),
        ("hvp", lambda: hv.stage.function(x, *args[1:], **{hv.tangent: ones}), lambda: hv(*args, ones)),
    ]
    both = getattr(sct, "grad_and_hvp", None)
    if both is not None:
        gh = both(func)
        out.append(("grad_and_hvp", lambda: gh.stage.function(x, *args[1:], **{gh.tangent: ones}),
                    lambda: gh(*args, ones)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per round (2000)")
    parser.add_argument("--rounds", type=int, default=15, help="rounds, alternating the two (15)")
    options = parser.parse_args()
    inputs = {"scalar x*x at 2.0": (2.0, (2.0,)),
              "size-3 sum(w*x*x)": (np.array([1.0, -2.0, 0.5]), (np.array([1.0, -2.0, 0.5]),
                                                                  np.array([0.3, 1.0, 2.0])))}
    print("| input | object | emitted us | object us | overhead us | ratio |")
    print("|---|---|--:|--:|--:|--:|")
    for label, (x, args) in inputs.items():
        for name, baseline, wrapped in cases(x, args):
            base, wrap = compare(baseline, wrapped, options.calls, options.rounds)
            print(f"| {label} | {name} | {base * 1e6:.2f} | {wrap * 1e6:.2f} | {(wrap - base) * 1e6:.2f} "
                  f"| {wrap / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
