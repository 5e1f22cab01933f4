"""Adjoints of products and factorizations: einsum, dot, matmul, Cholesky."""
import numpy as np

from .broadcasting import unbroadcast
from .contraction import contract


def einsum_adjoint(subscripts, g, operands, position):
    """Adjoint of ``np.einsum(subscripts, *operands)`` with respect to operand ``position``.

    Indices of that operand that appear in no other operand nor the output were summed away, so the
    adjoint is constant along them and is broadcast back.
    """
    inputs, output = subscripts.replace(" ", "").split("->")
    terms = inputs.split(",")
    target = terms[position]
    others = [t for i, t in enumerate(terms) if i != position]
    other_ops = [op for i, op in enumerate(operands) if i != position]
    present = set(output).union(*others)
    kept = "".join(c for c in target if c in present)
    spec = ",".join([output] + others) + "->" + kept
    result = np.einsum(spec, g, *other_ops, optimize=bool(other_ops))
    if kept == target:
        return result
    missing_axes = tuple(i for i, c in enumerate(target) if c not in present)
    return np.broadcast_to(np.expand_dims(result, missing_axes), np.shape(operands[position]))


def dot_adjoint(g, a, b, position, batch=0):
    """Adjoint of ``np.dot(a, b)`` (neither a scalar) with respect to ``a`` (position 0) or ``b`` (1).

    ``np.dot`` contracts the last axis of ``a`` with the last axis of a vector ``b``, else with its
    second-to-last, the other axes of both following in order (not matmul's batch broadcasting).
    ``batch=1``: ``g`` (and the result) carry a leading axis of several adjoints.
    """
    na, nb = np.ndim(a), np.ndim(b)
    letters = "abcdefghijlmnopqrstuvwxy"
    a_axes = letters[:na - 1] + "k"
    b_axes = "k" if nb == 1 else letters[na - 1:na + nb - 3] + "k" + letters[na + nb - 3]
    out = a_axes[:-1] + b_axes.replace("k", "")
    lead = "z" if batch else ""
    g = np.asarray(g)
    shape = np.shape(a)[:-1] + (np.shape(b)[:-2] + np.shape(b)[-1:] if nb > 1 else ())
    g = np.broadcast_to(g, g.shape[:g.ndim - len(shape)] + shape) if g.ndim - batch < len(shape) else g
    if position == 0:
        return contract(f"{lead}{out},{b_axes}->{lead}{a_axes}", g, b)
    return contract(f"{a_axes},{lead}{out}->{lead}{b_axes}", a, g)


def as_columns(v, z, a):
    """``v`` (shaped like the solution ``z`` of ``np.linalg.solve(a, b)``, or a broadcast part of it) as
    matrices of columns: numpy solves for a stack of vectors when ``b`` is 1-D, so ``z`` then has one
    axis less than ``a`` and gets a trailing axis of length 1."""
    return np.asarray(v)[..., None] if np.ndim(z) == np.ndim(a) - 1 else v


def from_columns(v, z, a):
    """The inverse of ``as_columns``: drop the trailing axis again for a solution made of vectors."""
    return np.asarray(v)[..., 0] if np.ndim(z) == np.ndim(a) - 1 else v


def matmul_adjoint(g, a, b, position):
    """Adjoint of ``a @ b`` with respect to ``a`` (position 0) or ``b`` (position 1).

    Vectors are promoted to matrices as ``np.matmul`` does; batch axes broadcast back by summing.
    """
    a2 = np.asarray(a)[None, :] if np.ndim(a) == 1 else np.asarray(a)
    b2 = np.asarray(b)[:, None] if np.ndim(b) == 1 else np.asarray(b)
    g2 = np.asarray(g)
    if np.ndim(a) == 1:
        g2 = np.expand_dims(g2, -2 if np.ndim(b) != 1 else 0)
    if np.ndim(b) == 1:
        g2 = np.expand_dims(g2, -1)
    if position == 0:
        return unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2).reshape(np.shape(a))
    return unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2).reshape(np.shape(b))


def cholesky_tangent(L, a_dot):
    """Tangent of ``L = cholesky(a)``: ``L @ Phi(L^-1 a_dot L^-T)``, Phi = lower part, half diagonal."""
    inner = np.linalg.solve(L, np.swapaxes(np.linalg.solve(L, a_dot), -1, -2))
    phi = np.tril(inner) - 0.5 * np.eye(np.shape(L)[-1]) * inner
    return L @ phi


def cholesky_adjoint(L, L_bar):
    """Adjoint of ``L = cholesky(a)`` with respect to the symmetric matrix ``a``."""
    P = np.swapaxes(L, -1, -2) @ L_bar
    P = np.tril(P) - 0.5 * np.eye(np.shape(L)[-1]) * P
    Lt = np.swapaxes(L, -1, -2)
    S = np.linalg.solve(Lt, np.swapaxes(np.linalg.solve(Lt, P), -1, -2))
    return 0.5 * (S + np.swapaxes(S, -1, -2))

