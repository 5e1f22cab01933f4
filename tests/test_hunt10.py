"""Constructs from other AD projects' test suites that made sct return a wrong derivative or crash, each
against differences in every mode (or refused in every mode).

* A helper taking ``*args``, ``**kwargs`` or positional-only parameters: reverse mode bound the call's
  arguments to the named parameters only, so an argument landing in ``*args`` (or ``**kwargs``, or after a
  positional-only parameter) had no parameter to differentiate, and the gradient was silently zero. Any
  call with a differentiated argument now refuses such a helper where it is defined, as forward mode did.
* A tuple or list a helper returns, read by a numpy function (``np.sin(pair(x))``): vector forward mode
  (forward Jacobians, Hessians) multiplied by its tangent as one array with the items first, not the
  directions: a wrong Jacobian and Hessian for vectors, a crash for scalars. It reads it through
  ``batch_array`` (a container the helper built) or ``batch_stacked`` (a name that may hold either).
* The adjoint of a slice of a list, added back into the list (``add_items``), read an array of the items'
  stacked adjoints (``zeros_items``, in code differentiated again) as one number added to every item:
  reverse-over-forward Hessian-vector products of ``lst[::-1][0]`` crashed.
"""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct

X = np.array([0.7, -0.3, 1.2, 0.4])


def _squares(*args):
    s = 0.0
    for a in args:
        s = s + a * a
    return s


def star_call(x):
    return _squares(x[0], x[1], np.sin(x[2]))


def _scaled(a, **options):
    return a * options["s"]


def keyword_call(x):
    return np.sum(_scaled(2.0, s=x))


def _product(a, /, b):
    return a * b


def positional_only_call(x):
    return np.sum(_product(2.0, x) + np.sin(x))


def _constant_star(*args):
    return len(args) * 2.0


def constant_star_call(x):
    return np.sum(x ** 2) * _constant_star(1.0, 2.0)


@pytest.mark.parametrize("f", [star_call, keyword_call, positional_only_call])
def test_unnamed_parameters_refused_in_every_mode(f):
    makers = [lambda: sct.forward(f)(X, X), lambda: sct.reverse(f)(X), lambda: sct.grad(f)(X),
              lambda: sct.jacobian(f, mode="forward")(X), lambda: sct.jacobian(f, mode="reverse")(X),
              lambda: sct.hessian(f)(X), lambda: sct.hvp(f)(X, X)]
    for make in makers:
        with pytest.raises(sct.SCTError, match=r"test_hunt10\.py:\d+:\d+: \*args, \*\*kwargs and positional"):
            make()


def test_unnamed_parameters_given_constants_only():
    check_every_mode(constant_star_call, constant_star_call, X)


def _pair(x):
    return 2.0 * x, x


def _pair_or_one(x, flag):
    if flag:
        return x
    return [np.cos(x), x * x]


def helper_tuple(x):
    return np.sin(_pair(x))


def helper_tuple_sum(x):
    return np.sum(np.sin(_pair(x)) * np.arange(1.0, 3.0).reshape((2,) + (1,) * np.ndim(x)))


def helper_maybe_list(x):
    return np.exp(_pair_or_one(x, False)) * 0.5


def helper_maybe_list_sum(x):
    return np.sum(np.tanh(_pair_or_one(x, False)) ** 2)


def helper_tuple_reduced(x):
    t = _pair(x)
    return np.sum(t, axis=0) * np.prod(t, axis=0)


def helper_tuple_reduced_sum(x):
    return np.sum(np.cos(helper_tuple_reduced(x)))


@pytest.mark.parametrize("x", [X, np.array([0.3]), np.array([[0.5, -1.1, 0.2]]), np.array(-0.6)],
                         ids=["vector", "size-1", "row", "0-d"])
@pytest.mark.parametrize("f, g", [(helper_tuple, helper_tuple_sum),
                                  (helper_maybe_list, helper_maybe_list_sum),
                                  (helper_tuple_reduced, helper_tuple_reduced_sum)],
                         ids=["tuple", "list on one path", "reduced"])
def test_container_returned_by_a_helper(f, g, x):
    check_every_mode(f, g, x)


def helper_tuple_scalar(x):
    return np.sum(np.sin(_pair(x)))


def test_container_returned_by_a_helper_at_a_float():
    assert abs(sct.hessian(helper_tuple_scalar)(0.7) - (-4 * np.sin(1.4) - np.sin(0.7))) < 1e-12


def reversed_list(x):
    items = [x[0], x[1] * 2.0, x[2] ** 2]
    return items[::-1][0] * x[1] + items[1:][-1] * np.sin(x[3])


def reversed_list_vector(x):
    items = [x[0] * x[3], x[1] * 2.0, x[2] ** 2]
    backwards = items[::-1]
    return np.array([backwards[0] * x[1], backwards[2] ** 2, items[::2][1]])


@pytest.mark.parametrize("x", [X, -X, np.array([0.5, 1.5, -2.0, 0.0])], ids=["point", "negative", "zero"])
def test_slices_of_lists(x):
    check_every_mode(reversed_list, reversed_list, x)
    check_every_mode(reversed_list_vector, reversed_list, x)


def products_of_a_tuple(x):
    t = (2.0 * x + 0.1, x ** 2 + 0.5)
    return np.prod(t, axis=0) + np.cumprod(t, axis=0)[1] * np.prod(t)


def products_of_a_tuple_sum(x):
    return np.sum(np.sin(products_of_a_tuple(x)))


@pytest.mark.parametrize("x", [X, np.array([0.3]), np.array([[0.5, -1.1, 0.2]])],
                         ids=["vector", "size-1", "row"])
def test_products_of_a_tuple(x):
    """Second derivatives read the tuple's tangents stacked after the batch axis in the partials of
    np.prod and np.cumprod too (they crashed)."""
    check_every_mode(products_of_a_tuple, products_of_a_tuple_sum, x)
