"""Rules for matrix decompositions and matrix functions: ``numpy.linalg`` ``eigh``, ``eig``, ``svd``,
``qr``, ``pinv``, ``matrix_power``; ``scipy.linalg`` ``solve_triangular`` and ``expm``.

Every template is written in numpy calls (and helpers of sct.runtime.decompositions) that have rules
themselves, so derivatives of derivatives (hessians) follow; emitted code needs numpy only. ``eigh``
reads one triangle of its argument (the lower one by default), and so do its derivatives. Where a
derivative is not defined, sct computes ``1 / (w_j - w_i)`` (infinite): eigenvectors at repeated
eigenvalues (whose eigenvalues have no derivative either: ``eigh``'s, like ``eigvalsh``'s, raise ValueError
there), singular vectors at repeated or zero singular values; ``pinv`` and ``qr`` are
differentiated at full rank. Refused when run (ValueError): ``eig`` with complex eigenvalues, ``svd`` of
a non-square matrix with ``full_matrices=True``, ``qr`` with fewer rows than columns.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from .. import runtime
from ..runtime import (  # noqa: F401
    as_columns,
    block_pair,
    broadcast_like,
    distinct_eigenvalues,
    from_columns,
    matrix_exp,
    real_eigenvectors,
    reduced_factor,
    symmetric_part,
    symmetric_part_adjoint,
    tall_factor,
    triangular_adjoint,
    triangular_operator,
    triangular_tangent,
    unbroadcast,
    upper_block,
)
from .core import SAFE, adjoint, helper, primitive, tangent
from .linear import linear

EIGH = primitive("numpy.linalg.eigh", batch=SAFE)
linear(runtime.symmetric_part, "t", batched=SAFE)
linear(runtime.symmetric_part_adjoint, "g", batched=SAFE)
linear(runtime.triangular_tangent, "t", batched=SAFE)
linear(runtime.triangular_adjoint, "g", batched=SAFE)
helper("triangular_operator")
primitive("sct.runtime.triangular_operator", batch=SAFE)
linear(runtime.block_pair, "a", "t", batched=SAFE)
linear(runtime.upper_block, "m", batched=SAFE)
MATRIX_POWER = primitive("numpy.linalg.matrix_power", batch=SAFE)
EXPM = primitive("scipy.linalg.expm", "scipy.linalg._matfuncs.expm", "sct.runtime.matrix_exp", batch=SAFE)
linear(runtime.reduced_factor, "u", batched=SAFE)
SVD = primitive("numpy.linalg.svd", batch=SAFE)
PINV = primitive("numpy.linalg.pinv", batch=SAFE)
QR = primitive("numpy.linalg.qr", batch=SAFE)
EIG = primitive("numpy.linalg.eig", batch=SAFE)
linear(runtime.real_eigenvectors, "v", batched=SAFE)
linear(runtime.tall_factor, "q", batched=SAFE)
SOLVE_TRIANGULAR = ("scipy.linalg.solve_triangular", "scipy.linalg._basic.solve_triangular")


@adjoint("sct.runtime.symmetric_part")  # the two helpers are each other's adjoint
def _symmetric_part(z, t, UPLO="L"):
    t_bar = symmetric_part_adjoint(z_bar, UPLO=UPLO)


@adjoint("sct.runtime.symmetric_part_adjoint")
def _symmetric_part_adjoint(z, g, UPLO="L"):
    g_bar = symmetric_part(z_bar, UPLO=UPLO)


@EIGH.tangent(outputs=2)
def _eigh(w, v, a, UPLO="L"):
    p = np.swapaxes(v, -1, -2) @ symmetric_part(a_dot, UPLO=UPLO) @ v
    same = np.eye(np.shape(w)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, w[..., None, :] - w[..., :, None]))
    w_dot = distinct_eigenvalues(np.diagonal(p, axis1=-2, axis2=-1), w)
    v_dot = v @ (gaps * p)


@EIGH.adjoint(outputs=2)
def _eigh(w, v, a, UPLO="L"):
    same = np.eye(np.shape(w)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, w[..., None, :] - w[..., :, None]))
    distinct = distinct_eigenvalues(w_bar, w)
    inner = np.where(same, distinct[..., None, :], gaps * (np.swapaxes(v, -1, -2) @ v_bar))
    a_bar = symmetric_part_adjoint(v @ inner @ np.swapaxes(v, -1, -2), UPLO=UPLO)


@tangent(*SOLVE_TRIANGULAR)  # numpy's solve of the triangle that is read: emitted code needs numpy only
def _solve_triangular(z, a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                      check_finite=True):
    m = triangular_operator(a, trans=trans, lower=lower, unit_diagonal=unit_diagonal)
    m_dot = triangular_tangent(a_dot, trans=trans, lower=lower, unit_diagonal=unit_diagonal)
    z_dot = from_columns(np.linalg.solve(m, as_columns(b_dot, z, m) - m_dot @ as_columns(z, z, m)), z, m)


@adjoint(*SOLVE_TRIANGULAR)
def _solve_triangular(z, a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                      check_finite=True):
    m = triangular_operator(a, trans=trans, lower=lower, unit_diagonal=unit_diagonal)
    g = np.linalg.solve(np.swapaxes(m, -1, -2), as_columns(broadcast_like(z_bar, z), z, m))
    a_bar = triangular_adjoint(-g @ np.swapaxes(as_columns(z, z, m), -1, -2), trans=trans, lower=lower,
                               unit_diagonal=unit_diagonal)
    b_bar = from_columns(g, z, m)


@tangent("sct.runtime.triangular_operator")
def _triangular_operator(z, a, trans=0, lower=False, unit_diagonal=False):
    z_dot = triangular_tangent(a_dot, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


@adjoint("sct.runtime.triangular_operator")
def _triangular_operator(z, a, trans=0, lower=False, unit_diagonal=False):
    a_bar = triangular_adjoint(z_bar, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


@adjoint("sct.runtime.triangular_tangent")  # the two linear maps are each other's adjoint
def _triangular_tangent(z, t, trans=0, lower=False, unit_diagonal=False):
    t_bar = triangular_adjoint(z_bar, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


@adjoint("sct.runtime.triangular_adjoint")
def _triangular_adjoint(z, g, trans=0, lower=False, unit_diagonal=False):
    g_bar = triangular_tangent(z_bar, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


# A matrix function f maps [[a, t], [0, a]] to [[f(a), Df(a)[t]], [0, f(a)]]; the adjoint of Df(a) is
# Df(a^T) for the power and the exponential (power series with real coefficients).
@MATRIX_POWER.tangent
def _matrix_power(z, a, n):
    z_dot = upper_block(np.linalg.matrix_power(block_pair(a, a_dot), n))


@MATRIX_POWER.adjoint
def _matrix_power(z, a, n):
    g = block_pair(np.swapaxes(a, -1, -2), broadcast_like(z_bar, z))
    a_bar = upper_block(np.linalg.matrix_power(g, n))


@EXPM.tangent
def _expm(z, a):
    z_dot = upper_block(matrix_exp(block_pair(a, a_dot)))


@EXPM.adjoint
def _expm(z, a):
    a_bar = upper_block(matrix_exp(block_pair(np.swapaxes(a, -1, -2), broadcast_like(z_bar, z))))


@adjoint("sct.runtime.block_pair")
def _block_pair(z, a, t):
    n = np.shape(z)[-1] // 2
    a_bar = unbroadcast(z_bar[..., :n, :n] + z_bar[..., n:, n:], a)
    t_bar = unbroadcast(upper_block(z_bar), t)


@adjoint("sct.runtime.upper_block")
def _upper_block(z, m):
    m_bar = block_pair(np.zeros_like(z_bar), z_bar)


@adjoint("sct.runtime.reduced_factor")
def _reduced_factor(z, u, a, full_matrices=True):
    u_bar = z_bar


# u s vt = a, reduced (k = min(m, n)); gaps 1 / (s_j^2 - s_i^2) off the diagonal: defined where the
# singular values are distinct and nonzero
@SVD.tangent(outputs=3)
def _svd(u, s, vt, a, full_matrices=True, compute_uv=True, hermitian=False):
    uc = reduced_factor(u, a, full_matrices=full_matrices)
    v = np.swapaxes(vt, -1, -2)
    same = np.eye(np.shape(s)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, s[..., None, :] ** 2 - s[..., :, None] ** 2))
    p = np.swapaxes(uc, -1, -2) @ a_dot @ v
    ps = p * s[..., None, :]
    sp = s[..., :, None] * p
    s_dot = np.diagonal(p, axis1=-2, axis2=-1)
    u_dot = (uc @ (gaps * (ps + np.swapaxes(ps, -1, -2)))
             + (a_dot @ v - uc @ p) / s[..., None, :])
    vt_dot = np.swapaxes(v @ (gaps * (sp + np.swapaxes(sp, -1, -2)))
                         + (np.swapaxes(a_dot, -1, -2) @ uc - v @ np.swapaxes(p, -1, -2)) / s[..., None, :],
                         -1, -2)


@SVD.adjoint(outputs=3)
def _svd(u, s, vt, a, full_matrices=True, compute_uv=True, hermitian=False):
    uc = reduced_factor(u, a, full_matrices=full_matrices)
    v = np.swapaxes(vt, -1, -2)
    ut = np.swapaxes(uc, -1, -2)
    v_bar = np.swapaxes(vt_bar, -1, -2)
    same = np.eye(np.shape(s)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, s[..., None, :] ** 2 - s[..., :, None] ** 2))
    ju = ut @ u_bar
    jv = vt @ v_bar
    inner = (np.where(same, s_bar[..., None, :], 0.0)
             + (gaps * (ju - np.swapaxes(ju, -1, -2))) * s[..., None, :]
             + s[..., :, None] * (gaps * (jv - np.swapaxes(jv, -1, -2))))
    a_bar = (uc @ inner @ vt + (u_bar - uc @ ju) / s[..., None, :] @ vt
             + uc @ ((np.swapaxes(v_bar, -1, -2) - np.swapaxes(jv, -1, -2) @ vt) / s[..., :, None]))



# The pseudo-inverse z of a matrix of full rank (its derivative jumps where the rank changes)
@PINV.tangent
def _pinv(z, a, rcond=None, hermitian=False):
    zt = np.swapaxes(z, -1, -2)
    dt = np.swapaxes(a_dot, -1, -2)
    z_dot = (-(z @ a_dot @ z) + z @ zt @ dt - z @ zt @ dt @ a @ z
             + dt @ zt @ z - z @ a @ dt @ zt @ z)


@PINV.adjoint
def _pinv(z, a, rcond=None, hermitian=False):
    zt = np.swapaxes(z, -1, -2)
    gt = np.swapaxes(broadcast_like(z_bar, z), -1, -2)
    a_bar = (-(zt @ np.swapaxes(gt, -1, -2) @ zt) + gt @ z @ zt - a @ z @ gt @ z @ zt
             + zt @ z @ gt - zt @ z @ gt @ z @ a)


@adjoint("sct.runtime.tall_factor")
def _tall_factor(z, q, a, mode="reduced"):
    q_bar = z_bar


# a = q r with a of full column rank (m >= n): q^T dq is antisymmetric, dr upper triangular
@QR.tangent(outputs=2)
def _qr(q, r, a, mode="reduced"):
    qc = tall_factor(q, a, mode=mode)
    ri = np.linalg.inv(r)
    c = np.swapaxes(qc, -1, -2) @ a_dot @ ri
    omega = np.tril(c, -1) - np.swapaxes(np.tril(c, -1), -1, -2)
    q_dot = qc @ omega + a_dot @ ri - qc @ c
    r_dot = (c - omega) @ r


@QR.adjoint(outputs=2)
def _qr(q, r, a, mode="reduced"):
    qc = tall_factor(q, a, mode=mode)
    m = r @ np.swapaxes(r_bar, -1, -2) - np.swapaxes(q_bar, -1, -2) @ qc
    sym = np.tril(m) + np.swapaxes(np.tril(m, -1), -1, -2)
    a_bar = (q_bar + qc @ sym) @ np.swapaxes(np.linalg.inv(r), -1, -2)


@adjoint("sct.runtime.real_eigenvectors")
def _real_eigenvectors(z, v, w):
    v_bar = z_bar


# a v = v diag(w) with real distinct eigenvalues; numpy scales each eigenvector to unit length
@EIG.tangent(outputs=2)
def _eig(w, v, a):
    vc = real_eigenvectors(v, w)
    p = np.linalg.solve(vc, a_dot @ vc)
    same = np.eye(np.shape(w)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, w[..., None, :] - w[..., :, None]))
    moved = vc @ (gaps * p)
    w_dot = distinct_eigenvalues(np.diagonal(p, axis1=-2, axis2=-1), w)
    v_dot = moved - vc * np.sum(vc * moved, axis=-2, keepdims=True)


@EIG.adjoint(outputs=2)
def _eig(w, v, a):
    vc = real_eigenvectors(v, w)
    same = np.eye(np.shape(w)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, w[..., None, :] - w[..., :, None]))
    kept = v_bar - vc * np.sum(vc * v_bar, axis=-2, keepdims=True)
    distinct = distinct_eigenvalues(w_bar, w)
    inner = np.where(same, distinct[..., None, :], gaps * (np.swapaxes(vc, -1, -2) @ kept))
    a_bar = np.linalg.solve(np.swapaxes(vc, -1, -2), inner @ np.swapaxes(vc, -1, -2))
