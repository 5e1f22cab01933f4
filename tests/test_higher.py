"""Higher derivatives and whole Jacobians: sct.hessian, sct.hvp, sct.jacobian.

Every Hessian is checked against autograd's and against central differences of the sct gradient; hvp
against hessian(...) @ v (both methods); Jacobians in forward and reverse vector mode against each other,
against autograd and against central differences. The functions are written once in plain numpy, and
autograd runs the same code with ``np`` bound to ``autograd.numpy``.
"""
import importlib.util
import sys
import types

import autograd
import autograd.numpy as anp
import autograd.scipy.special as asp
import numpy as np
import pytest
import scipy.special
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sct
from mixtures.loglik import gmm_objective_no_prior, objectives_for
from sct.runtime import matmul_adjoint, scatter, unbroadcast, unreduce
from sct.runtime.higher import batch_matmul_adjoint, batch_scatter, batch_unbroadcast, batch_unreduce

RNG = np.random.default_rng(42)
logsumexp = scipy.special.logsumexp


# ------------------------------------------------------------------------------------------ functions
def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def quadratic_sine(x, A):
    return x @ A @ x + np.sum(np.sin(x)) * x[0]


def loop_branch(x):
    s = 0.0
    for i in range(len(x)):
        if x[i] > 0:
            s = s + np.sin(x[i]) * x[i] * s
        else:
            s = s + x[i] ** 3 + s * x[i]
    return s


def fixed_while(x):
    y = x
    k = 0
    while k < 3:
        y = np.tanh(y) * 2.0 + y * x
        k += 1
    return np.sum(y * y)


def data_while(x):
    y = x * 1.0
    while np.sum(y * y) < 50.0:
        y = y * 1.5 + np.sin(y)
    return np.sum(y ** 3)


def early_return(x):
    total = 0.0
    for i in range(len(x)):
        total = total + np.exp(x[i]) * x[i]
        if total > 3.0:
            return total * np.sum(x ** 2)
    return total ** 2


def nested_loops(x):
    total = 0.0
    for i in range(len(x)):
        for j in range(i + 1):
            total = total + x[i] * x[j] * np.cos(x[j])
    return total


def softplus(v):
    return np.log1p(np.exp(v))


def uses_helper(x, A):
    return np.sum(softplus(A @ x)) * x[0] + softplus(x[1]) ** 2


def pair(a, b):
    return a * b, a + b


def tuple_helper(x):
    p, q = pair(x[0], x[1])
    return p * q + np.sum(x ** 3)


def log_sum_exp(x, A):
    return logsumexp(A @ x) - 0.5 * np.sum(x ** 2)


def cross_entropy(w, X, y):
    logits = X @ w
    return np.sum(logsumexp(logits, axis=1) - np.sum(logits * y, axis=1))


def product(x):
    return np.prod(x ** 2 + 1.0)


def matrix_reshape(x):
    X = x.reshape(2, 3)
    return np.sum((X @ X.T) ** 2) + np.sum(np.transpose(X) * 2.0)


def contraction(x, A):
    return np.einsum("i,ij,j->", x, A, x) * np.sum(np.exp(x))


def log_determinant(x, A):
    M = A @ A.T + np.eye(3) * np.exp(x)
    sign, logdet = np.linalg.slogdet(M)
    return logdet * np.sum(x)


def solve_inverse(x, A):
    M = A @ A.T + np.eye(3) * np.exp(x)
    return np.sum(np.linalg.solve(M, x)) + np.sum(np.linalg.inv(M))


def where_mean(x):
    centered = x - np.mean(x)
    return np.sum(np.where(x > 0, x ** 2, np.sin(x))) * np.mean(centered ** 2)


def max_square(x):
    return np.max(x * x) * np.sum(x) + np.min(np.exp(x))


