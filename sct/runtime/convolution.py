"""``np.convolve`` and ``np.correlate`` as windows of one full convolution along the last axis, with
leading axes broadcast, so that batches of derivatives go through it as they are."""
import numpy as np


def convolve_window(a, v, mode="full", correlate=False):
    """``(offset, length)`` of ``np.convolve(a, v, mode)`` within the full convolution of ``a`` and ``v``
    (with ``correlate``: of ``np.correlate(a, v, mode)`` within that of ``a`` and ``v`` reversed, whose
    "same" window numpy places one entry later where ``a`` is the shorter and of even length)."""
    n, m = (np.shape(b)[-1] if np.ndim(b) else 1 for b in (a, v))
    if n == 0 or m == 0:
        raise ValueError("v cannot be empty" if m == 0 else "a cannot be empty")
    mode = {0: "valid", 1: "same", 2: "full"}.get(mode, mode) if not isinstance(mode, str) else mode
    low, high = min(n, m), max(n, m)
    if mode == "full":
        return 0, n + m - 1
    if mode == "valid":
        return low - 1, high - low + 1
    if mode == "same":
        return (low - 1 - (low - 1) // 2 if correlate and n < m else (low - 1) // 2), high
    raise ValueError("Use one of 'valid', 'same', or 'full' for convolve/correlate mode")


def convolve_along(a, v, offset, length):
    """Entries ``offset`` to ``offset + length - 1`` of the full convolution of ``a`` and ``v`` along
    their last axes (zero beyond its ends), their leading axes broadcast together."""
    a, v = np.asarray(a), np.asarray(v)
    n, m = a.shape[-1], v.shape[-1]
    if a.ndim == 1 and v.ndim == 1:
        full = np.convolve(a, v)
    else:
        lead = np.broadcast_shapes(a.shape[:-1], v.shape[:-1])
        full = np.zeros(lead + (n + m - 1,), dtype=np.result_type(a, v, 0.0))
        if m <= n:  # one shifted product per entry of the shorter
            for j in range(m):
                full[..., j:j + n] += a * v[..., j:j + 1]
        else:
            for i in range(n):
                full[..., i:i + m] += a[..., i:i + 1] * v
    offset, length = int(offset), int(length)
    if offset == 0 and length == n + m - 1:
        return full
    low, high = max(offset, 0), min(offset + length, n + m - 1)
    out = np.zeros(full.shape[:-1] + (length,), dtype=full.dtype)
    if high > low:
        out[..., low - offset:high - offset] = full[..., low:high]
    return out
