"""A view read, then its array written in place (numpy's views alias: after ``y[0] = 5`` the view sees 5):
index views, reshape, transposes, ravel, squeeze, expand_dims, slices and ``...``, written by index, by
augmented assignment and in a loop, in every mode, both orders of second derivatives, against differences.

The tape of the reverse sweep holds the view beside its array, and the sweep's write restoring the array
changes the view: forward-over-reverse must follow the view's tangent through that write too."""
import numpy as np
import pytest
from every_mode import check_every_mode


def index_none(x, w):
    y = x * 1.0
    v = y[None, :]
    s = np.sum(v * v * w)
    y[0] = x[-1] * 3.0
    return s * y

def reshape_view(x, w):
    y = x * 2.0
    v = np.reshape(y, (1, -1))
    s = np.sum(v * w * v)
    y[1] = x[0] * x[-1]
    return s + y

def method_reshape(x, w):
    y = x + 0.5
    v = y.reshape(-1, 1)
    s = np.sum(v ** 3) * w[0, 0]
    y[-1] = y[0] * x[1]
    return y * s

def transposed(x, w):
    y = np.outer(x, x)
    v = y.T
    s = np.sum(v * np.sin(v))
    y[0, 1] = x[2] ** 2
    return y * s

def np_transpose(x, w):
    y = np.outer(x, x + w[0, 0])
    v = np.transpose(y)
    s = np.sum(v * v)
    y[1] = x * 2.0
    return y * s

def raveled(x, w):
    y = np.outer(x, x)
    v = np.ravel(y)
    s = np.sum(np.exp(v * 0.1) * v)
    y[:, 0] = x * x
    return np.sum(y, axis=0) * s

def squeezed(x, w):
    y = (x * 1.5)[None, :]
    v = np.squeeze(y)
    s = np.sum(v * v * x)
    y[0, 1] = x[0] * 4.0
    return s * y[0]

def expanded(x, w):
    y = x * x
    v = np.expand_dims(y, 0)
    s = np.sum(v * w)
    y[1:] = x[:-1] * 2.0
    return s * y

def sliced(x, w):
    y = x * 3.0
    v = y[1:]
    s = np.sum(v * v)
    y[2] = x[0] ** 3
    return s * y

def ellipsis(x, w):
    y = x * 1.0
    v = y[...]
    s = np.sum(np.cos(v) * v)
    y[0] = s * x[1]
    return y * s

def augmented_index(x, w):
    y = x * 1.0
    v = y[None, :]
    s = np.sum(v * v * w)
    y[0] += x[1] * x[2]
    return s * y

def augmented_whole(x, w):
    y = x * 1.0
    v = y[:, None]
    s = np.sum(v * v)
    y *= x
    return s * y

def in_a_loop(x, w):
    y = x * 1.0
    acc = 0.0
    for i in range(3):
        v = y[None, :]
        acc = acc + np.sum(v * v * w)
        y[i] = x[i] * acc
    return acc * y

def two_views(x, w):
    y = x * 1.0
    a = y[None, :]
    b = np.reshape(y, (-1, 1))
    s = np.sum(a * b)
    y[0] = x[1] * 2.0
    y[1] = x[0] * x[0]
    return s * y

def returned_itself(x, w):  # the array the reverse sweep restores is the output too
    y = x * 2.0
    v = y[None, :]
    s = np.sum(v * v * w)
    y[0] = x[1] * s
    return y


FUNCS = [index_none, reshape_view, method_reshape, transposed, np_transpose, raveled, squeezed, expanded,
         sliced, ellipsis, augmented_index, augmented_whole, in_a_loop, two_views, returned_itself]


def index_none_g(x, w):
    return np.sum(index_none(x, w) ** 2)


def reshape_view_g(x, w):
    return np.sum(reshape_view(x, w) ** 2)


def method_reshape_g(x, w):
    return np.sum(method_reshape(x, w) ** 2)


def transposed_g(x, w):
    return np.sum(transposed(x, w) ** 2)


def np_transpose_g(x, w):
    return np.sum(np_transpose(x, w) ** 2)


def raveled_g(x, w):
    return np.sum(raveled(x, w) ** 2)


def squeezed_g(x, w):
    return np.sum(squeezed(x, w) ** 2)


def expanded_g(x, w):
    return np.sum(expanded(x, w) ** 2)


def sliced_g(x, w):
    return np.sum(sliced(x, w) ** 2)


def ellipsis_g(x, w):
    return np.sum(ellipsis(x, w) ** 2)


def augmented_index_g(x, w):
    return np.sum(augmented_index(x, w) ** 2)


def augmented_whole_g(x, w):
    return np.sum(augmented_whole(x, w) ** 2)


def in_a_loop_g(x, w):
    return np.sum(in_a_loop(x, w) ** 2)


def two_views_g(x, w):
    return np.sum(two_views(x, w) ** 2)


def returned_itself_g(x, w):
    y = returned_itself(x, w)
    return np.sum(y * y) + y[0]


def _scalar(f):
    return globals()[f.__name__ + "_g"]


POINTS = [(np.array([0.4, -1.2, 0.0]), np.array([[1.0, -2.0, 0.5]])),
          (np.array([-0.3, 0.0, -2.0]), np.array([[0.0], [1.5]]))]


@pytest.mark.parametrize("x, w", POINTS)
@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_a_view_then_its_array_written_in_every_mode(f, x, w):
    check_every_mode(f, _scalar(f), x, w)