def gmm_loglik(means, X, log_weights, prec_chol):
    """Log-likelihood of a Gaussian mixture in plain numpy: means (k, d), prec_chol (k, d, d)."""
    d = X.shape[1]
    diffs = X[:, None, :] - means[None, :, :]
    white = np.einsum("nkd,kde->nke", diffs, prec_chol)
    log_det = np.sum(np.log(np.abs(np.einsum("kdd->kd", prec_chol))), axis=1)
    log_prob = -0.5 * np.sum(white ** 2, axis=2) + log_det - 0.5 * d * np.log(2 * np.pi)
    return np.sum(logsumexp(log_prob + log_weights, axis=1))


GMM_X = RNG.standard_normal((12, 2)) + np.array([[1.0, 0.0]])
GMM_PREC = np.array([[[1.2, 0.0], [0.3, 0.9]], [[0.8, 0.0], [-0.2, 1.1]]])
GMM_W = np.log(np.array([0.4, 0.6]))
A3 = RNG.standard_normal((3, 3))
X43 = RNG.standard_normal((4, 3))
Y43 = np.eye(3)[[0, 2, 1, 2]]

# (function, arguments, wrt)
SCALAR_CASES = [
    (rosenbrock, (RNG.standard_normal(4),), "x"),
    (quadratic_sine, (RNG.standard_normal(3), A3), "x"),
    (loop_branch, (np.array([0.5, -0.3, 0.8, -1.1]),), "x"),
    (fixed_while, (RNG.standard_normal(3) * 0.5,), "x"),
    (data_while, (np.array([0.3, -0.2, 0.5]),), "x"),
    (early_return, (np.array([0.4, 0.7, 0.9, 0.2]),), "x"),
    (early_return, (np.array([0.1, -0.2, 0.1]),), "x"),
    (nested_loops, (RNG.standard_normal(3),), "x"),
    (uses_helper, (RNG.standard_normal(3), A3), "x"),
    (tuple_helper, (RNG.standard_normal(3),), "x"),
    (log_sum_exp, (RNG.standard_normal(3), A3), "x"),
    (cross_entropy, (RNG.standard_normal((3, 3)), X43, Y43), "w"),
    (product, (RNG.standard_normal(3),), "x"),
    (matrix_reshape, (RNG.standard_normal(6),), "x"),
    (contraction, (RNG.standard_normal(3), A3), "x"),
    (log_determinant, (RNG.standard_normal(3), A3), "x"),
    (solve_inverse, (RNG.standard_normal(3), A3), "x"),
    (where_mean, (np.array([0.7, -0.4, 1.3, -0.9]),), "x"),
    (max_square, (np.array([0.3, -1.2, 0.8]),), "x"),
    (gmm_loglik, (np.array([[0.5, -0.2], [1.5, 0.4]]), GMM_X, GMM_W, GMM_PREC), "means"),
]
IDS = [f"{case[0].__name__}-{i}" for i, case in enumerate(SCALAR_CASES)]


def _autograd_version(func):
    """The same function with np (and scipy's logsumexp) bound to autograd's, helpers included."""
    module = sys.modules[func.__module__]
    namespace = dict(vars(module), np=anp, logsumexp=asp.logsumexp)
    for name, value in list(namespace.items()):
        if isinstance(value, types.FunctionType) and value.__module__ == func.__module__ \
                and value.__closure__ is None:
            namespace[name] = types.FunctionType(value.__code__, namespace, name, value.__defaults__)
    return namespace[func.__name__]


def _partial(func, args, index):
    def at(value):
        call = list(args)
        call[index] = value
        return func(*call)
    return at


def _index(func, wrt):
    return func.__code__.co_varnames.index(wrt)


def _central_hessian(func, args, wrt, step=1e-5, grad=None):
    """Central differences of the sct gradient, one column per coordinate."""
    grad = grad or sct.grad(func, wrt=wrt)
    index = _index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    columns = []
    for direction in np.eye(x.size):
        d = direction.reshape(x.shape)
        plus, minus = list(args), list(args)
        plus[index], minus[index] = x + step * d, x - step * d
        columns.append(np.ravel((grad(*plus) - grad(*minus)) / (2 * step)))
    return np.array(columns).T.reshape(x.shape + x.shape)


