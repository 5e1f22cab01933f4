"""Products and ``numpy.linalg``: dot, matmul (vector, matrix, batched), outer, einsum, solve, inv, det,
slogdet, cholesky, triu/tril; against central differences, the complex step and the other mode."""
from __future__ import annotations

import numpy as np
import pytest
from oracle import check_rule

import sct

RNG = np.random.default_rng(11)
V3 = RNG.standard_normal(3)
W3 = RNG.standard_normal(3)
V4 = RNG.standard_normal(4)
A33 = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
B33 = RNG.standard_normal((3, 3))
A34 = RNG.standard_normal((3, 4))
A43 = RNG.standard_normal((4, 3))
A42 = RNG.standard_normal((4, 2))
T234 = RNG.standard_normal((2, 3, 4))
T243 = RNG.standard_normal((2, 4, 3))
T542 = RNG.standard_normal((5, 4, 2))
S233 = RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3)
C3 = RNG.standard_normal((3, 3))


# ------------------------------------------------------------------------------------------------ products
def dot(a, b):
    return np.dot(a, b)


def dot_method(a, b):
    return a.dot(b)


def matmul_op(a, b):
    return a @ b


def matmul_fn(a, b):
    return np.matmul(a, b)


def outer(a, b):
    return np.outer(a, b)


def quadratic_form(a, x):
    return x @ a @ x


def gram(a):
    return a.T @ a


PRODUCTS = [  # (function, args): bilinear, so the complex step applies
    (dot, (V3, W3)), (dot, (A34, V4)), (dot, (V3, A34)), (dot, (A34, A43)), (dot, (2.5, V3)),
    (dot, (A34, 0.5)),
    (dot_method, (A34, A43)), (dot_method, (V3, W3)),
    (matmul_op, (V3, W3)), (matmul_op, (A34, V4)), (matmul_op, (V3, A34)), (matmul_op, (A34, A42)),
    (matmul_op, (T234, A42)), (matmul_op, (A34, T542)), (matmul_op, (T234, T243)), (matmul_op, (T234, V4)),
    (matmul_op, (V3, T234)), (matmul_op, (T234[:1], T243)), (matmul_fn, (A34, A43)), (matmul_fn, (T234, V4)),
    (outer, (V3, V4)), (outer, (A34, W3)), (quadratic_form, (A33, V3)), (gram, (A34,)),
]


# ------------------------------------------------------------------------------------------------ einsum
def einsum_matvec(a, x):
    return np.einsum("ij,j->i", a, x)


def einsum_matmul(a, b):
    return np.einsum("ij,jk->ik", a, b)


def einsum_trace_product(a, b):
    return np.einsum("ij,ji->", a, b)


def einsum_transpose(a):
    return np.einsum("ijk->kji", a)


def einsum_sum_out(a):
    return np.einsum("ijk->j", a)


def einsum_three(a, b, c):
    return np.einsum("ij,jk,kl->il", a, b, c)


def einsum_three_summed(x, a, y):
    return np.einsum("i,ij,j->", x, a, y)


def einsum_batched(a, b):
    return np.einsum("bij,bjk->bik", a, b)


def einsum_unshared_index(a, b):
    return np.einsum("ij,kl->i", a, b)


def einsum_spaces(a, x):
    return np.einsum("ij, j -> i", a, x)


def einsum_outer(x, y):
    return np.einsum("i,j->ij", x, y)


EINSUMS = [
    (einsum_matvec, (A34, V4)), (einsum_matmul, (A34, A42)), (einsum_trace_product, (A34, A43)),
    (einsum_transpose, (T234,)), (einsum_sum_out, (T234,)), (einsum_three, (A34, A43, B33)),
    (einsum_three_summed, (V3, A34, V4)), (einsum_batched, (T234, T243)), (einsum_unshared_index, (A34, A42)),
    (einsum_spaces, (A34, V4)), (einsum_outer, (V3, V4)),
]


# ------------------------------------------------------------------------------------------------ linalg
def solve_vector(a, b):
    return np.linalg.solve(a, b)


def solve_matrix(a, b):
    return np.linalg.solve(a, b)


def inv(a):
    return np.linalg.inv(a)


def det(a):
    return np.linalg.det(a)


def logdet(a):
    sign, logabsdet = np.linalg.slogdet(a)
    return sign * logabsdet


