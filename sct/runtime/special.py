"""numpy spellings of the special functions that derivatives of ``scipy.special`` functions are made of
(emitted code needs numpy only): the digamma function and its derivatives, the modified Bessel functions
of the first kind."""
import numpy as np


def polygamma(n, x):
    """The ``n``-th derivative of the digamma function at ``x`` (``n = 0``: digamma itself), elementwise.

    Digamma: the recurrence ``psi(x) = psi(x + 1) - 1/x`` moves every point to ``x >= 12``, where the
    asymptotic series is exact to double precision. For ``n >= 1``, ``psi_n(x) = (-1)**(n + 1) n!
    zeta(n + 1, x)``: the Hurwitz zeta function summed term by term up to ``a = x + N >= 12 + 2 n`` and by
    its Euler-Maclaurin series beyond. Every term is scaled by ``c**(n + 1)``, ``c`` the smallest
    ``|x + j|``, so that neither ``n!`` nor the powers overflow or underflow on the way to a finite value."""
    n = int(n)
    x = np.array(x, dtype=float)
    bernoulli = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)  # B_2k, k = 1..8
    start = 12.0 + 2.0 * n
    finite = x[np.isfinite(x)]  # NaN and infinities need no steps, and must not stop the others'
    steps = int(max(0.0, np.ceil(start - np.min(finite, initial=start))))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if n == 0:
            total = np.zeros_like(x)
            for _ in range(steps):
                low = x < start
                total = total - np.where(low, 1.0 / np.where(low, x, 1.0), 0.0)
                x = np.where(low, x + 1.0, x)
            series = np.log(x) - 0.5 / x
            for k, b in enumerate(bernoulli, start=1):
                series = series - b / (2 * k * x ** (2 * k))
            return series + total
        s = n + 1
        c = np.where(x >= 0, x, np.abs(x - np.round(x)))  # the smallest |x + j|, j >= 0
        scale = np.ones_like(c)  # n! / c**n as a running product of i / c: overflows only if it must
        for i in range(1, n + 1):
            scale = scale * (i / c)
        a = x.copy()
        total = np.zeros_like(x)  # zeta(s, x) c**n
        for _ in range(steps):
            low = a < start
            total = total + np.where(low, (c / np.where(low, a, 1.0)) ** s / c, 0.0)
            a = np.where(low, a + 1.0, a)
        # the tail zeta(s, a) = a**(1-s)/(s-1) + a**-s (1/2 + sum_k B_2k/(2k)! (s)_(2k-1) a**(1-2k))
        series = 0.5
        rising = s / 2.0  # s (s + 1) ... (s + 2k - 2) / (2k)!
        for k, b in enumerate(bernoulli, start=1):
            if k > 1:
                rising = rising * (s + 2 * k - 3) * (s + 2 * k - 2) / ((2 * k - 1) * (2 * k))
            series = series + b * rising / a ** (2 * k - 1)
        total = total + (c / a) ** (s - 1) * (1.0 / (s - 1) + series / a)
        sign = -1.0 if n % 2 == 0 else 1.0  # (-1) ** (n + 1)
        value = sign * scale * total
    # zeta(s, x) = x**-s at x = 0 and tends to 0 as x grows
    return np.where(x == 0, sign * np.inf, np.where(x == np.inf, 0.0, value))


def bessel_ie(n, x):
    """``exp(-|x|) I_n(x)``, the exponentially scaled modified Bessel function of the first kind of integer
    order ``n`` (``I_-n = I_n``), elementwise.

    At ``|x| <= 25`` its power series ``sum_k (x/2)**(n + 2k) / (k! (n + k)!)``, whose terms are all of one
    sign (45 of them reach a relative 1e-17); beyond, Hankel's expansion ``(1 - (m - 1)/(8x) + (m - 1)(m - 9)
    / (2! (8x)**2) - ...) / sqrt(2 pi x)``, ``m = 4 n**2``, 30 terms. Together they are good to 1e-14
    up to order 11, to 2e-13 up to order 15 (derivatives of order k read order n + k)."""
    n = abs(int(n))
    x = np.array(x, dtype=float)
    t = np.abs(x)
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        small = np.minimum(t, 25.0)
        quarter = small * small / 4.0
        term = np.ones_like(small)
        for i in range(1, n + 1):  # (t/2)**n / n!
            term = term * (small / (2.0 * i))
        series = term
        for k in range(1, 46):
            term = term * quarter / (k * (n + k))
            series = series + term
        series = series * np.exp(-small)
        large = np.maximum(t, 25.0)
        m = 4.0 * n * n
        term = np.ones_like(large)
        hankel = term
        for k in range(1, 30):
            term = -term * (m - (2 * k - 1) ** 2) / (8.0 * k * large)
            hankel = hankel + term
        hankel = hankel / np.sqrt(2.0 * np.pi * large)
        value = np.where(t <= 25.0, series, np.where(np.isnan(t), np.nan, hankel))
    return value * np.sign(x) ** n if n % 2 else value