def _close(a, b, rtol):
    scale = max(1.0, float(np.max(np.abs(b))))
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) <= rtol * scale


# ------------------------------------------------------------------------------------------- Hessians
@pytest.mark.parametrize("func,args,wrt", SCALAR_CASES, ids=IDS)
def test_hessian_matches_autograd_and_differences(func, args, wrt):
    H = sct.hessian(func, wrt=wrt)
    got = H(*args)
    index = _index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    assert got.shape == x.shape + x.shape
    expected = autograd.hessian(_partial(_autograd_version(func), args, index))(x)
    assert _close(got, expected, 1e-9), np.max(np.abs(got - expected))
    assert _close(got, _central_hessian(func, args, wrt), 1e-5)
    assert H.vectorized, H.note


@pytest.mark.parametrize("func,args,wrt", SCALAR_CASES, ids=IDS)
def test_hvp_is_hessian_times_v(func, args, wrt):
    index = _index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    v = RNG.standard_normal(x.shape)
    H = sct.hessian(func, wrt=wrt)(*args).reshape(x.size, x.size)
    expected = (H @ v.ravel()).reshape(x.shape)
    product = sct.hvp(func, wrt=wrt)(*args, v)
    assert product.shape == x.shape
    assert _close(product, expected, 1e-10)


@pytest.mark.parametrize("func,args,wrt", SCALAR_CASES[:12], ids=IDS[:12])
def test_reverse_over_forward_agrees(func, args, wrt):
    index = _index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    v = RNG.standard_normal(x.shape)
    fwd_rev = sct.hvp(func, wrt=wrt)(*args, v)
    rev_fwd = sct.hvp(func, wrt=wrt, method="reverse-over-forward")(*args, v)
    assert _close(rev_fwd, fwd_rev, 1e-10)


def test_gmm_hessian_wrt_means_against_differences_of_gradient():
    """The documented use: a 2-component 2-D mixture log-likelihood, Hessian with respect to the means."""
    means = np.array([[0.5, -0.2], [1.5, 0.4]])
    H = sct.hessian(gmm_loglik, wrt="means")(means, GMM_X, GMM_W, GMM_PREC)
    assert H.shape == (2, 2, 2, 2)
    matrix = H.reshape(4, 4)
    assert np.allclose(matrix, matrix.T, atol=1e-12)
    assert _close(H, _central_hessian(gmm_loglik, (means, GMM_X, GMM_W, GMM_PREC), "means"), 1e-6)


def test_hessian_of_function_with_item_assignment_and_fancy_indexing():
    """Not expressible in autograd: item assignment, fancy indices that repeat (add_at)."""
    def assign(x):
        y = np.zeros(4)
        y[0] = x[0] * x[1]
        y[1:3] = np.exp(x[1:3]) * x[0]
        y[3] = y[0] * y[1]
        idx = np.array([0, 2, 2, 1])
        return np.sum(y ** 2) + np.sum(x[idx] ** 3)

    x = np.array([0.3, -0.5, 0.8])
    got = sct.hessian(assign)(x)
    assert _close(got, _central_hessian(assign, (x,), "x"), 1e-6)
    assert _close(sct.hvp(assign)(x, np.ones(3)), got @ np.ones(3), 1e-10)


def test_hessian_of_list_building_loop():
    def rows(x):
        out = []
        for k in range(3):
            out.append(np.tanh(x * (k + 1)))
        return np.sum(np.stack(out) ** 2 * np.arange(1.0, 4.0)[:, None])

    x = np.array([0.2, -0.4])
    got = sct.hessian(rows)(x)
    assert _close(got, _central_hessian(rows, (x,), "x"), 1e-6)


