import numpy as np


def lse_rows(a):
    m = np.max(a, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(a - m), axis=1)) + m[:, 0])


def lse_keepdims(a):
    m = np.max(a, axis=-1, keepdims=True)
    r = np.log(np.sum(np.exp(a - m), axis=-1, keepdims=True)) + m
    return np.sum(r * r)


def lse_scalar(a):
    m = np.max(a)
    return np.log(np.sum(np.exp(a - m))) + m


def lse_method(a):
    m = a.max(axis=0)
    return np.sum(np.log(np.exp(a - m).sum(axis=0)) + m)


def shift_used_elsewhere(a):
    m = np.max(a, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(a - m), axis=1)) + m[:, 0]) + 0.5 * np.sum(m)


def different_axes(a):
    m = np.max(a, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(a - m), axis=0, keepdims=True)) + m)


def scale_chain(x):
    y = 0.5 * x
    z = -y
    w = 2.0 * z
    return np.sum(np.sin(w))


def scale_used_twice(x):
    y = 3.0 * x
    return np.sum(y * y) + np.sum(np.cos(y))
