"""The evaluate messages of each eval, made as GradBench's eval programs make them.

``plan(eval, sizes, min_runs, min_seconds)`` is a generator of ``(function, input, description)``;
the runner sends it each answer's output, which only ``hello`` reads (its next input is the tool's
last output, as in GradBench). Random inputs come from the generators' own seeds (31337) and draws in
their order, so that a size gives GradBench's numbers. Two evals read data files in GradBench and are
generated here instead, in GradBench's format: ``lstm`` (ADBench's generator draws the state and
parameters unseeded and takes the text from a file: here they are seeded, the text random lowercase
words) and ``ba`` (one camera, point, weight and feature taken from ADBench's files: here drawn).
"""

from __future__ import annotations

import math
from typing import Any, Dict, Generator, List, Tuple

import numpy as np

SEED = 31337
Sizes = Dict[str, List[int]]

# GradBench's defaults (the eval programs' command-line defaults) and small sizes for quick checks
DEFAULT: Dict[str, Sizes] = {
    "hello": {},
    "lse": {"n": [2500, 5000, 10000, 20000, 40000, 80000, 160000, 320000, 640000, 1280000]},
    "llsq": {"n": [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8196, 16392], "m": [128]},
    "gmm": {"d": [2, 10, 20, 32, 64], "k": [5, 10, 25, 50, 100], "n": [1000]},
    "det": {"l": [5, 6, 7, 8, 9, 10, 11]},
    "ode": {"n": [1000, 10000, 100000], "s": [1, 10, 100]},
    "kmeans": {"k": [10, 100, 1000], "n": [1000, 10000], "d": [8, 16]},
    "saddle": {},
    "particle": {},
    "lstm": {"l": [2, 4], "c": [1024, 4096]},
    "ba": {"i": [1, 2]},
}
SMALL: Dict[str, Sizes] = {
    "hello": {},
    "lse": {"n": [1, 7, 50]},
    "llsq": {"n": [2, 9, 40], "m": [1, 5]},
    "gmm": {"d": [2, 3], "k": [1, 3], "n": [6]},
    "det": {"l": [1, 2, 4]},
    "ode": {"n": [1, 6], "s": [1, 4]},
    "kmeans": {"k": [1, 3], "n": [12], "d": [1, 2]},
    "saddle": {},
    "particle": {},
    "lstm": {"l": [1, 2], "c": [3, 6]},
    "ba": {"i": [0]},
}
# ADBench's bundle-adjustment problems by GradBench's file number: cameras, points, observations
BA_SIZES = {0: (3, 5, 12), 1: (49, 7776, 31843), 2: (21, 11315, 36455)}

Plan = Generator[Tuple[str, Any, str], Any, None]


def plan(eval: str, sizes: Sizes, min_runs: int = 1, min_seconds: float = 1.0) -> Plan:
    """The evaluate messages ``(function, input, description)`` of ``eval`` at ``sizes``."""
    runs = {"min_runs": min_runs, "min_seconds": min_seconds}
    if eval == "hello":
        yield from _hello()
        return
    for functions, input, description in _PLANS[eval](sizes):
        for function in functions:
            yield function, {**input, **runs}, description


def _hello() -> Plan:
    x: Any = 1.0
    for _ in range(4):
        y = yield "square", x, ""
        x = yield "double", y, ""


def _sorted(sizes: Sizes, *names: str) -> List[tuple]:
    combinations = [()]
    for name in names:
        combinations = [c + (v,) for c in combinations for v in sizes[name]]
    return sorted(combinations, key=math.prod)


def _lse(sizes: Sizes):
    np.random.seed(SEED)
    for n in sizes["n"]:
        yield ("primal", "gradient"), {"x": np.random.rand(n).tolist()}, f"n={n}"


def _llsq(sizes: Sizes):
    np.random.seed(SEED)
    for n, m in _sorted(sizes, "n", "m"):
        yield ("primal", "gradient"), {"x": np.random.rand(m).tolist(), "n": n}, f"n={n},m={m}"