def test_hessian_through_cholesky():
    def chol(x, A):
        M = A @ A.T + np.eye(3) * np.exp(x)
        L = np.linalg.cholesky(M)
        return np.sum(L ** 3)

    args = (RNG.standard_normal(3), A3)
    got = sct.hessian(chol)(*args)
    assert _close(got, _central_hessian(chol, args, "x"), 1e-6)
    expected = autograd.hessian(_partial(_autograd_chol, args, 0))(args[0])
    assert _close(got, expected, 1e-9)


def _autograd_chol(x, A):
    M = anp.dot(A, A.T) + anp.eye(3) * anp.exp(x)
    return anp.sum(anp.linalg.cholesky(M) ** 3)


def test_hessian_source_is_second_order_code():
    H = sct.hessian(rosenbrock)
    source = H.source
    assert "def diff_diff_rosenbrock(" in source
    assert "xbar_dot" in source and "batch_size(x_dot)" in source
    namespace = {}
    exec(compile(source, "<hessian>", "exec"), namespace)
    x = np.array([0.1, 0.4, -0.3])
    (_, grad), (_, columns) = namespace["diff_diff_rosenbrock"](x, x_dot=np.eye(3))
    assert np.allclose(columns, H(x))
    assert "def diff_diff_rosenbrock(" in sct.hvp(rosenbrock).source


def test_hessian_needs_scalar_output_and_one_wrt():
    with pytest.raises(ValueError, match="scalar"):
        sct.hessian(vector_field)(np.ones(3), A3)
    with pytest.raises(ValueError, match="one parameter"):
        sct.hessian(quadratic_sine, wrt="x,A")
    with pytest.raises(sct.SCTError, match="not a parameter"):
        sct.hessian(quadratic_sine, wrt="z")


# ------------------------------------------------------------------------------------------ Jacobians
def vector_field(x, A):
    y = np.tanh(A @ x) * x[0]
    z = np.concatenate([y, np.sum(x ** 2, keepdims=True)])
    return np.exp(z[1:]) + z[:-1] * 2.0


def vector_loop(x):
    out = np.zeros(3)
    for i in range(3):
        if x[i] > 0:
            out[i] = np.sin(x[i]) * x[(i + 1) % 3]
        else:
            out[i] = x[i] ** 2
    return out * np.sum(x)


def matrix_valued(x):
    X = np.reshape(x, (2, 2))
    return np.linalg.inv(X) @ X.T + np.outer(x[:2], x[2:])


def softmax_rows(W, X):
    logits = X @ W
    return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))


def stacked(x):
    parts = []
    for k in range(2):
        parts.append(np.cumsum(x) * (k + 1.0))
    return np.stack(parts, axis=1)


def swapped(x):
    T = np.reshape(x, (2, 3, 1))
    return np.swapaxes(T * T, 0, 2)[0] + np.moveaxis(np.sin(T), 0, -1)[..., 0]


VECTOR_CASES = [
    (vector_field, (RNG.standard_normal(3), A3), "x"),
    (vector_loop, (np.array([0.4, -0.6, 0.9]),), "x"),
    (matrix_valued, (np.array([1.2, 0.3, -0.4, 0.9]),), "x"),
    (softmax_rows, (RNG.standard_normal((3, 2)), X43), "W"),
    (stacked, (RNG.standard_normal(3),), "x"),
    (swapped, (RNG.standard_normal(6),), "x"),
    (gmm_loglik, (np.array([[0.5, -0.2], [1.5, 0.4]]), GMM_X, GMM_W, GMM_PREC), "means"),
]
VECTOR_IDS = [f"{case[0].__name__}-{i}" for i, case in enumerate(VECTOR_CASES)]


def _central_jacobian(func, args, wrt, step=1e-6):
    index = _index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    columns = []
    for direction in np.eye(x.size):
        plus, minus = list(args), list(args)
        d = direction.reshape(x.shape)
        plus[index], minus[index] = x + step * d, x - step * d
        columns.append((np.asarray(func(*plus)) - np.asarray(func(*minus))) / (2 * step))
    columns = np.array(columns)
    return np.moveaxis(columns, 0, -1).reshape(columns.shape[1:] + x.shape)


