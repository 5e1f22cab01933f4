"""Helpers of the derivatives of matrix decompositions (eigh): which triangle of a matrix is read, and
whether eigenvalues are distinct."""
import numpy as np


def symmetric_part(t, UPLO="L"):
    """The symmetric matrices ``np.linalg.eigh(t, UPLO)`` reads: the lower (``"L"``) or upper triangle of
    each matrix in ``t``, mirrored."""
    t = np.asarray(t)
    if UPLO.upper() != "L":
        t = np.swapaxes(t, -1, -2)
    return np.tril(t) + np.swapaxes(np.tril(t, -1), -1, -2)


def symmetric_part_adjoint(g, UPLO="L"):
    """The adjoint of :func:`symmetric_part`: ``g`` folded onto the triangle that is read."""
    g = np.asarray(g)
    lower = np.tril(g) + np.tril(np.swapaxes(g, -1, -2), -1)
    return lower if UPLO.upper() == "L" else np.swapaxes(lower, -1, -2)


def _transposes(trans):
    if trans not in (0, 1, 2, "N", "T", "C"):
        raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', not {trans!r}")
    return trans in (1, 2, "T", "C")


def triangular_operator(a, trans=0, lower=False, unit_diagonal=False):
    """The matrix ``m`` with ``scipy.linalg.solve_triangular(a, b, trans, lower, unit_diagonal)`` equal to
    ``np.linalg.solve(m, b)`` (real ``a``): the triangle of ``a`` that is read, with ones on its diagonal
    for ``unit_diagonal``, transposed for ``trans``."""
    a = np.asarray(a)
    part = np.tril(a, -int(bool(unit_diagonal))) if lower else np.triu(a, int(bool(unit_diagonal)))
    if unit_diagonal:
        part = part + np.eye(a.shape[-1], dtype=part.dtype)
    return np.swapaxes(part, -1, -2) if _transposes(trans) else part


def triangular_tangent(t, trans=0, lower=False, unit_diagonal=False):
    """The tangent of :func:`triangular_operator` along ``t`` (it is affine in ``a``)."""
    t = np.asarray(t)
    part = np.tril(t, -int(bool(unit_diagonal))) if lower else np.triu(t, int(bool(unit_diagonal)))
    return np.swapaxes(part, -1, -2) if _transposes(trans) else part


def triangular_adjoint(g, trans=0, lower=False, unit_diagonal=False):
    """The adjoint of :func:`triangular_tangent`."""
    g = np.asarray(g)
    g = np.swapaxes(g, -1, -2) if _transposes(trans) else g
    return np.tril(g, -int(bool(unit_diagonal))) if lower else np.triu(g, int(bool(unit_diagonal)))


def block_pair(a, t):
    """The block matrices ``[[a, t], [0, a]]``: a matrix function ``f`` maps them to
    ``[[f(a), Df(a)[t]], [0, f(a)]]``, so :func:`upper_block` of that is the derivative of ``f``
    along ``t``."""
    a, t = np.broadcast_arrays(np.asarray(a), np.asarray(t))
    top = np.concatenate([a, t], axis=-1)
    return np.concatenate([top, np.concatenate([np.zeros_like(a), a], axis=-1)], axis=-2)


def upper_block(m):
    """The upper right quarter of each matrix in ``m`` (see :func:`block_pair`)."""
    m = np.asarray(m)
    n = m.shape[-1] // 2
    return m[..., :n, n:]


def matrix_exp(a):
    """The matrix exponential of each matrix in ``a`` (real): Higham's scaling and squaring with the
    degree-13 Pade approximant, as ``scipy.linalg.expm`` computes it for large norms."""
    a = np.asarray(a, dtype=float)
    norm = float(np.max(np.sum(np.abs(a), axis=-2), initial=0.0))
    squarings = max(0, int(np.ceil(np.log2(norm / 5.371920351148152)))) if norm > 0 else 0
    a = a / 2.0 ** squarings
    b = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0, 129060195264000.0,
         10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0,
         1.0)
    eye = np.broadcast_to(np.eye(a.shape[-1]), a.shape)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    result = np.linalg.solve(v - u, v + u)
    for _ in range(squarings):
        result = result @ result
    return result


