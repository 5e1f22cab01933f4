"""Time the ADBench GMM objective and its full gradient (alphas, means, icf) across AD tools.

    python benchmarks/gmm_gradient.py [--quick] [--json PATH] [--repeats R] [--threads T] [--tools a,b]

Problem sizes: d in {2, 10, 20, 32, 64}, K in {5, 10, 25, 50, 100, 200}, n in {1000, 10000}
(``--quick``: d in {2, 10}, K in {5, 25}, n = 1000).  Data for one size come from
``numpy.random.default_rng([seed, n, d, K])`` (seed 0 unless ``--seed``), drawn in this order:
alphas ~ N(0, 1) (K,), means ~ U[0, 1) (K, d), icf ~ 0.1 N(0, 1) (K, d(d+1)/2), x ~ N(0, 1) (n, d);
the Wishart prior has ADBench's gamma = 1, m = 0.

Each tool's gradient is first checked against the reference (sct's when available, else the
hand-written one): relative error of the value and of each gradient block (2-norm) must be below
``--tolerance`` (1e-8).  Timings are medians over repeated calls after a warm-up call (which also
absorbs JIT compilation); the count adapts to the ``--budget`` per measurement unless ``--repeats``
is given.  The table shows the objective and reference-gradient times (ms), their ratio, and every
other tool's gradient time divided by the reference's.  The plain formulation (GradBench's
``gmm_objective``, whose prior has the corrected sign) and sct's gradient of it are timed beside them
(up to ``--plain-max`` = n d K), checked against the hand-written gradient of that objective.  See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

import _common
import numpy as np

D_VALUES, K_VALUES, N_VALUES = (2, 10, 20, 32, 64), (5, 10, 25, 50, 100, 200), (1000, 10000)
QUICK_D, QUICK_K, QUICK_N = (2, 10), (5, 25), (1000,)
GAMMA, WISHART_M = 1.0, 0


def make_problem(n: int, d: int, k: int, seed: int = 0) -> tuple[np.ndarray, ...]:
    """Deterministic (alphas, means, icf, x) for one size; see the module docstring."""
    rng = np.random.default_rng([seed, n, d, k])
    alphas = rng.standard_normal(k)
    means = rng.uniform(size=(k, d))
    icf = 0.1 * rng.standard_normal((k, d * (d + 1) // 2))
    x = rng.standard_normal((n, d))
    return alphas, means, icf, x


@dataclass
class ToolResult:
    """One tool at one size.  status: ok, mismatch, error or unavailable."""

    status: str
    grad_s: float | None = None
    repeats: int = 0
    grad_best_s: float | None = None
    first_call_s: float | None = None
    rel_error: float | None = None
    message: str = ""


@dataclass
class SizeResult:
    n: int
    d: int
    k: int
    objective_s: float
    objective_repeats: int
    objective_best_s: float
    reference: str
    tools: dict[str, ToolResult] = field(default_factory=dict)
    plain: dict[str, Any] | None = None  # the plain formulation's objective and sct gradient (measure_plain)


def relative_error(got: tuple[float, tuple], want: tuple[float, tuple]) -> float:
    """Largest relative error over the value and the three gradient blocks."""
    errors = [abs(got[0] - want[0]) / max(abs(want[0]), 1e-300)]
    for g, w in zip(got[1], want[1]):
        if g.shape != w.shape:
            return float("inf")
        errors.append(float(np.linalg.norm(g - w) / max(np.linalg.norm(w), 1e-300)))
    return max(errors)


def run_size(n: int, d: int, k: int, tools: dict[str, Any], args: argparse.Namespace,
             plain: Any = None) -> SizeResult:
    """Check every built tool against the reference at this size, then time it (and ``plain``, sct's
    gradient of the plain formulation, up to ``--plain-max`` = n d K)."""
    from mixtures.loglik import gmm_objective

    problem = (*make_problem(n, d, k, args.seed), GAMMA, WISHART_M)
    _, first_s = _common.timed_call(lambda: gmm_objective(*problem))
    objective = _common.median_time(lambda: gmm_objective(*problem), args.budget, args.repeats, first_s)
    outputs: dict[str, Any] = {}
    results: dict[str, ToolResult] = {}
    for name, grad in tools.items():
        if isinstance(grad, str):
            results[name] = ToolResult("unavailable", message=grad)
            continue
        try:
            outputs[name], first = _common.timed_call(lambda g=grad: g(*problem))
            results[name] = ToolResult("ok", first_call_s=first)
        except Exception as err:  # noqa: BLE001 -- a tool failing at one size must not stop the run
            results[name] = ToolResult("error", message=f"{type(err).__name__}: {str(err)[:200]}")
    reference = "sct" if "sct" in outputs else "hand"
    for name, out in outputs.items():
        res = results[name]
        res.rel_error = relative_error(out, outputs[reference])
        if not res.rel_error <= args.tolerance:
            res.status = "mismatch"
        res.grad_s, res.repeats, res.grad_best_s = _common.median_time(
            lambda g=tools[name]: g(*problem), args.budget, args.repeats, res.first_call_s
        )
    result = SizeResult(n, d, k, objective.median_s, objective.repeats, objective.best_s, reference, results)
    if callable(plain) and n * d * k <= args.plain_max:
        result.plain = measure_plain(problem, plain, args)
    return result


def measure_plain(problem: tuple, grad: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The plain formulation (GradBench's ``gmm_objective``) and sct's gradient of it, checked against the
    hand-written gradient of that objective (its prior's sign differs from ``gmm_objective``'s)."""
    import _peers

    measured: dict[str, Any] = {}
    for kind, fn in (("objective", _peers.plain_objective), ("grad", grad)):
        output, first_s = _common.timed_call(lambda f=fn: f(*problem))
        timing = _common.median_time(lambda f=fn: f(*problem), args.budget, args.repeats, first_s)
        measured.update({f"{kind}_s": timing.median_s, f"{kind}_best_s": timing.best_s})
    measured["rel_error"] = relative_error(output, _peers.hand_plain(*problem))
    measured["status"] = "ok" if measured["rel_error"] <= args.tolerance else "mismatch"
    return measured


