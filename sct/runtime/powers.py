"""Powers of a column by a vector of integer exponents (``t[:, None] ** np.arange(m)``), by products.

numpy computes ``x ** k`` with one libm ``pow`` per element; a table of ``x ** 0 .. x ** p`` is far
cheaper: one ``np.power`` every 16 exponents, the powers between by at most 15 multiplications. Each
multiplication rounds once, so an entry (and a derivative's entry, the table's times an integer) differs
from what ``np.power`` gives by at most 16 rounding errors: within 9 units in the last place, 7.8 measured
over bases of every size and sign and exponents 0..200 (``tests/test_powers.py``). Exponents 0 and 1, bases
0, +-1, inf and NaN are exact; subnormal results are within 9 units of the smallest subnormal.
"""
import numpy as np


def power_term(x, y, order):
    """The ``order``-th derivative of ``x ** y`` with respect to ``x``: ``y (y-1) ... (y-order+1)`` times
    ``x ** (y - order)``, exactly zero wherever that coefficient is (``y < order``, whatever ``x``); order 0
    is ``x ** y`` itself.

    sct emits it only for an exponent made by ``np.arange`` (which carries no derivative). A float64 ``x``
    whose last axis has length 1 and a vector ``y`` of non-negative integers whose largest entry is below
    twice its length take the products of the module docstring; anything else is computed as the operator
    and the derivative rule of ``**`` compute it.
    """
    if (type(x) is np.ndarray and x.dtype == np.float64 and x.ndim and x.shape[-1] == 1
            and type(y) is np.ndarray and y.ndim == 1 and y.dtype.kind == "i" and y.size >= 8):
        low, high = int(y.min()), int(y.max())
        if low >= 0 and high < 2 * y.size:
            anchor = 16  # a constant of the function: emitted modules copy the helper alone
            rows = x.reshape(-1)
            width = max(high - order, 0) + 1  # x ** 0 .. x ** (high - order)
            small = np.empty((anchor, rows.size))  # x ** 0 .. x ** 15, a row each
            small[0] = 1.0
            small[1] = rows
            for k in range(2, anchor):  # np.multiply.accumulate along axis 0 runs element by element
                np.multiply(small[k - 1], rows, out=small[k])
            # the anchor exponents are even: |x| has the same powers, and np.power of a non-negative base
            # takes numpy's vectorised loop (a negative one, libm's pow element by element)
            anchors = np.power(np.abs(rows)[:, None], np.arange(0, width, anchor))  # x ** 0, x ** 16, ...
            small = np.ascontiguousarray(small.T)  # read by rows below: strided reads cost more than a copy
            # columns named, not -1: numpy cannot infer them when there are no rows
            table = (anchors[:, :, None] * small[:, None, :]).reshape(rows.size, anchors.shape[1] * anchor)
            shape = x.shape[:-1] + y.shape
            coefficient = 1  # integers: a zero coefficient is +0, as the rule's
            for i in range(order):
                coefficient = coefficient * (y - i)
            if not (np.diff(y) == 1).all():
                return (np.take(table, np.maximum(y - order, 0), axis=1) * coefficient).reshape(shape)
            start = low - order  # y is low, low + 1, ...: the entries are columns start, start + 1, ...
            if order == 0:
                return np.ascontiguousarray(table[:, start:start + y.size]).reshape(shape)
            out = np.empty((rows.size, y.size))
            zeros = min(max(-start, 0), y.size)  # y < order: the coefficient (zero) times x ** 0
            out[:, :zeros] = coefficient[:zeros]
            np.multiply(table[:, start + zeros:start + y.size], coefficient[zeros:], out=out[:, zeros:])
            return out.reshape(shape)
    if order == 0:
        return x ** y
    coefficient = y
    for i in range(1, order):
        coefficient = coefficient * (y - i)
    return coefficient * np.power(np.where(coefficient == 0, 1.0, x), y - order)
