"""numpy spellings of the special functions that derivatives of ``scipy.special`` functions are made of
(emitted code needs numpy only): the digamma function and its derivatives."""
import numpy as np


def polygamma(n, x):
    """The ``n``-th derivative of the digamma function at ``x`` (``n = 0``: digamma itself), elementwise.

    The recurrence ``psi_n(x) = psi_n(x + 1) + (-1)**(n + 1) n! / x**(n + 1)`` moves every point to
    ``x >= 12`` (negative non-integer points too), where the asymptotic series is exact
    to double precision."""
    n = int(n)
    x = np.array(x, dtype=float)
    shift = int(max(0.0, np.ceil(12.0 - np.min(x, initial=12.0))))
    sign = -1.0 if n % 2 == 0 else 1.0  # (-1) ** (n + 1)
    factorial = float(np.prod(np.arange(1, n + 1)))
    total = np.zeros_like(x)
    for _ in range(shift):
        low = x < 12.0
        step = np.where(low, x, 1.0)
        total = total + np.where(low, sign * factorial / step ** (n + 1), 0.0)
        x = np.where(low, x + 1.0, x)
    # Bernoulli numbers B_2k, k = 1..8, and the terms (2k + n - 1)! / (2k)! of the series
    bernoulli = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)
    if n == 0:
        series = np.log(x) - 0.5 / x
        for k, b in enumerate(bernoulli, start=1):
            series = series - b / (2 * k * x ** (2 * k))
        return series + total
    series = float(np.prod(np.arange(1, n))) / x ** n + 0.5 * factorial / x ** (n + 1)
    for k, b in enumerate(bernoulli, start=1):
        ratio = float(np.prod(np.arange(2 * k + 1, 2 * k + n)))  # (2k + n - 1)! / (2k)!
        series = series + b * ratio / x ** (2 * k + n)
    return sign * series + total
