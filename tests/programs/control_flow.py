import numpy as np

from mixtures.loglik import gmm_objective_no_prior


def newton_sqrt(a):
    x = a
    for i in range(20):
        x = 0.5 * (x + a / x)
        if abs(x * x - a) < 1e-14:
            break
    return x

def cont(x):
    s = 0.0
    for i in range(6):
        if i % 2 == 0:
            continue
        s = s + x ** i
    return s

def ret_loop(x):
    y = x
    for i in range(10):
        y = y * 1.1
        if y > 3.0:
            return y * 2
    return y

def nested(x):
    total = 0.0
    for i in range(3):
        for j in range(i + 1):
            total = total + x[i] * x[j]
    return total

def pair(a, b):
    return a * b, a + b

def tuples(x, y):
    p, q = pair(x, y)
    return p * q

def lists(x):
    rows = []
    for k in range(3):
        rows.append(x * (k + 1))
    return np.array(rows)

def kw(x, scale=2.0, power=3):
    return scale * x ** power

def setcol(X):
    Y = np.zeros((2, 3))
    for k in range(3):
        Y[:, k] += X[:, k] * X[0, k]
    return np.sum(Y ** 2)

def ifexp(x):
    return x * 2 if x > 0 else -x ** 3

def whiles(x):
    n = 0
    while x < 10.0:
        x = x * 1.7
        n = n + 1
    return x

def augmented(x):
    y = x * 1.0  # a new value: `y = x; y += 1.0` would change an array x in place (refused)
    y += 1.0
    y *= x
    y -= 2 * x
    y /= 3.0
    return y

def multi_return(x):
    if x > 1:
        return x ** 2
    elif x > 0:
        return x ** 3
    else:
        return -x

def swap(x, y):
    for i in range(3):
        x, y = y, x * y
    return x + y

def rows(X):
    total = 0.0
    for row in X:
        total = total + np.sum(row ** 2)
    return total

def enum(X):
    total = 0.0
    for i, row in enumerate(X):
        total = total + (i + 1) * np.sum(np.sin(row))
    return total


def early_exit_while(x):
    steps = 0
    while True:
        x = np.sin(x) + 1.5 * x
        steps = steps + 1
        if x > 20.0 or steps > 50:
            break
    return x


def branchy_rows(X, w):
    out = []
    for i in range(X.shape[0]):
        if np.sum(X[i]) > 0:
            out.append(np.tanh(X[i] * w))
        else:
            out.append(X[i] ** 2)
    return np.stack(out)


def helper_chain(x):
    return outer_helper(x) * 2.0


def outer_helper(x):
    return inner_helper(x) + np.cos(x)


def inner_helper(x):
    y = x
    for k in range(3):
        y = y * np.sin(x) + 1.0
    return y


def matrix_loop(A, v):
    for k in range(4):
        v = A @ v
        v = v / np.sqrt(np.sum(v ** 2))
    return v


def overwrite_slices(x):
    z = np.ones(4)
    z[1:3] = x[:2] * 3.0
    z[0] = z[1] * z[2]
    z[3] += np.sum(x ** 2)
    return z


def local_constants(x, bias=0.5):
    weights = np.array([1.0, -2.0, 0.5])
    shift = 3
    return np.sum(weights * x ** 2) + bias * shift


def long_loop(x, n):
    s = x
    for i in range(n):
        s = 0.999 * s + 0.001 * np.sin(s)
    return s


def list_read_twice(x):
    out = []
    for k in range(3):
        out.append(np.tanh(x * (k + 1)))
    return np.sum(np.stack(out) ** 2) + np.sum(np.array(out)[:, 0])


def imported_helper(alphas, means, icf, x):
    return 2.0 * gmm_objective_no_prior(alphas, means, icf, x)