def gmm_input(seed: int, d: int, k: int, n: int, m: int = 0, gamma: float = 1.0) -> dict:
    """GradBench's ``gmm`` input: a fresh ``default_rng(seed)`` draws x, mu, q, l, alpha in this order."""
    rng = np.random.default_rng(seed=seed)
    x = [list(rng.normal(size=d)) for _ in range(n)]
    mu = [list(rng.uniform(size=d)) for _ in range(k)]
    q = [list(rng.normal(size=d)) for _ in range(k)]
    lower = [list(rng.normal(size=d * (d - 1) // 2)) for _ in range(k)]
    alpha = list(rng.normal(size=k))
    return {"d": d, "k": k, "n": n, "x": x, "m": m, "gamma": gamma, "mu": mu, "q": q, "l": lower,
            "alpha": alpha}


def _gmm(sizes: Sizes):
    for n in sizes["n"]:
        for d, k in _sorted(sizes, "d", "k"):
            yield ("objective", "jacobian"), gmm_input(SEED, d, k, n), f"{d}_{k}_{n}"


def _det(sizes: Sizes):
    np.random.seed(SEED)
    for ell in sizes["l"]:
        yield ("primal", "gradient"), {"A": np.random.rand(ell * ell).tolist(), "ell": ell}, f"{ell}"


def _ode(sizes: Sizes):
    np.random.seed(SEED)
    for n, s in _sorted(sizes, "n", "s"):
        yield ("primal", "gradient"), {"x": np.random.rand(n).tolist(), "s": s}, f"n={n},s={s}"


def _kmeans(sizes: Sizes):
    np.random.seed(SEED)
    for k, n, d in _sorted(sizes, "k", "n", "d"):
        if k > n:
            raise ValueError(f"kmeans needs k <= n (each centroid is one of the points), got k={k}, n={n}")
        points = np.random.rand(n, d).tolist()
        yield ("cost", "dir"), {"points": points, "centroids": points[-k:]}, f"k={k},n={n},d={d}"


def _saddle(sizes: Sizes):
    yield ("rr", "ff", "fr", "rf"), {"start": [1.0, 1.0]}, "w=0"


def _particle(sizes: Sizes):
    yield ("rr", "ff", "fr", "rf"), {"w": 0.0}, "w=0"


def lstm_input(rng: np.random.RandomState, layers: int, chars: int) -> dict:
    """An ``lstm`` input as ADBench's ``gen_data.py`` writes it, from a text of ``chars`` characters."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz "))
    text = "".join(rng.choice(letters, size=chars))
    bits = math.ceil(math.log2(max(ord(c) for c in text)))
    sequence = [[int(b) for b in bin(ord(c))[2:].zfill(bits)] for c in text]
    state = rng.random_sample((2 * layers, bits))
    main_params = rng.random_sample((2 * layers, bits * 4))
    extra_params = rng.random_sample((3, bits))
    return {"main_params": main_params.tolist(), "extra_params": extra_params.tolist(),
            "state": state.tolist(), "sequence": sequence}


def _lstm(sizes: Sizes):
    for layers in sizes["l"]:
        for chars in sizes["c"]:
            rng = np.random.RandomState(SEED)
            yield ("objective", "jacobian"), lstm_input(rng, layers, chars), f"lstm_l{layers}_c{chars}"


def ba_input(rng: np.random.RandomState, n: int, m: int, p: int) -> dict:
    """A ``ba`` input: a camera a few units from a point in front of it, a weight and a feature."""
    rotation, centre = rng.normal(scale=0.2, size=3), np.append(rng.normal(size=2), rng.uniform(4, 6))
    focal, principal = rng.uniform(300, 600), rng.normal(scale=10, size=2)
    cam = np.concatenate([rotation, centre, [focal], principal, rng.normal(scale=1e-2, size=2)])
    x = rng.normal(size=3)
    return {"n": n, "m": m, "p": p, "cam": cam.tolist(), "x": x.tolist(), "w": float(rng.uniform(0.5, 1.5)),
            "feat": rng.normal(scale=50, size=2).tolist()}


def _ba(sizes: Sizes):
    for i in sizes["i"]:
        n, m, p = BA_SIZES[i]
        rng = np.random.RandomState(SEED + i)
        yield ("objective", "jacobian"), ba_input(rng, n, m, p), f"ba{i}_n{n}_m{m}_p{p}"


_PLANS = {"lse": _lse, "llsq": _llsq, "gmm": _gmm, "det": _det, "ode": _ode, "kmeans": _kmeans,
          "saddle": _saddle, "particle": _particle, "lstm": _lstm, "ba": _ba}