def build_tools(names: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Name -> gradient callable, or -> the reason it is unavailable."""
    import _peers

    tools: dict[str, Any] = {}
    for peer in _peers.all_peers(args.sct_module, args.sct_function):
        if peer.name not in names:
            continue
        try:
            tools[peer.name] = peer.build()
        except _peers.Unavailable as why:
            tools[peer.name] = str(why)
    return tools


def format_row(result: SizeResult, columns: list[str], best: bool = False) -> str:
    """One table row; ``best`` uses the fastest call instead of the median."""

    def grad_time(tool: ToolResult | None) -> float | None:
        return None if tool is None else tool.grad_best_s if best else tool.grad_s

    objective_s = result.objective_best_s if best else result.objective_s
    ref_s = grad_time(result.tools[result.reference])
    cells = [f"{result.n:>6}", f"{result.d:>3}", f"{result.k:>4}"]
    cells += [f"{_common.format_seconds(objective_s):>9}", f"{result.reference:>5}"]
    cells += [f"{_common.format_seconds(ref_s):>9}", f"{ref_s / objective_s:>8.2f}"]
    if result.reference != "hand":
        hand_s = grad_time(result.tools.get("hand"))
        cells.append(f"{hand_s / objective_s:>8.2f}" if hand_s is not None else f"{'-':>8}")
    if "plain" in columns:
        cells += _plain_cells(result.plain, ref_s, best)
    for name in (c for c in columns if c != "plain"):
        tool = result.tools.get(name)
        if tool is None or tool.status == "unavailable":
            cell = "n/a"
        elif tool.status == "error":
            cell = "error"
        else:
            cell = f"{grad_time(tool) / ref_s:.2f}x" + ("!" if tool.status == "mismatch" else "")
        cells.append(f"{cell:>10}")
    return " ".join(cells)


def _plain_cells(plain: dict[str, Any] | None, ref_s: float, best: bool) -> list[str]:
    """plain obj ms, plain grad ms, their ratio, plain grad / reference grad (``-`` where not measured)."""
    if plain is None:
        return [f"{'-':>9}"] * 2 + [f"{'-':>8}"] * 2
    objective_s, grad_s = (plain[f"{kind}_best_s" if best else f"{kind}_s"] for kind in ("objective", "grad"))
    mark = "!" if plain["status"] == "mismatch" else ""
    return [f"{_common.format_seconds(objective_s):>9}", f"{_common.format_seconds(grad_s) + mark:>9}",
            f"{grad_s / objective_s:>8.2f}", f"{grad_s / ref_s:>8.2f}"]


def header(columns: list[str], reference: str) -> str:
    hand_column = ["hand/obj"] if reference != "hand" else []
    plain = ["plain obj", "plain grd", "p grd/obj", "p grd/ref"] if "plain" in columns else []
    others = [c for c in columns if c != "plain"]
    names = ["n", "d", "K", "obj ms", "ref", "grad ms", "grad/obj", *hand_column, *plain]
    names += [f"{c}/ref" for c in others]
    widths = [6, 3, 4, 9, 5, 9, 8, *[8] * len(hand_column), *[9, 9, 8, 8][:len(plain)]] + [10] * len(others)
    return " ".join(f"{name:>{w}}" for name, w in zip(names, widths))


def notes(results: list[SizeResult]) -> list[str]:
    """Unavailable tools, errors and mismatches, each said once per tool and kind."""
    lines, seen = [], set()
    for result in results:
        for name, tool in result.tools.items():
            if tool.status == "ok":
                continue
            key = (name, tool.status, tool.message if tool.status != "mismatch" else "")
            if key in seen:
                continue
            seen.add(key)
            where = f"n={result.n} d={result.d} K={result.k}"
            if tool.status == "mismatch":
                error = f"{tool.rel_error:.1e}"
                lines.append(f"{name}: gradient differs from {result.reference} by {error} at {where} (!)")
            elif tool.status == "error":
                lines.append(f"{name}: error at {where}: {tool.message}")
            else:
                lines.append(f"{name}: {tool.message}")
        if result.plain is not None and result.plain["status"] == "mismatch":
            error = f"{result.plain['rel_error']:.1e}"
            lines.append(f"plain: sct's gradient differs from the hand-written one by {error}"
                         f" at n={result.n} d={result.d} K={result.k} (!)")
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small subset, under a minute")
    parser.add_argument("--json", metavar="PATH", help="also write all results as JSON")
    parser.add_argument("--repeats", type=int, help="fixed number of timed calls (default: adaptive)")
    parser.add_argument("--budget", type=float, help="seconds per adaptive measurement (1.0, quick 0.2)")
    parser.add_argument("--threads", type=int, default=1, help="compute threads for every tool (default 1)")
    parser.add_argument("--tools", default="sct,hand,plain,autograd,jax,torch,tangent",
                        help="comma-separated (plain: sct's gradient of the plain formulation)")
    parser.add_argument("--plain-max", type=float, default=2.6e7,
                        help="time the plain formulation up to this n*d*K (2.6e7: every n = 1000 size)")
    parser.add_argument("--d", type=int, nargs="+", help="override the dimensions")
    parser.add_argument("--k", type=int, nargs="+", help="override the component counts")
    parser.add_argument("--n", type=int, nargs="+", help="override the point counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-8, help="relative gradient check")
    parser.add_argument("--best", action="store_true", help="table from the fastest call, not the median")
    parser.add_argument("--no-malloc-tuning", action="store_true", help="keep glibc's default malloc")
    parser.add_argument("--sct-module", default="mixtures._generated.gmm_objective_grad")
    parser.add_argument("--sct-function", default="diff_gmm_objective")
    args = parser.parse_args(argv)
    if args.budget is None:
        args.budget = 0.2 if args.quick else 1.0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _common.pin_threads(args.threads)
    malloc_tuned = False if args.no_malloc_tuning else _common.keep_freed_memory()
    names = [t.strip() for t in args.tools.split(",") if t.strip()]
    tools = build_tools(names, args)
    plain = tools.pop("plain", None)  # another objective: timed beside the others, not checked against them
    sizes = [
        (n, d, k)
        for n in args.n or (QUICK_N if args.quick else N_VALUES)
        for d in args.d or (QUICK_D if args.quick else D_VALUES)
        for k in args.k or (QUICK_K if args.quick else K_VALUES)
    ]
    facts = _common.machine_facts(args.threads, malloc_tuned)
    print(f"# {facts['cpu']}, {facts['logical_cpus']} logical CPUs, {args.threads} thread(s) per tool, "
          f"numpy {facts['numpy']}, {', '.join(facts.get('blas', []))}")
    origins = {name: getattr(tool, "origin", "") if callable(tool) else "unavailable"
               for name, tool in tools.items()}
    if plain is not None:
        origins["plain"] = getattr(plain, "origin", "") if callable(plain) else plain
    print("# tools: " + "; ".join(f"{name}: {origin}" for name, origin in origins.items()))
    reference = "sct" if callable(tools.get("sct")) else "hand"
    stat = "fastest call" if args.best else "median"
    print(f"# reference gradient: {reference}; times in ms ({stat}); x/ref = tool time / reference time")
    columns = ["plain"] * callable(plain) + [name for name in tools if name != reference]
    print(header(columns, reference), flush=True)
    results = []
    for n, d, k in sizes:
        results.append(run_size(n, d, k, tools, args, plain))
        print(format_row(results[-1], columns, args.best), flush=True)
    for line in notes(results):
        print(f"# {line}")
    if args.json:
        settings = {key: value for key, value in vars(args).items() if key != "json"}
        rows = [asdict(r) for r in results]
        payload = {"machine": facts, "tools": origins, "settings": settings, "results": rows}
        with open(args.json, "w") as fh:
            json.dump(payload, fh, indent=1)
        print(f"# results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