def reduced_factor(u, a, full_matrices=True):
    """``u`` (the left factor of ``np.linalg.svd(a)``) itself, after checking that the factorization
    is the reduced one: with ``full_matrices`` and ``a`` not square, the columns beyond the rank are
    any orthonormal completion and have no derivative."""
    shape = np.shape(a)
    if full_matrices and shape[-1] != shape[-2]:
        raise ValueError(f"the derivative of np.linalg.svd of a {shape[-2]}x{shape[-1]} matrix needs "
                         "full_matrices=False (the completed columns of u or vt have no derivative)")
    return u


def tall_factor(q, a, mode="reduced"):
    """``q`` (the orthonormal factor of ``np.linalg.qr(a, mode)``) itself, after checking that its
    derivative is defined: ``a`` has at least as many rows as columns, and ``q`` has as many columns."""
    shape = np.shape(a)
    if shape[-2] < shape[-1] or (mode == "complete" and shape[-2] != shape[-1]):
        raise ValueError(f"the derivative of np.linalg.qr of a {shape[-2]}x{shape[-1]} matrix needs at least "
                         "as many rows as columns, and mode='reduced' (completed columns of q have none)")
    return q


def real_eigenvectors(v, w):
    """``v`` (the eigenvectors of ``np.linalg.eig``) itself, after checking that the eigenvalues ``w`` are
    real: sct differentiates ``eig`` of matrices with real eigenvalues only."""
    if np.iscomplexobj(w) or np.iscomplexobj(v):
        raise ValueError("np.linalg.eig returned complex eigenvalues here: sct differentiates eig only "
                         "where every eigenvalue is real (use np.linalg.eigh for symmetric matrices)")
    return v


def _norm_kind(x, ord, axis):
    """``"matrix"`` or ``"vector"``: which norm ``np.linalg.norm(x, ord, axis)`` computes."""
    if axis is None:
        return "matrix" if ord is not None and np.ndim(x) == 2 else "vector"
    return "vector" if np.ndim(axis) == 0 or len(axis) == 1 else "matrix"


def norm_order(x, ord=None, axis=None):
    """``p - 1`` for a p-norm (1 for the 2-norm and Frobenius norm), 0 for the norms whose weights are
    constant where they are differentiable (max/min modulus, matrix 1/inf norms): the factor of the
    derivative of ``norm_weights``. It depends on the orders and shapes only, never on values."""
    kind = _norm_kind(x, ord, axis)
    if ord is None or ord == "fro" or (kind == "vector" and ord == 2):
        return 1.0
    if kind == "matrix" and ord in ("nuc", 2, -2):
        raise ValueError(f"the second derivative of np.linalg.norm(x, {ord!r}) of a matrix (through its "
                         "singular vectors) is not implemented: write it with np.linalg.svd")
    if kind == "matrix" or np.isinf(ord) or ord == 0:
        return 0.0
    return float(ord) - 1.0


def norm_exponent(x, ord=None, axis=None):
    """``p - 2`` for a vector p-norm, else 0: the power of ``|x| / norm`` in the derivative of
    ``norm_weights`` (see :func:`norm_order`)."""
    if _norm_kind(x, ord, axis) == "matrix" or ord is None or isinstance(ord, str) or np.isinf(ord):
        return 0.0
    return float(ord) - 2.0 if ord != 0 else 0.0


def distinct_eigenvalues(t, w):
    """``t`` itself, once the eigenvalues ``w`` (last axis, in any order) are checked distinct: each
    eigenvalue is differentiable only there (at a repeated one the eigenvalues' derivatives depend on
    the direction). Raises ValueError at repeated eigenvalues (closer than about 1e-8 of the largest)."""
    w = np.asarray(w)
    if w.shape[-1:] and w.shape[-1] > 1:
        scale = np.max(np.abs(w), axis=-1, keepdims=True)
        if np.any(np.diff(np.sort(w, axis=-1), axis=-1) <= 1.5e-8 * scale):
            raise ValueError("np.linalg.eigvalsh (or eigh, eig): repeated eigenvalues, where each eigenvalue "
                             "has no derivative (a function of all of them together, np.trace(a) = "
                             "np.sum(w), has one: write it so)")
    return t
