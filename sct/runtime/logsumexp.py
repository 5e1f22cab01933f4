"""``scipy.special.logsumexp`` of a real array (``b`` and ``return_sign`` aside), computed in numpy alone.

scipy's own function checks and promotes its arguments through the array API and makes about twenty
passes over ``a`` (a direct ``log(sum(exp(a)))`` for its infinite results among them); on the small arrays
of a model's rows that is most of its time. ``logsumexp_real`` follows scipy's algorithm step for step —
the maximum ``M`` and the number ``m`` of entries equal to it, ``s = sum(exp(a - M))`` over the other
entries, ``log1p(s / m) + log(m) + M``, and ``log(sum(exp(a)))`` where that is not finite — so its values
are scipy's to the last bit, with half the passes, and the direct sum only where a result is infinite or
NaN (an infinite entry, a NaN, or every entry ``-inf``).
"""
import numpy as np


def logsumexp_real(a, axis=None, keepdims=False):
    """``scipy.special.logsumexp(a, axis=axis, keepdims=keepdims)`` for a real (or integer) ``a``: the same
    values, dtype and shape. Raises TypeError for complex or non-numeric ``a`` (sct differentiates real
    code only)."""
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        a = a.astype(np.float64)  # scipy promotes to floating
    elif a.dtype.kind != "f":
        raise TypeError(f"logsumexp_real takes a real array, not one of dtype {a.dtype}")
    if a.ndim == 0:
        a = a.reshape(1)
    axes = tuple(range(a.ndim)) if axis is None else axis
    if a.size == 0:
        shape = np.asarray(a.shape)
        shape[axes] = 1  # as scipy indexes it (a tuple of several axes raises IndexError there too)
        out = np.full(tuple(shape), -np.inf, dtype=a.dtype)
    else:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            top = np.max(a, axis=axes, keepdims=True)
            ties = a == top
            m = np.sum(ties, axis=axes, keepdims=True, dtype=a.dtype)
            terms = np.exp(a - top)
            np.copyto(terms, 0.0, where=ties)  # scipy's exp(-inf): the maxima are kept out of the sum
            s = np.sum(terms, axis=axes, keepdims=True, dtype=terms.dtype)
            s = np.where(s == 0, s, s / m)
            out = np.log1p(s) + np.log(m) + top
            finite = np.isfinite(out)
            if not finite.all():
                out = np.where(finite, out, np.log(np.sum(np.exp(a), axis=axes, keepdims=True)))
    if not keepdims:
        out = np.squeeze(out, axis=axes)
    return out[()] if out.ndim == 0 else out
