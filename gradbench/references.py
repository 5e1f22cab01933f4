"""Independent references for every eval: primals written again, another way than ``evals/`` writes
them (explicit matrices, loops, numpy's own routines), and derivatives from divided differences of
those (``differences.py``); ``saddle`` and ``particle`` are checked against GradBench's fixed answers.

``check(eval, function, input, output, limit)`` compares an answer with the reference by GradBench's
tolerance and says how: a derivative with more than ``limit`` entries is checked on ``limit`` of them,
drawn at random (every entry costs four evaluations of the primal).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import numpy as np
import scipy.special

from gradbench import differences
from gradbench.compare import mismatches

SADDLE = [8.246324826140356e-06] * 4  # GradBench's expected answers
PARTICLE = 0.2071918746486116


class Check(NamedTuple):
    """The mismatches found (none: valid) and how the answer was checked."""

    mismatches: List[str]
    how: str


def _a(value: Any) -> np.ndarray:
    return np.array(value, dtype=np.float64)


# --- primals, written again -------------------------------------------------------------------------

def lse(x):
    return float(np.logaddexp.reduce(x))


def llsq(x, n):
    t = np.linspace(-1.0, 1.0, n) if n > 1 else np.array([-1.0])
    return 0.5 * float(np.sum((np.sign(t) - np.polynomial.polynomial.polyval(t, x)) ** 2))


def gmm(alpha, mu, q, l, x, gamma, m):
    k, d = mu.shape
    n = x.shape[0]
    rows, cols = np.tril_indices(d, -1)
    order = np.lexsort((rows, cols))  # l fills the strict lower triangle column by column
    log_weights = alpha - np.logaddexp.reduce(alpha)
    per_component = np.empty((n, k))
    wishart = 0.0
    dof = d + m + 1
    for j in range(k):
        Q = np.diag(np.exp(q[j]))
        Q[rows[order], cols[order]] = l[j]
        precision = Q.T @ Q
        logdet = np.linalg.slogdet(precision)[1]
        centred = x - mu[j]
        quadratic = np.einsum("ni,ij,nj->n", centred, precision, centred)
        per_component[:, j] = log_weights[j] + 0.5 * logdet - 0.5 * d * np.log(2 * np.pi) - 0.5 * quadratic
        wishart += (0.5 * (dof - d - 1) * logdet - 0.5 * gamma ** 2 * np.trace(precision)
                    + 0.5 * dof * d * np.log(gamma ** 2) - 0.5 * dof * d * np.log(2.0)
                    - scipy.special.multigammaln(0.5 * dof, d))
    return float(np.sum(np.logaddexp.reduce(per_component, axis=1)) + wishart)


def ode(x, s):
    y = np.zeros_like(x)
    h = 2.0 / s
    first = np.arange(len(x)) == 0

    def field(y):
        return np.where(first, x, x * np.roll(y, 1))

    for _ in range(s):
        k1 = field(y)
        k2 = field(y + 0.5 * h * k1)
        k3 = field(y + 0.5 * h * k2)
        k4 = field(y + h * k3)
        y = y + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return y


def kmeans(points, centroids):
    return float(sum(np.min(np.sum((centroids - point) ** 2, axis=1)) for point in points))


def lstm(main_params, extra_params, state, sequence):
    layers, bits = state.shape[0] // 2, state.shape[1]
    hidden, cell = state[0::2].copy(), state[1::2].copy()
    total = 0.0
    for t in range(len(sequence) - 1):
        inp = sequence[t] * extra_params[0]
        for j in range(layers):
            weight, bias = main_params[2 * j].reshape(4, bits), main_params[2 * j + 1].reshape(4, bits)
            forget = scipy.special.expit(inp * weight[0] + bias[0])
            ingate = scipy.special.expit(hidden[j] * weight[1] + bias[1])
            outgate = scipy.special.expit(inp * weight[2] + bias[2])
            change = np.tanh(hidden[j] * weight[3] + bias[3])
            cell[j] = cell[j] * forget + ingate * change
            hidden[j] = outgate * np.tanh(cell[j])
            inp = hidden[j]
        ypred = inp * extra_params[1] + extra_params[2]
        total += float(np.sum(sequence[t + 1] * (ypred - np.log(np.sum(np.exp(ypred)) + 2))))
    return -total / ((len(sequence) - 1) * bits)


def reprojection(cam, x, w, feat):
    """One observation's weighted reprojection error, with Rodrigues' rotation as a matrix."""
    rot = cam[0:3]
    theta = np.linalg.norm(rot)
    K = np.array([[0, -rot[2], rot[1]], [rot[2], 0, -rot[0]], [-rot[1], rot[0], 0]])
    if theta == 0:
        R = np.eye(3) + K
    else:
        K = K / theta
        R = np.eye(3) + np.sin(theta) * K + (1 - np.cos(theta)) * K @ K
    point = R @ (x - cam[3:6])
    projected = point[:2] / point[2]
    rsq = projected @ projected
    distorted = projected * (1 + cam[9] * rsq + cam[10] * rsq ** 2)
    return w * (distorted * cam[6] + cam[7:9] - feat)


# --- what each function's answer is checked against -------------------------------------------------

def _flat_gradient(f: Callable, parts: Tuple[np.ndarray, ...], limit: Optional[int]):
    """Entries of the gradient of ``f(*parts)`` in all parts flattened and concatenated."""
    sizes = [p.size for p in parts]
    flat = np.concatenate([p.ravel() for p in parts])

    def unflattened(v):
        pieces = np.split(v, np.cumsum(sizes)[:-1])
        return f(*(piece.reshape(p.shape) for piece, p in zip(pieces, parts)))

    which = differences.coordinates(flat.size, limit)
    return which, differences.gradient(unflattened, flat, which), flat.size


def _entries(expected: np.ndarray, which: np.ndarray, actual: Any, size: int) -> Check:
    actual = np.ravel(np.array(actual, dtype=np.float64))
    if actual.size != size:
        return Check([f"output: expected {size} numbers, got {actual.size}"], "differences")
    found = mismatches(expected.tolist(), actual[which].tolist())
    how = "differences" + ("" if len(which) == size else f" ({len(which)} of {size} entries)")
    return Check(found, how)


def _gmm_parts(input):
    return (_a(input["alpha"]), _a(input["mu"]), _a(input["q"]), _a(input["l"]).reshape(input["k"], -1))


def _gmm_args(input):
    return _a(input["x"]), float(input["gamma"]), int(input["m"])


def _gmm_jacobian(input, output, limit):
    parts = _gmm_parts(input)
    which, expected, size = _flat_gradient(lambda *p: gmm(*p, *_gmm_args(input)), parts, limit)
    if not isinstance(output, dict) or set(output) != {"alpha", "mu", "q", "l"}:
        return Check(["output: expected an object with keys alpha, mu, q, l"], "differences")
    flat = [np.ravel(_a(output[key])) for key in ("alpha", "mu", "q", "l")]
    return _entries(expected, which, np.concatenate(flat), size)


def _kmeans_dir(input, output, limit):
    points, centroids = _a(input["points"]), _a(input["centroids"])
    flat = centroids.ravel()
    which = differences.coordinates(flat.size, limit)

    def cost(c):
        return kmeans(points, c.reshape(centroids.shape))

    expected = differences.gradient(cost, flat, which) / differences.second_derivatives(cost, flat, which)
    return _entries(expected, which, output, flat.size)


def _ba_objective(input):
    err = reprojection(_a(input["cam"]), _a(input["x"]), float(input["w"]), _a(input["feat"]))
    return {"reproj_error": {"elements": err.tolist(), "repeated": input["p"]},
            "w_err": {"element": 1.0 - float(input["w"]) ** 2, "repeated": input["p"]}}


def _ba_jacobian(input):
    n, m, p = input["n"], input["m"], input["p"]
    parts = (_a(input["cam"]), _a(input["x"]), np.array([float(input["w"])]))
    flat = np.concatenate(parts)
    block = differences.jacobian_columns(
        lambda v: reprojection(v[:11], v[11:14], v[14], _a(input["feat"])), flat, range(15))
    w_err = differences.gradient(lambda v: 1.0 - v[0] ** 2, parts[2], [0])[0]
    cols = (list(range(11)) + [11 * n + i for i in range(3)] + [11 * n + 3 * m]) * 2
    rows = [15 * j for j in range(2 * p + 1)] + [30 * p + 1 + i for i in range(p)]  # CSR row starts
    rows = rows[:30] + rows[-1:]
    return {"rows": rows, "cols": cols + [11 * n + 3 * m + p - 1], "vals": block.ravel().tolist() + [w_err]}


def _lstm_jacobian(input, output, limit):
    parts = (_a(input["main_params"]), _a(input["extra_params"]))
    state, sequence = _a(input["state"]), _a(input["sequence"])
    which, expected, size = _flat_gradient(lambda *p: lstm(*p, state, sequence), parts, limit)
    return _entries(expected, which, output, size)


def _scalar_gradient(f: Callable, name: str, extra: Callable = lambda input: ()) -> Callable:
    def check(input, output, limit):
        x = _a(input[name]).ravel()
        shape = np.shape(input[name])
        which = differences.coordinates(x.size, limit)
        expected = differences.gradient(lambda v: f(v.reshape(shape), *extra(input)), x, which)
        return _entries(expected, which, output, x.size)
    return check


def _ode_gradient(input, output, limit):
    x = _a(input["x"])
    which = differences.coordinates(x.size, limit)
    expected = differences.gradient(lambda v: ode(v, int(input["s"]))[-1], x, which)
    return _entries(expected, which, output, x.size)


# expected JSON answers computed from the input (primals and fixed answers)
_EXPECTED: Dict[Tuple[str, str], Callable[[Any], Any]] = {
    ("hello", "square"): lambda x: x * x,
    ("lse", "primal"): lambda input: lse(_a(input["x"])),
    ("llsq", "primal"): lambda input: llsq(_a(input["x"]), input["n"]),
    ("gmm", "objective"): lambda input: gmm(*_gmm_parts(input), *_gmm_args(input)),
    ("det", "primal"): lambda input: float(np.linalg.det(_a(input["A"]).reshape(input["ell"], input["ell"]))),
    ("ode", "primal"): lambda input: ode(_a(input["x"]), int(input["s"])).tolist(),
    ("kmeans", "cost"): lambda input: kmeans(_a(input["points"]), _a(input["centroids"])),
    ("lstm", "objective"): lambda input: lstm(*(_a(input[k]) for k in ("main_params", "extra_params", "state",
                                                                        "sequence"))),
    ("ba", "objective"): _ba_objective,
    ("ba", "jacobian"): _ba_jacobian,
    **{("saddle", modes): (lambda input: SADDLE) for modes in ("ff", "fr", "rf", "rr")},
    **{("particle", modes): (lambda input: PARTICLE) for modes in ("ff", "fr", "rf", "rr")},
}
# derivative checks by differences: (input, output, limit) -> Check
_DERIVATIVES: Dict[Tuple[str, str], Callable[[Any, Any, Optional[int]], Check]] = {
    ("hello", "double"): lambda x, output, limit: _entries(
        differences.gradient(lambda v: v[0] * v[0], np.array([float(x)]), [0]), np.array([0]), [output], 1),
    ("lse", "gradient"): _scalar_gradient(lse, "x"),
    ("llsq", "gradient"): _scalar_gradient(llsq, "x", lambda input: (input["n"],)),
    ("gmm", "jacobian"): _gmm_jacobian,
    ("det", "gradient"): _scalar_gradient(lambda A: np.linalg.det(A.reshape(int(np.sqrt(A.size)), -1)), "A"),
    ("ode", "gradient"): _ode_gradient,
    ("kmeans", "dir"): _kmeans_dir,
    ("lstm", "jacobian"): _lstm_jacobian,
}


def check(eval: str, function: str, input: Any, output: Any, limit: Optional[int] = None) -> Check:
    """Compare ``output`` with the reference answer of ``eval``'s ``function`` at ``input``."""
    key = (eval, function)
    if key in _DERIVATIVES:
        return _DERIVATIVES[key](input, output, limit)
    if key in _EXPECTED:
        return Check(mismatches(_EXPECTED[key](input), output), "reference")
    raise ValueError(f"no reference for {eval}::{function}")
