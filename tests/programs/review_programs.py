"""Programs a numeric programmer would write, found to break sct during review (tests/test_review.py)."""
import math

import numpy as np


def inner_break_outer_continue(x):
    total = 0.0
    for i in range(4):
        if i == 1:
            continue
        for j in range(5):
            if x[j] * (i + 1) > 2.0:
                break
            total = total + x[j] * x[i]
    return total


def while_in_for(x):
    y = x
    for i in range(3):
        while y < 5.0 + i:
            y = y * 1.3 + 0.1
        y = y - 4.0
    return y


def return_in_nested(x):
    s = x
    for i in range(5):
        for j in range(5):
            s = s * 1.05 + 0.01 * j
            if s > 2.0:
                return s * s
    return s


def one_branch(x):
    if x > 0:
        y = x * 3.0
    else:
        y = 0.5
    z = x
    if x > 1.0:
        z = np.sin(x) * y
    return z + y


def reassign_param(x):
    for i in range(3):
        x = np.cos(x) + x * i
    return x


def slice_columns(A):
    B = A.copy()
    for k in range(1, B.shape[1]):
        B[:, k] = B[:, k - 1] * 0.5 + B[:, k] ** 2
    return np.sum(B * B[:, 0:1])


def read_overwritten(x):
    z = np.zeros(3)
    for k in range(3):
        z[k] = x[k] * 2.0
        z[k] = z[k] * z[k] + x[(k + 1) % 3]
    return np.sum(z) * z[0]


def _two(a, b, scale=1.0):
    return a * b * scale, a - b


def helper_twice(x, y):
    s = 0.0
    for k in range(3):
        p, q = _two(x, y, scale=k + 1.0)
        r, t = _two(y, x * p)
        s = s + p * q + r - t
    return s


def _h_inner(a):
    return np.exp(-a * a)


def _h_outer(a, b):
    return _h_inner(a) * b + _h_inner(b)


def helper_helper_loop(x):
    s = x
    for k in range(3):
        s = _h_outer(s, x)
    return s


def stack_rows(x):
    rows = []
    for k in range(4):
        rows.append(np.sin(x * k) + x ** 2)
    M = np.stack(rows)
    return np.sum(M @ x)


def where_data(x):
    y = np.where(x > 0.2, x ** 2, -x)
    return np.sum(y * x)


def max_abs(x):
    return np.max(x) * abs(x[0]) + np.max(np.abs(x))


def for_rows_enum(X, w):
    s = 0.0
    for i, row in enumerate(X):
        for v in row:
            s = s + v * w[i] * i
    return s


def int_counter(x):
    s = 0.0
    n = 0
    for k in range(4):
        n = n + 2
        s = s + x * n / (k + 1.0)
    return s * n


def math_scalar(x):
    return math.exp(math.sin(x)) + math.sqrt(x * x + 1.0) + math.log(x + 2.0) * math.tanh(x)


def tuple_out(x):
    return np.sin(x) * 2.0, x ** 2


def return_in_nested_with_break(x):
    s = x
    for i in range(6):
        for j in range(4):
            s = s * 1.05 + 0.01 * j
            if s > 2.0:
                return s * s
        if s < 0.0:
            break
        s = s + 0.1 * i
    return -s


def return_in_while_in_for(x):
    s = x
    for i in range(4):
        k = 0
        while k < 3:
            s = np.sin(s) + s * 1.2
            k = k + 1
            if s > 3.0:
                return s * x
        s = s * 0.9
    return s
