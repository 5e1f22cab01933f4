"""sct's derivatives on the numpy backend against the numba backend (``backend="numba"``) and JAX-jit.

    python benchmarks/numba_backend.py [--rounds R] [--threads T] [--quick]

GradBench's ``ode`` (n=10000, s=10) and ``lse`` (n=160000) with the runner's inputs, and a loop over
the entries of an array (``element_loop``, n=2000), where each step is a few scalar operations. Times are
the best of ``R`` rounds of process time, the tools alternated within each round (paired, for a loaded
machine), as ratios to the numpy backend. Compilation is not timed: the time to make each derivative
(sct's transformation; numba's and JAX's compilation at the first call) is listed apart. A tool whose
derivative differs from the numpy backend's by more than 1e-10 (relative) is marked ``!``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Callable, Dict

import _common
import numpy as np

import sct  # noqa: E402  (after _common, which puts the project root on the path)
from gradbench import inputs  # noqa: E402
from gradbench.evals import lse, ode  # noqa: E402


def element_loop(x, w):
    z = 0.0
    for i in range(x.shape[0]):
        z = z + np.exp(-x[i] * w) * x[i]
    return z


def _input(eval: str, sizes: Dict[str, list], function: str) -> Any:
    return next(input for name, input, _ in inputs.plan(eval, sizes, 1, 0) if name == function)


def problems(quick: bool) -> Dict[str, dict]:
    """Each problem: ``sct(backend)`` and ``jax(jax, peer)`` (None: not written for JAX), each making the
    derivative and returning the call to time."""
    x_ode, s = ode.prepare(_input("ode", {"n": [1000 if quick else 10000], "s": [10]}, "gradient"))
    seed = np.zeros_like(x_ode)
    seed[-1] = 1.0
    (x_lse,) = lse.prepare(_input("lse", {"n": [2500 if quick else 160000]}, "gradient"))
    x_loop = np.random.default_rng(0).standard_normal(200 if quick else 2000)

    def sct_ode(backend):
        reverse = sct.reverse(ode.primal, "x", backend=backend)
        return lambda: reverse(x_ode, s, seed=seed)[1]

    def jax_ode(jax, peer):
        gradient = jax.jit(jax.grad(lambda x, s: peer.ode_primal(x, s)[-1]), static_argnums=1)
        x = jax.numpy.asarray(x_ode)
        return lambda: jax.block_until_ready(gradient(x, s))

    def sct_lse(backend):
        gradient = sct.grad(lse.logsumexp, "x", backend=backend)
        return lambda: gradient(x_lse)

    def jax_lse(jax, peer):
        gradient, x = jax.jit(jax.grad(peer.lse_primal)), jax.numpy.asarray(x_lse)
        return lambda: jax.block_until_ready(gradient(x))

    def sct_loop(backend):
        gradient = sct.grad(element_loop, "x", backend=backend)
        return lambda: gradient(x_loop, 0.7)

    return {"ode": {"sct": sct_ode, "jax": jax_ode}, "lse": {"sct": sct_lse, "jax": jax_lse},
            "element_loop": {"sct": sct_loop, "jax": None}}


def _made(make: Callable[[], Callable[[], Any]]) -> tuple:
    """The timed call ``make()`` returns, its first result, and the seconds making it and the first call
    took (process time: transformation, compilation)."""
    start = time.process_time()
    call = make()
    made = time.process_time() - start
    first = call()
    return call, np.asarray(first), made, time.process_time() - start - made


def measure(problem: dict, rounds: int, jax: Any, peer: Any) -> Dict[str, dict]:
    """Per tool: best seconds per call, seconds to make and to first call, agreement with numpy's."""
    tools = {"numpy": lambda: problem["sct"]("numpy"), "numba": lambda: problem["sct"]("numba")}
    if jax is not None and problem["jax"] is not None:
        tools["jax"] = lambda: problem["jax"](jax, peer)
    made = {name: _made(make) for name, make in tools.items()}
    reference = made["numpy"][1]
    best = dict.fromkeys(made, float("inf"))
    for _ in range(rounds):
        for name, (call, *_) in made.items():
            repeats, start = 0, time.process_time()
            while repeats < 3 or time.process_time() - start < 0.02:
                call()
                repeats += 1
            best[name] = min(best[name], (time.process_time() - start) / repeats)
    scale = max(1.0, float(np.max(np.abs(reference))))
    return {name: {"best_s": best[name], "make_s": m[2], "first_call_s": m[3],
                   "agrees": float(np.max(np.abs(m[1] - reference))) / scale <= 1e-10}
            for name, m in made.items()}


def table(rows: Dict[str, Dict[str, dict]]) -> str:
    lines = ["| problem | tool | derivative | ÷ numpy backend | make | first call (compile) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for problem, tools in rows.items():
        base = tools["numpy"]["best_s"]
        for name, m in tools.items():
            mark = "" if m["agrees"] else " !"
            lines.append(f"| {problem} | {name}{mark} | {m['best_s'] * 1e3:.3f} ms | "
                         f"{m['best_s'] / base:.2f} | {m['make_s']:.2f} s | {m['first_call_s']:.2f} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="small sizes, 3 rounds")
    args = parser.parse_args()
    _common.pin_threads(args.threads)
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
        from gradbench.peers import jax_evals as peer
    except ImportError:
        jax = peer = None
    rounds = 3 if args.quick else args.rounds
    rows = {name: measure(problem, rounds, jax, peer) for name, problem in problems(args.quick).items()}
    print(table(rows))


if __name__ == "__main__":
    main()
