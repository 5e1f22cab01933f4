"""Recursive programs: depth set by shapes and integer bookkeeping, never by the differentiated values.

``det`` is the determinant by expansion of minors along the first row, GradBench's ``det`` evaluation
(there over a flat list of ``ell * ell`` entries; here over a 2-D array): ``minor_det`` calls itself once
per column, with the row and column index lists of the minor.
"""
import numpy as np


def minor_det(a, rows, cols):
    """The determinant of ``a[rows][:, cols]`` by expansion along its first row."""
    if len(rows) == 1:
        return a[rows[0], cols[0]]
    total = 0.0
    sign = 1.0
    below = rows[1:]
    for j in range(len(cols)):
        others = cols[:j] + cols[j + 1:]
        total = total + sign * a[rows[0], cols[j]] * minor_det(a, below, others)
        sign = -sign
    return total


def det(x):
    n = x.shape[0]
    return minor_det(x, list(range(n)), list(range(n)))


def det_scaled(x):
    """An array-valued function of ``x`` through the recursion (for Jacobians)."""
    return det(x) * x[0]


def power(x, k):
    """``x ** k`` by squaring: the recursion follows the integer ``k``."""
    if k == 0:
        return np.ones_like(x)
    half = power(x, k // 2)
    if k % 2 == 0:
        return half * half
    return half * half * x


def damped(x, acc, k):
    """An active accumulator passed down: ``acc`` grows with ``x`` at every level."""
    if k == 0:
        return acc
    return damped(x, acc * np.sin(x) + x, k - 1)


def power_and_damped(x):
    return power(x, 5) + damped(x, 1.0 + 0.0 * x, 3)


def power_and_damped_sum(x):
    return np.sum(power_and_damped(x))


def in_a_loop(x):
    """Recursive calls inside a loop: each activation's tape goes on the caller's tape."""
    total = np.zeros_like(x)
    for k in range(4):
        total = total + power(x, k) * damped(x, x, k)
    return total


def in_a_loop_sum(x):
    return np.sum(in_a_loop(x))


def even_steps(x, k):
    if k == 0:
        return x
    return odd_steps(np.cos(x) * x, k - 1)


def odd_steps(x, k):
    if k == 0:
        return 2.0 * x
    return even_steps(x * x + 0.5, k - 1)


def mutual(x):
    """``even_steps`` and ``odd_steps`` call each other."""
    return even_steps(x, 5) + odd_steps(x, 4)


def mutual_sum(x):
    return np.sum(mutual(x))


def nested_exp(x):
    """The function itself recursive, on the length of ``x``: x0 * exp(x1 * exp(x2 * ...))."""
    if x.shape[0] == 1:
        return x[0]
    return x[0] * np.exp(nested_exp(x[1:]))


def swapped(x, y, k):
    """The recursive call passes its inputs in the other order: with respect to ``x`` alone, the
    derivative in ``x`` calls the one in ``y``, which calls the one in ``x``."""
    if k == 0:
        return x * np.sin(y)
    return swapped(y, x, k - 1) * x


def swapped_in_x(x):
    return swapped(x, np.array([0.3, -0.2, 0.9, 1.4]), 3)


def swapped_in_x_sum(x):
    return np.sum(swapped_in_x(x))


def fill(out, x, k):
    """Writes into its array argument at every level (the index ``k`` is no differentiated value)."""
    if k == 0:
        return out
    out[k - 1] = x[k - 1] ** 2 * out[k]
    return fill(out, x, k - 1)


def filled(x):
    return fill(np.ones(4) * x[3], x, 3)


def filled_sum(x):
    return np.sum(filled(x))


def write_swapped(p, q, k):
    """Writes into ``q`` only through the recursive call, which passes it as ``p``."""
    if k == 0:
        p[0] = 5.0
        return p
    return write_swapped(q, p, k - 1)


def reads_after_swapped_write(x):
    a = x * 1.0
    b = x * 2.0
    c = write_swapped(a, b, 1)
    return np.sum(b * x) + np.sum(c)


# -- refused: the depth follows the differentiated value ------------------------------------------------

def halving(x):
    if x > 1.0:
        return halving(x / 2.0) * 2.0
    return x * x


def early_exit(x):
    if np.sum(x) > 1.0:
        return x
    return early_exit(x * 2.0) + 1.0


def depth_from_value(x):
    k = int(x[0] * 4.0)
    return counted(x, k)


def counted(x, k):
    n = int(x[0] * 0.0) + k
    if n <= 0:
        return x
    return counted(np.sin(x), k - 1)


def ping(x):
    if np.sum(x) > 3.0:
        return x
    return pong(x)


def pong(x):
    return ping(x * 1.5)


def loop_break(x, k):
    total = x
    for j in range(k):
        if np.sum(total) > 10.0:
            break
        total = total + loop_break(x, j)
    return total


def loop_break_of(x):
    return loop_break(x, 3)


def ternary(x, k):
    return x if k == 0 else (ternary(x, k - 1) if x[0] > 0 else x * 2.0)


def ternary_of(x):
    return ternary(x, 2)


def signed(x):
    """Accepted: the test on ``x[0]`` chooses a sign, not whether the recursion goes on."""
    s = 1.0 if x[0] > 0 else -1.0
    if x.shape[0] == 1:
        return s * x[0]
    return s * x[0] + signed(x[1:])
