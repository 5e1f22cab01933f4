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


def _scaled(a, scale=1.0, shift=0.0):
    return a * scale + shift


def helper_kw_active(x, y):
    s = 0.0
    for k in range(3):
        s = s + _scaled(x, scale=y, shift=k)
        s = s + _scaled(2.0, scale=x)
    return s


def copy_then_index(x):
    y = x.copy()
    for i in range(1, len(y)):
        y[i] += y[i - 1] * 0.5
    return np.sum(y ** 2)


def zeros_like_fill(x):
    y = np.zeros_like(x)
    for i in range(len(x)):
        y[i] = x[i] ** 2 + (y[i - 1] if i > 0 else 0.0)
    return np.sum(y)


def builtin_max_min(x, y):
    return max(x, y) * min(x * 2.0, y) + sum([x, y, x * y])


def int_start_acc(x):
    s = 0
    for i in range(len(x)):
        s += x[i] * i
    return s


def one_branch_in_loop(x):
    s = 0.0
    last = 0.0
    for i in range(len(x)):
        if x[i] > 0:
            last = x[i] * 2.0
        s = s + last * x[i]
    return s


def norm_loop(x):
    v = x
    for k in range(3):
        v = v / np.linalg.norm(v) + 0.1 * k
    return v


def list_index_after(x):
    out = []
    for k in range(3):
        out.append(x * k + np.sin(x))
    return out[0] * out[2] + out[1]


def float_cast(x):
    a = float(x[0]) * 2.0
    return a * x[1]


def while_helper(x):
    y = x
    n = 0
    while y < 4.0 and n < 50:
        y = _scaled(y, scale=1.5, shift=0.1)
        n = n + 1
    return y * x


def matrix_rows_update(A):
    B = np.zeros_like(A)
    for i in range(A.shape[0]):
        B[i, :] = A[i, :] * np.sum(A[i, :])
        if i > 0:
            B[i, :] = B[i, :] + B[i - 1, :]
    return np.sum(B ** 2)


def early_return_helper(x):
    if x > 1.0:
        return _scaled(x, scale=x)
    return _scaled(x, shift=x * x)


def tuple_of_loop(x):
    a = x
    b = x * 2.0
    for k in range(3):
        a, b = b * a, a + b
    return a, b


def power_int(x):
    s = x
    for k in range(1, 4):
        s = s ** k / (k + x)
    return s


def exp_sum(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def cumulative(x):
    c = np.cumsum(x)
    return np.sum(c * c) + np.prod(x[:2])


def nested_if_loop(x):
    s = 0.0
    for i in range(3):
        for j in range(3):
            if i == j:
                continue
            elif x[i] > x[j]:
                s = s + x[i] * x[j]
            else:
                s = s - np.exp(x[j] - x[i])
    return s


def dot_loop(W, x):
    h = x
    for k in range(W.shape[0]):
        h = np.tanh(W[k] @ h)
    return np.sum(h)


def math_mix(x):
    s = 0.0
    for k in range(3):
        s = s + math.cos(x * k) * math.pi + math.pow(x, 2) + math.hypot(x, k)
    return s


def list_in_one_branch(x, flag):
    out = []
    for k in range(3):
        out.append(np.cos(x * k))
    if flag > 0:
        return np.sum(np.stack(out)) * x
    return x


def list_last_item(x):
    out = [x]
    for k in range(3):
        out.append(np.sin(out[-1]) + out[len(out) - 1] * 0.5)
    return out[-1] * out[1]


def list_last_sum(x):
    return np.sum(list_last_item(x))


def alias_param(x):
    y = x
    y[0] = y[1] * 3.0
    return np.sum(y * x)


def write_into_rows(X):
    for row in X:
        row[0] = row[1] ** 2
    return np.sum(X ** 2)


def write_into_own_copy(x):
    y = np.copy(x)
    y[0] = y[1] * 3.0
    return np.sum(y * x)


def vector_sines(x):
    return np.sin(x) * 2.0 + x


def user_names_like_derivatives(a, b):
    b_bar = b * 2.0
    x_dot = np.where(a > 0, a, 0.5 * a)
    return np.dot(x_dot, b_bar) + np.sum(np.where(b > 0, b_bar, a))
