"""Batched products, solves and factorizations for vector-mode code: a leading axis of K directions."""
import numpy as np

from .axes import _axes_of
from .batched import batch_unbroadcast


def batch_dot(a, b, batched):
    """``np.dot(a, b)`` where operand ``batched`` (0 or 1) is a batch."""
    a_nd = np.ndim(a) - (batched == 0)
    b_nd = np.ndim(b) - (batched == 1)
    if a_nd == 0 or b_nd == 0:
        t, other = (a, b) if batched == 0 else (b, a)
        t = np.reshape(t, np.shape(t) + (1,) * np.ndim(other))
        return t * other
    r = np.tensordot(a, b, axes=([-1], [-1 if b_nd == 1 else -2]))
    return np.moveaxis(r, a_nd - 1, 0) if batched == 1 else r


def batch_outer(a, b, batched):
    """``np.outer(a, b)`` where operand ``batched`` (0 or 1) is a batch."""
    if batched == 0:
        a = np.reshape(a, (np.shape(a)[0], -1))
        return a[:, :, None] * np.ravel(b)[None, None, :]
    b = np.reshape(b, (np.shape(b)[0], -1))
    return np.ravel(a)[None, :, None] * b[:, None, :]


def batch_matmul(a, b, batched):
    """``a @ b`` where operand ``batched`` (0 or 1) is a batch of values: the batch axis stays first."""
    a_nd = np.ndim(a) - (batched == 0)
    b_nd = np.ndim(b) - (batched == 1)
    a2 = np.expand_dims(a, -2) if a_nd == 1 else np.asarray(a)
    b2 = np.expand_dims(b, -1) if b_nd == 1 else np.asarray(b)
    out_nd = max(a_nd, b_nd, 2)
    if batched == 0:
        a2 = a2.reshape(a2.shape[:1] + (1,) * (out_nd - max(a_nd, 2)) + a2.shape[1:])
    else:
        b2 = b2.reshape(b2.shape[:1] + (1,) * (out_nd - max(b_nd, 2)) + b2.shape[1:])
    r = a2 @ b2
    if b_nd == 1:
        r = r[..., 0]
    if a_nd == 1:
        r = r[..., 0] if b_nd == 1 else r[..., 0, :]
    return r


def batch_matmul_adjoint(g, a, b, position, batched):
    """``matmul_adjoint(g, a, b, position)`` where argument ``batched`` (0: g, 1: a, 2: b) is a batch."""
    values = [np.asarray(g), np.asarray(a), np.asarray(b)]
    k = values[batched].shape[0]
    if batched == 1 + position:
        values[batched] = values[batched][0]
        one = batch_matmul_adjoint(values[0][None], values[1], values[2], position, 0)
        return np.broadcast_to(one, (k,) + one.shape[1:])
    data = [v.shape[1:] if i == batched else v.shape for i, v in enumerate(values)]
    a_nd, b_nd = len(data[1]), len(data[2])
    g2, a2, b2 = values
    if a_nd == 1:
        a2 = np.expand_dims(a2, -2)
        g2 = np.expand_dims(g2, -2 if b_nd != 1 else -1)
    if b_nd == 1:
        b2 = np.expand_dims(b2, -1)
        g2 = np.expand_dims(g2, -1)
    values = [g2, a2, b2]
    promoted = [len(data[0]) + (a_nd == 1) + (b_nd == 1), max(a_nd, 2), max(b_nd, 2)]
    t = values[batched]
    values[batched] = t.reshape((k,) + (1,) * (max(promoted) - promoted[batched]) + t.shape[1:])
    g2, a2, b2 = values
    if position == 0:
        r = g2 @ np.swapaxes(b2, -1, -2)
        like = (1,) + data[1] if a_nd == 1 else data[1]
    else:
        r = np.swapaxes(a2, -1, -2) @ g2
        like = data[2] + (1,) if b_nd == 1 else data[2]
    r = batch_unbroadcast(r, np.broadcast_to(0.0, like))
    return r.reshape((k,) + data[1 + position])


def batch_solve(a, rhs, z):
    """``np.linalg.solve(a, rhs)`` for a batch ``rhs`` of right-hand sides shaped like the solution ``z``."""
    if np.ndim(z) == np.ndim(a) - 1:
        return np.linalg.solve(a, np.asarray(rhs)[..., None])[..., 0]
    return np.linalg.solve(a, rhs)


def cholesky_adjoint_tangent(L, L_bar, L_dot, L_bar_dot):
    """Tangent of ``cholesky_adjoint(L, L_bar)`` along ``(L_dot, L_bar_dot)`` (None: a zero tangent).

    With ``Phi = tril(L^T L_bar) - diag/2`` and ``S = L^-T Phi^T L^-1`` the adjoint is ``(S + S^T) / 2``;
    ``dS = L^-T dPhi^T L^-1 - L^-T dL^T S - S dL L^-1``. Leading batch axes broadcast.
    """
    n = np.shape(L)[-1]
    lt = np.swapaxes(L, -1, -2)
    phi = np.tril(lt @ L_bar) - 0.5 * np.eye(n) * (lt @ L_bar)
    s = np.linalg.solve(lt, np.swapaxes(np.linalg.solve(lt, phi), -1, -2))
    dp = 0.0
    if L_dot is not None:
        dp = dp + np.swapaxes(L_dot, -1, -2) @ L_bar
    if L_bar_dot is not None:
        dp = dp + lt @ L_bar_dot
    dphi = np.tril(dp) - 0.5 * np.eye(n) * dp
    ds = np.linalg.solve(lt, np.swapaxes(np.linalg.solve(lt, dphi), -1, -2))
    if L_dot is not None:
        ds = ds - np.linalg.solve(lt, np.swapaxes(L_dot, -1, -2) @ s)
        ds = ds - np.swapaxes(np.linalg.solve(lt, np.swapaxes(s @ L_dot, -1, -2)), -1, -2)
    return 0.5 * (ds + np.swapaxes(ds, -1, -2))


def batch_prod_partials_tangent(x, t, axis=None):
    """Tangent of ``prod_partials(x, axis)`` along ``t`` (which may carry leading batch axes).

    ``prod_partials`` is ``left * right`` with ``left_k`` (``right_k``) the product of the factors before
    (after) factor k; both and their tangents follow the recurrences, so zero factors stay exact.
    """
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    lead = t.ndim - x.ndim
    axes = list(_axes_of(x.ndim, axis))
    order = [a for a in range(x.ndim) if a not in axes] + axes
    moved = np.transpose(x, order)
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (int(np.prod([x.shape[a] for a in axes])),))
    t_moved = np.transpose(t, list(range(lead)) + [a + lead for a in order])
    t_flat = t_moved.reshape(t_moved.shape[:lead] + flat.shape)
    n = flat.shape[-1]
    left, right = np.ones(flat.shape), np.ones(flat.shape)
    d_left, d_right = np.zeros(t_flat.shape), np.zeros(t_flat.shape)
    for k in range(1, n):
        left[..., k] = left[..., k - 1] * flat[..., k - 1]
        d_left[..., k] = d_left[..., k - 1] * flat[..., k - 1] + left[..., k - 1] * t_flat[..., k - 1]
        j = n - 1 - k
        right[..., j] = right[..., j + 1] * flat[..., j + 1]
        d_right[..., j] = d_right[..., j + 1] * flat[..., j + 1] + right[..., j + 1] * t_flat[..., j + 1]
    d = (d_left * right + left * d_right).reshape(t_moved.shape)
    inverse = np.argsort(order)
    return np.transpose(d, list(range(lead)) + [int(a) + lead for a in inverse])