@pytest.mark.parametrize("func,args,wrt", VECTOR_CASES, ids=VECTOR_IDS)
def test_jacobian_modes_agree_with_each_other_and_differences(func, args, wrt):
    forward = sct.jacobian(func, wrt=wrt, mode="forward")
    reverse = sct.jacobian(func, wrt=wrt, mode="reverse")
    got_forward, got_reverse = forward(*args), reverse(*args)
    x = np.asarray(args[_index(func, wrt)])
    assert got_forward.shape == np.shape(func(*args)) + x.shape
    assert _close(got_forward, got_reverse, 1e-12)
    assert _close(got_forward, _central_jacobian(func, args, wrt), 1e-6)
    assert forward.vectorized and reverse.vectorized, (forward.note, reverse.note)


@pytest.mark.parametrize("func,args,wrt", [c for c in VECTOR_CASES if c[0] is not vector_loop],
                         ids=[i for i, c in zip(VECTOR_IDS, VECTOR_CASES) if c[0] is not vector_loop])
def test_jacobian_matches_autograd(func, args, wrt):
    index = _index(func, wrt)
    expected = autograd.jacobian(_partial(_autograd_version(func), args, index))(np.asarray(args[index]))
    assert _close(sct.jacobian(func, wrt=wrt)(*args), expected, 1e-10)


def test_jacobian_is_one_vectorised_sweep():
    """Forward: one call of the emitted code with the identity as a batch of tangents; reverse: the same
    with a batch of seeds."""
    forward = sct.jacobian(vector_field, mode="forward")
    assert "batch_matmul(" in forward.source and "for _k in" not in forward.source
    reverse = sct.jacobian(vector_field, mode="reverse")
    assert "batch_matmul_adjoint(" in reverse.source and "batch_size(seed)" in reverse.source
    calls = []
    function = forward.stage.function

    def counting(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    forward.stage.function = counting
    try:
        forward(np.ones(3), A3)
    finally:
        forward.stage.function = function
    assert len(calls) == 1


def test_reverse_jacobian_falls_back_to_one_sweep_per_output(monkeypatch):
    """Without a batched adjoint for a rule, the reverse Jacobian is assembled row by row, and says so."""
    from sct.rules import registry

    monkeypatch.setattr(registry.lookup("numpy.sum"), "batch", None)  # declared as batching along its axis

    def summed(x):  # axis=(0,): np.sum itself (axis=0 is computed by sum_along, with the same rules)
        return np.sum(np.outer(x, x) ** 2, axis=(0,))

    J = sct.jacobian(summed, mode="reverse")
    x = np.array([0.5, -1.0, 2.0])
    assert np.allclose(J(x), _central_jacobian(summed, (x,), "x"), atol=1e-6)
    assert not J.vectorized and "one reverse sweep per direction" in J.note


def test_forward_rule_without_batched_form_loops_over_directions(monkeypatch):
    """A tangent rule without a batched form runs once per direction inside the one sweep."""
    from sct.rules import registry

    monkeypatch.setattr(registry.lookup("numpy.sum"), "batch", None)  # declared as batching along its axis

    def summed(x):  # axis=(0,): np.sum itself (axis=0 is computed by sum_along, with the same rules)
        return np.sum(np.outer(x, x) ** 2, axis=(0,)) * x

    J = sct.jacobian(summed, mode="forward")
    x = np.array([0.5, -1.0, 2.0])
    assert np.allclose(J(x), _central_jacobian(summed, (x,), "x"), atol=1e-6)
    assert "for _k in range(_K)" in J.source
    assert J.vectorized and "numpy.sum" in J.note


# ---------------------------------------------------------------------------------- batched helpers
@pytest.mark.parametrize("shape_a,shape_b", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                                             ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)),
                                             ((1, 2, 3), (5, 3, 4))])
