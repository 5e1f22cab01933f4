"""Second round of numpy and scipy rules: what the rule walk (tests/rule_inputs/) cannot express —
lowered functions (np.hsplit, ...), list and tuple outputs, several outputs with different seeds."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference
from scipy.linalg import cho_factor, cho_solve
from scipy.special import logsumexp

import sct

LOWERED_HERE = ("numpy.hsplit", "numpy.vsplit", "numpy.dsplit", "numpy.kron")


# ------------------------------------------------------------------------------------------- splitting
def hsplit(x):
    a, b = np.hsplit(x, 2)
    return a * np.cos(b)


def vsplit(x):
    a, b = np.vsplit(x, [1])
    return np.sum(a, axis=0) * b


def dsplit(x):
    a, b, c = np.dsplit(x, [1, 3])
    return a * c + np.sum(b, axis=2, keepdims=True)


def _total(f):
    def total(x):
        return np.sum(f(x) ** 2) * 0.5
    return total


@pytest.mark.parametrize("f, shape", [(hsplit, (4,)), (hsplit, (2, 4)), (hsplit, (2, 2, 3)), (vsplit, (3, 2)),
                                      (vsplit, (2, 2, 2)), (dsplit, (2, 1, 4)), (dsplit, (1, 2, 4, 2))])
def test_lowered_splits_in_every_mode(f, shape):
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    out, _ = sct.forward(f)(x, np.ones(shape))
    assert np.array_equal(out, f(x))
    check_every_mode(f, _total(f), x)


def test_splits_numpy_refuses_are_refused():
    for f, x in ((vsplit, np.ones(3)), (dsplit, np.ones((2, 4))), (hsplit, np.ones(3))):
        with pytest.raises((ValueError, IndexError)):
            f(x)
        with pytest.raises((ValueError, IndexError)):
            sct.forward(f)(x, np.ones_like(x))


def pieces(x):
    return np.split(x * 2.0, [1, 3])


def pieces_of_a_matrix(x):
    return np.array_split(np.sin(x), 3, axis=1)


@pytest.mark.parametrize("f, shape", [(pieces, (4,)), (pieces, (5, 2)), (pieces_of_a_matrix, (2, 4)),
                                      (pieces_of_a_matrix, (1, 2))])
def test_a_list_of_pieces_returned(f, shape):
    x = np.random.default_rng(1).standard_normal(shape)
    v = np.random.default_rng(2).standard_normal(shape)
    value = f(x)
    out, tangent = sct.forward(f)(x, v)
    assert all(np.array_equal(p, q) for p, q in zip(out, value)) and len(tangent) == len(value)
    numeric = richardson_difference(lambda z: np.concatenate([np.ravel(p) for p in f(z)]), (x,), {0: v})
    assert relative_error(np.concatenate([np.ravel(t) for t in tangent]), numeric) < 1e-7
    seeds = [np.random.default_rng(3 + i).standard_normal(np.shape(p)) for i, p in enumerate(value)]
    bf = sct.reverse(f)
    for used in range(len(value)):  # one piece seeded at a time (the others unused), then all of them
        only = tuple(s if i == used else np.zeros_like(s) for i, s in enumerate(seeds))
        _, x_bar = bf(x, seed=only)
        along = richardson_difference(lambda z, k=used: f(z)[k], (x,), {0: v})
        assert abs(np.sum(x_bar * v) - np.sum(seeds[used] * along)) < 1e-7
    _, x_bar = bf(x, seed=tuple(seeds))
    assert abs(np.sum(x_bar * v) - np.dot(np.concatenate([np.ravel(s) for s in seeds]), numeric)) < 1e-7


# ------------------------------------------------------------------------------------------- products
def kron(x):
    return np.kron(x, np.sin(x))


def kron_by_a_constant(x):
    return np.kron(np.array([[1.0, -2.0], [0.5, 3.0]]), x * x)


@pytest.mark.parametrize("f, shape", [(kron, (3,)), (kron, (2, 2)), (kron, (1, 3)), (kron, (2, 1, 2)),
                                      (kron_by_a_constant, (3,)), (kron_by_a_constant, (2, 1, 2))])
def test_kron_in_every_mode(f, shape):
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    out, _ = sct.forward(f)(x, np.ones(shape))
    assert np.array_equal(out, f(x)) and np.shape(out) == np.shape(f(x))
    check_every_mode(f, _total(f), x)


def kron_of_two(x, y):
    return np.kron(x, y)


@pytest.mark.parametrize("shapes", [((), ()), ((), (2,)), ((2,), (3,)), ((2, 3), (2,)), ((1, 2), (3, 1))])
def test_kron_of_two_inputs_matches_numpy(shapes):
    rng = np.random.default_rng(0)
    x, y = (rng.standard_normal(s) for s in shapes)
    v, w = (rng.standard_normal(s) for s in shapes)
    out, tangent = sct.forward(kron_of_two, wrt=("x", "y"))(x, y, v, w)
    assert np.array_equal(out, np.kron(x, y))
    assert np.allclose(tangent, np.kron(v, y) + np.kron(x, w), rtol=1e-14, atol=0)
    u = rng.standard_normal(np.shape(out))
    _, (x_bar, y_bar) = sct.reverse(kron_of_two, wrt=("x", "y"))(x, y, seed=u)
    assert np.isclose(np.sum(x_bar * v) + np.sum(y_bar * w), np.sum(u * tangent), rtol=1e-12)


def cumprod_total(x):
    return np.sum(np.cumprod(x) * np.arange(1.0, 5.0))


def test_cumprod_is_exact_where_the_input_holds_zeros():
    """sum_i w_i prod_{k<=i} x_k at x = (0, 2, 0, -3), w = (1, 2, 3, 4), differentiated by hand: a rule that
    divides by x would give nan."""
    x = np.array([0.0, 2.0, 0.0, -3.0])
    assert np.array_equal(sct.grad(cumprod_total)(x), [1.0 + 2.0 * 2.0, 0.0, 0.0, 0.0])
    hess = sct.hessian(cumprod_total)(x)
    assert hess[0, 1] == 2.0 and hess[0, 2] == 3.0 * 2.0 + 4.0 * 2.0 * -3.0 and hess[0, 3] == 0.0
    assert np.array_equal(hess, hess.T) and hess[1, 2] == 0.0


def sinc(x):
    return np.sinc(x)


def test_sinc_at_zero_in_every_order():
    assert sct.grad(sinc)(0.0) == 0.0
    assert np.isclose(sct.hessian(sinc)(0.0), -np.pi ** 2 / 3, rtol=1e-15)
    assert np.isclose(sct.hessian(sinc)(1e-9), -np.pi ** 2 / 3, rtol=1e-12)
    _, slope = sct.forward(sinc)(1e-9, 1.0)
    assert np.isclose(slope, -np.pi ** 2 / 3 * 1e-9, rtol=1e-9)


def select_on_the_input(x):
    return np.select([x], [x * 2.0], 1.0)


def test_select_refuses_active_conditions():
    with pytest.raises(sct.SCTError, match="condlist constant") as caught:
        sct.reverse(select_on_the_input)
    assert "pass condlist as a constant" in str(caught.value)


# ------------------------------------------------------------------------------- unpacking one value
def rows_unpacked(x):
    a, b = np.cumsum(x, axis=0)
    return a * np.sin(b)


def test_an_array_value_unpacked_into_names():
    """``a, b = f(x)`` of a call with one array value: its rows, in every mode."""
    x = np.random.default_rng(5).standard_normal((2, 3))
    check_every_mode(rows_unpacked, _total(rows_unpacked), x)


# ------------------------------------------------------------------------------------------- gradient
def gradient_of_every_axis(x):
    gx, gy = np.gradient(x)
    return gx * gy


def gradient_spaced_by_the_input(x):
    return np.gradient(x, x[0] + 2.0)


def test_gradient_along_several_axes_is_refused_when_run():
    x = np.ones((3, 3))
    with pytest.raises(ValueError, match="along one axis at a time"):
        sct.forward(gradient_of_every_axis)(x, x)
    with pytest.raises(ValueError, match="along one axis at a time"):
        sct.reverse(gradient_of_every_axis)(x)


def test_gradient_refuses_an_active_spacing():
    with pytest.raises(sct.SCTError, match="spacing constant"):
        sct.forward(gradient_spaced_by_the_input)


# -------------------------------------------------------------------------- dtype= and order="F"
def sum_in_float64(x):
    return np.sum(x * x, axis=0, dtype=np.float64) + (x ** 3).sum(dtype=float)


def mean_and_prod_with_dtype(x):
    return np.mean(np.sin(x), axis=-1, dtype=np.float64) * x.prod(axis=-1, dtype=np.float64)


def sum_in_integers(x):
    return np.sum(x, dtype=int) + x * 2.0


def sum_in_float32(x):
    return np.sum(x * 2.0, dtype=np.float32) + x.mean(dtype=np.float32)


def reshape_fortran(x):
    return np.reshape(x * x, (3, -1), order="F") + (x * 1.0).reshape(3, 2, order="F")


def reshape_fortran_method(x):
    return np.sin(x).reshape((2, 3), order="F")[:, 1:] * x.reshape(6, order="F")[0]


def ravel_fortran(x):
    return np.ravel(np.sin(x), order="F") + x.flatten("F") * x.ravel(order="F")


ORDERED = [(sum_in_float64, (2, 3)), (mean_and_prod_with_dtype, (2, 3)), (mean_and_prod_with_dtype, (3, 1)),
           (sum_in_integers, (2, 3)), (reshape_fortran, (2, 3)), (reshape_fortran, (6,)),
           (reshape_fortran_method, (3, 2)), (reshape_fortran_method, (1, 6)), (ravel_fortran, (2, 3)),
           (ravel_fortran, (2, 1, 3))]


@pytest.mark.parametrize("f, shape", ORDERED, ids=[f"{f.__name__}-{s}" for f, s in ORDERED])
def test_dtype_and_fortran_order_in_every_mode(f, shape):
    x = np.random.default_rng(len(shape)).standard_normal(shape) * 0.8
    out, _ = sct.forward(f)(x, np.ones(shape))
    assert np.array_equal(out, f(x)) and np.asarray(out).dtype == np.asarray(f(x)).dtype
    check_every_mode(f, _total(f), x)


def test_a_float32_reduction_keeps_numpy_value():
    x = np.linspace(-1.0, 1.0, 7)
    out, tangent = sct.forward(sum_in_float32)(x, np.ones(7))
    assert np.array_equal(out, sum_in_float32(x)) and out.dtype == np.float32
    assert np.allclose(tangent, 2.0 * 7 + 1.0, rtol=1e-6)


def reshape_any_order(x):
    return np.reshape(x, (3, 2), order="A")


def test_a_layout_dependent_order_is_refused():
    with pytest.raises(sct.SCTError, match="order 'C' or 'F'"):
        sct.forward(reshape_any_order)


# ------------------------------------------------------------------------------- variants by keyword
def signed_lse(x):
    v, s = logsumexp(x, b=np.array([1.0, -3.0]), return_sign=True)
    return v * 2.0 + s


def test_logsumexp_with_its_sign():
    """S = e^0 - 3 e^0 = -2: log|S| moves with b e^x / S = (-1/2, 3/2)."""
    x = np.zeros(2)
    assert sct.forward(signed_lse)(x, np.array([1.0, 0.0]))[0] == 2.0 * np.log(2.0) - 1.0
    assert np.allclose(sct.grad(signed_lse)(x), 2.0 * np.array([-0.5, 1.5]), rtol=1e-15)
    assert np.allclose(sct.hessian(signed_lse)(x), 2.0 * (np.diag([-0.5, 1.5]) - np.outer([-0.5, 1.5],
                                                                                         [-0.5, 1.5])))


# ------------------------------------------------------------------ adjoints of a list read twice
def stacked_twice(x):
    parts = (x, x * 2.0)
    return np.sum(np.stack(parts) * np.stack(parts))


def test_the_adjoints_of_a_list_read_twice_add_up_item_by_item():
    x = np.array([0.5, -2.0, 0.0])
    assert np.allclose(sct.grad(stacked_twice)(x), 10.0 * x, rtol=1e-15)
    check_every_mode(stacked_pair, stacked_twice, x)


def stacked_pair(x):
    parts = [x, np.sin(x)]
    return np.concatenate(parts) * np.stack(parts)[1, 0]


def indexed_and_whole(x):
    parts = [x, np.cos(x)]
    return np.stack(parts) * parts[1][0]


def test_a_list_read_by_index_and_whole():
    x = np.array([0.4, -1.1, 0.0])
    check_every_mode(indexed_and_whole, _total(indexed_and_whole), x)


# ------------------------------------------------------------------------------------ cho_factor
def cho_solved(x, b):
    factor = cho_factor(x, lower=True)
    return cho_solve(factor, b) + cho_solve(factor, b * b)


def test_cho_factor_reads_one_triangle():
    """Perturbing the triangle cho_factor does not read changes c there (a's own entries), not x."""
    rng = np.random.default_rng(3)
    m = rng.standard_normal((3, 3))
    a = m @ m.T + 3.0 * np.eye(3)
    b = rng.standard_normal(3)
    for v in (np.triu(rng.standard_normal((3, 3)), 1), np.tril(rng.standard_normal((3, 3)))):
        _, tangent = sct.forward(cho_solved, wrt="x")(a, b, v)
        numeric = richardson_difference(cho_solved, (a, b), {0: v})
        assert relative_error(tangent, numeric) < 1e-7
    u = rng.standard_normal(3)
    _, (a_bar, b_bar) = sct.reverse(cho_solved, wrt=("x", "b"))(a, b, seed=u)
    assert np.array_equal(np.triu(a_bar, 1), np.zeros((3, 3)))  # the upper triangle is never read
    direction = np.tril(rng.standard_normal((3, 3)))
    numeric = richardson_difference(cho_solved, (a, b), {0: direction})
    assert abs(np.sum(a_bar * direction) - np.dot(u, numeric)) < 1e-7


# ----------------------------------------------------------------------------------------- lstsq
def least_squares(x, y):
    solution, residuals, rank, values = np.linalg.lstsq(x, y, rcond=None)
    return solution


def test_lstsq_refuses_a_rank_deficient_matrix_when_run():
    a = np.array([[1.0, 2.0], [2.0, 4.0], [0.5, 1.0]])  # rank 1
    with pytest.raises(ValueError, match="rank 1 < 2"):
        sct.reverse(least_squares, wrt=("x", "y"))(a, np.ones(3))
    with pytest.raises(ValueError, match="rank 1 < 2"):
        sct.forward(least_squares)(a, np.ones(3), np.ones((3, 2)))


# ----------------------------------------------------------------------- jacobians stay vectorised
_A = np.array([[4.0, 1.0, 0.2], [1.0, 3.0, 0.1], [0.2, 0.1, 2.0]])


def with_tensordot(x):
    return np.tensordot(x, _A, axes=([0], [1]))


def with_cumprod(x):
    return np.cumprod(x, axis=0)


def with_select(x):
    return np.select([x > 0.2], [x ** 2], np.sin(x))


def with_gradient(x):
    return np.gradient(x * x, 0.5, axis=0, edge_order=2)


def with_cho_solve(x):
    return cho_solve(cho_factor(_A + np.outer(x[:, 0], x[:, 0])), x[:, 1])


def with_lstsq(x):
    return np.linalg.lstsq(x, _A[:, 0], rcond=None)[0]


def with_signed_logsumexp(x):
    return logsumexp(x, axis=0, b=np.array([[1.0, -2.0], [0.5, 0.3], [1.0, 1.0]]), return_sign=True)[0]


def with_singular_values(x):
    return np.linalg.svd(x, compute_uv=False)


def with_einsum_forms(x):
    return np.einsum("i...j->...", x) + np.einsum(x, [0, 1], _A[:, :2], [0, 1], [1])


def with_split(x):
    a, b, c = np.array_split(x, 3)
    return a * c[0] + b[0] + np.sinc(x[0])


VECTORISED = [with_tensordot, with_cumprod, with_select, with_gradient, with_cho_solve, with_lstsq,
              with_signed_logsumexp, with_singular_values, with_einsum_forms, with_split]


@pytest.mark.parametrize("f", VECTORISED, ids=[f.__name__ for f in VECTORISED])
def test_jacobians_and_hessians_are_vectorised(f):
    x = np.array([[0.3, -0.5], [1.2, 0.1], [-0.4, 0.9]])
    for mode in ("forward", "reverse"):
        jacobian = sct.jacobian(f, mode=mode)
        jac = jacobian(x)
        assert jacobian.vectorized and jacobian.note == "", jacobian.note
        v = np.random.default_rng(0).standard_normal(x.shape)
        along = richardson_difference(f, (x,), {0: v})
        assert relative_error(np.tensordot(jac, v, axes=2), along) < 1e-7
    hessian = sct.hessian(_total(f))
    hessian(x)
    assert hessian.vectorized and hessian.note == "", hessian.note