def logdet_only(a):
    sign, logabsdet = np.linalg.slogdet(a)
    return logabsdet


def slogdet_sign_only(a):
    sign, logabsdet = np.linalg.slogdet(a)
    return sign * np.sum(a)


def diagonal(a):
    return np.diagonal(a)


def diagonal_offset(a):
    return np.diagonal(a, 1)


def diagonal_axes(a):
    return np.diagonal(a, offset=-1, axis1=1, axis2=2)


def diagonal_method(a):
    return a.diagonal()


def trace(a):
    return np.trace(a) * a.trace()


def norm(x):
    return np.linalg.norm(x)


def norm_axis(x):
    return np.linalg.norm(x, axis=-1)


def norm_keepdims(x):
    return np.linalg.norm(x, axis=(0, 1), keepdims=True)


def norm_ord(x):
    return np.linalg.norm(x, 2) + np.linalg.norm(x[None, :], "fro")


def triu(a):
    return np.triu(a)


def tril_offset(a):
    return np.tril(a, -1)


def triu_keyword(a):
    return np.triu(a, k=1)


def cholesky(b, c):
    a = b @ b.T + c * np.eye(3)
    return np.linalg.cholesky(a)


def cholesky_logdet(b):
    a = b @ b.T + 2.0 * np.eye(3)
    L = np.linalg.cholesky(a)
    return 2.0 * np.sum(np.log(np.diagonal(L)))


def cholesky_solve(b, y):
    L = np.linalg.cholesky(b @ b.T + np.eye(3))
    z = np.linalg.solve(L, y)
    return np.sum(z ** 2)


def cholesky_batched(b):
    a = b @ np.swapaxes(b, -1, -2) + np.eye(3)
    return np.linalg.cholesky(a)


LINALG = [  # complex step: numpy's LAPACK wrappers take complex matrices
    (solve_vector, (A33, V3)), (solve_matrix, (A33, A34)), (solve_matrix, (S233, T234)), (inv, (A33,)),
    (inv, (S233,)), (det, (A33,)), (det, (S233,)), (triu, (A34,)), (tril_offset, (A33,)),
    (triu_keyword, (T234,)), (diagonal, (A34,)), (diagonal, (A43,)), (diagonal_offset, (A34,)),
    (diagonal_axes, (T234,)),
    (diagonal_method, (A33,)), (trace, (A33,)),
]

NORMS = [(norm, (V3,)), (norm, (A34,)), (norm_axis, (T234,)), (norm_keepdims, (T234,)), (norm_ord, (V4,))]

# slogdet and cholesky are not complex-analytic in numpy (|det|, conjugate transposes), nor is the norm
LINALG_REAL = NORMS + [
    (logdet, (A33,)), (logdet, (-A33,)), (logdet_only, (S233,)), (slogdet_sign_only, (A33,)),
    (cholesky, (B33, 1.5)), (cholesky_logdet, (B33,)), (cholesky_solve, (B33, V3)),
    (cholesky_batched, (S233,)),
]


def _id(case) -> str:
    f, args = case
    return "-".join([f.__name__] + ["x".join(map(str, np.shape(a))) or "scalar" for a in args])


@pytest.mark.parametrize("case", PRODUCTS + EINSUMS + LINALG, ids=_id)
def test_analytic(case):
    f, args = case
    check_rule(f, args, complex_ok=True)


@pytest.mark.parametrize("case", LINALG_REAL, ids=_id)
def test_real(case):
    f, args = case
    check_rule(f, args)


def test_cholesky_adjoint_is_symmetric():
    """The Cholesky rule assumes symmetric perturbations; its adjoint of ``a`` is a symmetric matrix."""
    a = B33 @ B33.T + np.eye(3)
    _, a_bar = sct.reverse(cholesky_of)(a, seed=C3)
    np.testing.assert_allclose(a_bar, a_bar.T, rtol=1e-12)
    sym = C3 + C3.T
    _, tangent = sct.forward(cholesky_of)(a, sym)
    assert abs(np.sum(a_bar * sym) - np.sum(C3 * tangent)) < 1e-10


def spectral_norm(a):
    return np.linalg.norm(a, 2)


def test_spectral_norm_is_differentiated():
    check_rule(spectral_norm, (A33,))


def cholesky_of(a):
    return np.linalg.cholesky(a)