def test_batch_matmul_adjoint_matches_a_loop(shape_a, shape_b):
    a, b = RNG.standard_normal(shape_a), RNG.standard_normal(shape_b)
    g = RNG.standard_normal(np.shape(a @ b))
    for position in (0, 1):
        for batched in (0, 1, 2):
            values = [g, a, b]
            batch = RNG.standard_normal((3,) + np.shape(values[batched]))
            expected = []
            for member in batch:
                values[batched] = member
                expected.append(matmul_adjoint(*values, position))
            values[batched] = batch
            assert np.allclose(batch_matmul_adjoint(*values, position, batched), expected)


def test_batch_shape_helpers_match_loops():
    x = RNG.standard_normal((3, 1, 4))
    g = RNG.standard_normal((2, 2, 3, 5, 4))
    assert np.allclose(batch_unbroadcast(g, x), [unbroadcast(m, x) for m in g])
    y = RNG.standard_normal((3, 4, 5))
    for axis, keepdims in [(None, False), (1, False), ((0, 2), False), (-1, True)]:
        reduced = np.sum(y, axis=axis, keepdims=keepdims)
        batch = RNG.standard_normal((2,) + np.shape(reduced))
        expected = [unreduce(m, y, axis, keepdims) for m in batch]
        assert np.allclose(batch_unreduce(batch, y, axis, keepdims), expected)
    for index in [1, (slice(0, 2), 2), (np.array([0, 0, 2]),)]:
        batch = RNG.standard_normal((2,) + np.shape(y[index]))
        assert np.allclose(batch_scatter(batch, y, index), [scatter(m, y, index) for m in batch])


def test_newton_optimize_example_converges_quadratically():
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "examples" / "newton_optimize.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the global minimum (1, ..., 1)" in done.stdout and "hvp agrees with H @ v: True" in done.stdout
    norms = [float(line.split()[2]) for line in done.stdout.splitlines()[2:] if line[:3].strip().isdigit()]
    tail = [g for g in norms if 0 < g < 1e-2]
    assert len(tail) >= 2 and tail[-1] < tail[-2] ** 1.5  # quadratic convergence near the minimum


# ------------------------------------------------------------------------------------ random programs
UNARY = ["np.sin({})", "np.tanh({})", "np.log(1.0 + {} ** 2)", "np.exp(-({}) ** 2)", "-({})"]
BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / (1.5 + np.sin({}) ** 2))"]


@st.composite
def _expressions(draw, depth=2):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(["a", "b", "c", "v[0]", "v[1]", "1.3", "-0.7"]))
    if draw(st.booleans()):
        inner = f"({draw(_expressions(depth - 1))})"
        return draw(st.sampled_from(UNARY)).format(inner, inner)
    left, right = f"({draw(_expressions(depth - 1))})", f"({draw(_expressions(depth - 1))})"
    return draw(st.sampled_from(BINARY)).format(left, right, right)


@st.composite
def _programs(draw):
    lines = ["import numpy as np", "", "", "def f(v):", "    a = v[0] * 0.5", "    b = v[1] + 1.0",
             "    c = a * b"]
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from("abc"))
        kind = draw(st.sampled_from(["assign", "if", "for"]))
        if kind == "assign":
            lines.append(f"    {target} = {draw(_expressions())}")
        elif kind == "if":
            lines += [f"    if {draw(_expressions(1))} > 0.1:", f"        {target} = {draw(_expressions())}",
                      "    else:", f"        {target} = {draw(_expressions())}"]
        else:
            lines += [f"    for i in range({draw(st.integers(0, 3))}):",
                      f"        {target} = 0.5 * {target} + 0.3 * np.tanh({draw(_expressions())})"]
    lines.append(f"    return {draw(_expressions())} + a * b * c")
    return "\n".join(lines) + "\n"


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(source=_programs(), v=st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=2))
def test_random_programs_hessian_modes_agree(tmp_path_factory, source, v):
    """Vector forward over reverse (hessian), forward over reverse and reverse over forward (hvp) agree."""
    path = tmp_path_factory.getbasetemp() / f"higher_program_{abs(hash(source))}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    v = np.array(v)
    H = sct.hessian(module.f)(v)
    assert np.allclose(H, H.T, rtol=1e-9, atol=1e-9), source
    for direction in np.eye(2):
        by_columns = H @ direction
        assert _close(sct.hvp(module.f)(v, direction), by_columns, 1e-9), source
        reverse_over_forward = sct.hvp(module.f, method="reverse-over-forward")
        assert _close(reverse_over_forward(v, direction), by_columns, 1e-9), source


