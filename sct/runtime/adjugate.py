"""The adjugate ``adj(a) = det(a) inv(a)``, the derivative of ``det``, and its derivatives: exact where
``a`` is singular, where ``inv`` fails (rank n-1: adj(a) is not zero; rank n-2 or less: it is).

From the SVD ``a = u s vh``, ``adj(a) = det(u) det(vh) vh^H adj(s) u^H`` (``adj(xyz) = adj(z) adj(y) adj(x)``,
``adj(q) = det(q) q^H`` for a unitary ``q``), and ``adj(s)`` of the diagonal ``s`` holds the products of all
singular values but one: no division. Its derivative along ``e`` is ``det(u) det(vh) vh^H D(u^H e vh^H)
u^H``, ``D`` the derivative of ``adj`` at the diagonal ``s``: ``D(m)_ij = -m_ij q_ij`` off the diagonal
and ``D(m)_ii = sum_{k != i} q_ik m_kk``, ``q_ik`` the product of all singular values but ``i`` and ``k``.
Leading axes are stacks of matrices; the direction ``e`` may carry more of them (a batch of directions).
"""
import numpy as np


def _products_without(s, skipped):
    """Products of the values ``s`` (last axis) leaving out ``skipped`` of them: one (all but one) gives
    shape ``s.shape``, two (all but two) ``s.shape + (n,)``; no division, so exact where some are zero."""
    n = np.shape(s)[-1]
    eye = np.eye(n, dtype=bool)
    if skipped == 1:
        return np.prod(np.where(eye, 1.0, s[..., None, :]), axis=-1)
    left_out = eye[:, None, :] | eye[None, :, :]  # [i, k, l]: l is i or k
    return np.prod(np.where(left_out, 1.0, s[..., None, None, :]), axis=-1)


def _adjugate_svd(a):
    u, s, vh = np.linalg.svd(a)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return u, s, vh, sign


def _conj_transpose(m):
    return np.conj(np.swapaxes(m, -1, -2))


def adjugate(a):
    """``adj(a) = det(a) inv(a)`` of a (stack of) square matrix, from its SVD (see the module docstring)."""
    a = np.asarray(a)
    if np.shape(a)[-1] == 0:
        return np.zeros_like(a, dtype=np.result_type(a, float))
    u, s, vh, sign = _adjugate_svd(a)
    v, u_h = _conj_transpose(vh), _conj_transpose(u)
    return sign[..., None, None] * (v * _products_without(s, 1)[..., None, :]) @ u_h


def _adjugate_at_diagonal(s, m):
    """``D(m)``: the derivative of ``adj`` at ``diag(s)`` along ``m`` (which may carry a leading batch)."""
    n = np.shape(s)[-1]
    q = np.where(np.eye(n, dtype=bool), 0.0, _products_without(s, 2))
    off = np.where(np.eye(n, dtype=bool), 0.0, -m * q)
    diagonal = (q @ np.diagonal(m, axis1=-2, axis2=-1)[..., None])[..., 0]
    return off + diagonal[..., None] * np.eye(n)


def adjugate_tangent(a, e):
    """The derivative of ``adjugate(a)`` along ``e`` (``e`` may carry a leading batch of directions)."""
    a = np.asarray(a)
    if np.shape(a)[-1] == 0:
        return np.zeros(np.broadcast_shapes(np.shape(a), np.shape(e)))
    u, s, vh, sign = _adjugate_svd(a)
    v, u_h = _conj_transpose(vh), _conj_transpose(u)
    return sign[..., None, None] * (v @ _adjugate_at_diagonal(s, u_h @ e @ v) @ u_h)


def adjugate_adjoint(a, g):
    """The transpose of ``adjugate_tangent(a, .)`` applied to ``g``: the adjoint of ``a`` in ``adj(a)``
    from ``adj(a)``'s adjoint ``g`` (``D`` is its own transpose)."""
    a = np.asarray(a)
    if np.shape(a)[-1] == 0:
        return np.zeros(np.broadcast_shapes(np.shape(a), np.shape(g)))
    u, s, vh, sign = _adjugate_svd(a)
    conj_u, conj_vh = np.conj(u), np.conj(vh)
    inner = conj_vh @ g @ conj_u
    return sign[..., None, None] * (conj_u @ _adjugate_at_diagonal(s, inner) @ conj_vh)
