"""Stable-logsumexp spellings: the shift ``m`` added back is exactly the one subtracted (``CANCELLING``), or
not (``NOT_CANCELLING``: ``m`` has a real derivative). Each ``f`` is array-valued in ``x``."""
import numpy as np


def keep_max_squeeze_subscript(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=1)) + m[:, 0]


def keep_both_last_axis(x):
    m = np.max(x, axis=-1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)) + m


def keep_both_axis_tuple_reordered(x):
    m = np.max(x, axis=(2, 0), keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=(0, 2), keepdims=True)) + m


def keep_both_all_axes(x):
    m = np.max(x, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=None, keepdims=True)) + m


def full_reduction(x):
    m = np.max(x)
    return np.reshape(m + np.log(np.sum(np.exp(x - m))), (1,))


def leading_axis_no_keepdims(x):
    m = np.max(x, axis=0)
    return np.log(np.sum(np.exp(x - m), axis=0)) + m


def leading_axes_no_keepdims(x):
    m = np.amax(x, axis=(1, 0))
    return m + np.log(np.sum(np.exp(x - m), axis=(0, 1)))


def keep_max_squeeze_call(x):
    m = np.max(x, axis=0, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=0)) + np.squeeze(m, axis=0)


def keep_max_ellipsis(x):
    m = np.max(x, -1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), -1)) + m[..., 0]


def method_forms(x):
    m = x.max(axis=1, keepdims=True)
    return np.log(np.exp(x - m).sum(axis=1)) + m.squeeze(1)


def cancelling_but_axes_spelt_differently(x):  # identity, not recognised: differentiated literally
    m = np.max(x, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=-1)) + m[:, 0]


def without_keepdims_other_axis(x):  # x - m broadcasts m along the wrong axis
    m = np.max(x, axis=1)
    return np.log(np.sum(np.exp(x - m), axis=1)) + m


def added_back_reversed(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=1)) + m[::-1, 0]


def added_back_broadcast(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=1)) + m


def added_back_first_row(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=1)) + m[0]


def added_back_other_axis_squeezed(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=1)) + m[0, :]


def source_rebound(x):
    a = x * 1.0
    m = np.max(a, axis=1, keepdims=True)
    a = a * 2.0
    return np.log(np.sum(np.exp(a - m), axis=1)) + m[:, 0]


RECOGNISED = [keep_max_squeeze_subscript, keep_both_last_axis, keep_both_axis_tuple_reordered,
              keep_both_all_axes, full_reduction, leading_axis_no_keepdims, leading_axes_no_keepdims,
              keep_max_squeeze_call, keep_max_ellipsis, method_forms]
CANCELLING = RECOGNISED + [cancelling_but_axes_spelt_differently]
NOT_CANCELLING = [without_keepdims_other_axis, added_back_reversed, added_back_broadcast,
                  added_back_first_row, added_back_other_axis_squeezed, source_rebound]