def packed_gmm(theta, x, k, d):
    """The mixtures objective as a function of one stacked parameter vector (a helper from another module)."""
    alphas = theta[:k]
    means = np.reshape(theta[k:k + k * d], (k, d))
    icf = np.reshape(theta[k + k * d:], (k, d * (d + 1) // 2))
    return gmm_objective_no_prior(alphas, means, icf, x)


def test_hessian_of_packed_mixture_objective_calls_helper_from_another_module():
    """How mixtures can get the observed information: the Hessian in all parameters at once."""
    x = RNG.standard_normal((20, 2))
    theta = 0.3 * RNG.standard_normal(2 + 4 + 6)
    H = sct.hessian(packed_gmm, wrt="theta")(theta, x, 2, 2)
    assert H.shape == (12, 12) and np.allclose(H, H.T, atol=1e-10)
    # sct.grad runs emitted code in packed_gmm's globals only (see the report); the first stage of the
    # Hessian runs it with the helper's module globals too.
    gradient = sct.higher.derivatives.first_stage(packed_gmm, "theta", "reverse").function
    differences = _central_hessian(packed_gmm, (theta, x, 2, 2), "theta", grad=lambda *a: gradient(*a)[1])
    assert _close(H, differences, 1e-6)
    _, objective = objectives_for(anp)

    def packed(theta):
        return objective(theta[:2], anp.reshape(theta[2:6], (2, 2)), anp.reshape(theta[6:], (2, 3)), x)

    assert _close(H, autograd.hessian(packed)(theta), 1e-9)


def test_hessian_of_product_with_a_zero_factor_is_exact():
    """np.prod's derivative avoids 0/0, and so does its second derivative (autograd gives nan here)."""
    def products(x):
        return np.prod(x ** 2 + 1.0) * np.prod(x)

    x = np.array([0.5, 0.0, -1.2])
    H = sct.hessian(products)(x)
    assert np.all(np.isfinite(H))
    assert _close(H, _central_hessian(products, (x,), "x"), 1e-6)
    assert H[0, 1] == pytest.approx(2 * 0.5 * 2.44 * (0.5 * -1.2) + 1.25 * 2.44 * -1.2)


def test_second_order_objects_show_both_stages():
    hv = sct.hvp(rosenbrock)
    assert "def diff_rosenbrock(" in hv.first_source and "xbar = zeros_of(x)" in hv.first_source
    assert "xbar_dot" in hv.source and "first_source" in hv.source
    with pytest.raises(AttributeError):
        assert sct.jacobian(vector_field).first_source is None


def test_hessian_falls_back_to_one_hvp_per_direction(monkeypatch):
    def refuse(*args, **kwargs):
        raise sct.SCTError("no batched rule (test)")

    monkeypatch.setattr("sct.higher.derivatives.vector_transform", refuse)

    def fresh(x):
        return np.sum(np.sin(x) * x[::-1]) ** 2

    x = np.array([0.3, -0.8, 1.1])
    H = sct.hessian(fresh)
    assert not H.vectorized and "one Hessian-vector product per direction" in H.note
    assert _close(H(x), _central_hessian(fresh, (x,), "x"), 1e-6)
