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
* A numpy function given a list or tuple reads it as an array, and so does an operator lists do not
  define (``-``, ``/``, ``**``, ``@``) beside an array: ``np.power(t, 3)`` and ``np.square(t)`` read ``t``
  with Python operators in their partials (a TypeError in every mode), ``t @ C``, ``np.linalg.det(t)``
  and ``np.linalg.inv(t)`` crashed in vector modes. The ``sequence_arrays`` pass makes the array
  explicit (``np.asarray(t)``), differentiated item by item in every mode.
* A tuple in a tuple in vector reverse mode: the batch of its adjoints, one array with the items after
  the batch axis, was added to a list of the items' batches pairing the batch axis with the items
  (``add_lists``): the reverse Jacobian crashed. ``batch_add_lists`` pairs the items.
* A name bound to None before it holds a float array written by index (the reverse sweep binds ``dy =
  None`` before a loop that writes ``dy[i]``): None counted as an integer literal, and every second
  derivative of an explicit Euler step refused the write as truncating.
* A global array indexed in a loop (``A[i, j]``): second derivatives refused it as an index expression
  building an array from a differentiated value (the index, popped off the reverse sweep's tape), which
  only objects like ``np.r_`` are; a global array, list or number is data.
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


C = np.array([0.5, -1.0, 2.0, 0.3])


def powers_of_a_tuple(x):
    t = (2.0 * x, np.sin(x))
    return np.power(t, 3) + np.square(t) * np.reciprocal(np.asarray(t) + 3.0)


def powers_of_a_list_item(x):
    t = (x, [x * 2.0, x ** 2])
    u = t[1]
    return np.power(u, 2)[1] * np.sin(t[1]).sum(axis=0) * t[0]


def products_of_a_list(x):
    t = [2.0 * x, np.cos(x) * x]
    return np.matmul(t, C) + t @ C - np.transpose(t)[1]


def operators_beside_an_array(x):
    t = [2.0 * x, np.sin(x)]
    u = (x + 3.0, np.cos(x) + 2.0)
    return (C - t) / u + (C + 3.0) ** t + np.array([[1.0, 2.0]]) @ t


def square_of_a_list(x):
    t = [x[:2], x[2:] ** 2]
    return np.atleast_1d(np.linalg.det(t)) + np.linalg.inv(t)[0]


def _sine_pair(x):
    return 2.0 * x, np.sin(x)


def powers_of_a_helper_tuple(x):
    return np.power(_sine_pair(x), 2) + np.square(_sine_pair(x))


def powers_of_a_tuple_sum(x):
    return np.sum(np.sin(powers_of_a_tuple(x)))


def powers_of_a_list_item_sum(x):
    return np.sum(np.sin(powers_of_a_list_item(x)))


def products_of_a_list_sum(x):
    return np.sum(np.sin(products_of_a_list(x)))


def operators_beside_an_array_sum(x):
    return np.sum(np.sin(operators_beside_an_array(x)))


def square_of_a_list_sum(x):
    return np.sum(np.sin(square_of_a_list(x)))


def powers_of_a_helper_tuple_sum(x):
    return np.sum(np.sin(powers_of_a_helper_tuple(x)))


@pytest.mark.parametrize("f, g", [(powers_of_a_tuple, powers_of_a_tuple_sum),
                                  (powers_of_a_list_item, powers_of_a_list_item_sum),
                                  (products_of_a_list, products_of_a_list_sum),
                                  (operators_beside_an_array, operators_beside_an_array_sum),
                                  (square_of_a_list, square_of_a_list_sum),
                                  (powers_of_a_helper_tuple, powers_of_a_helper_tuple_sum)],
                         ids=lambda f: getattr(f, "__name__", ""))
@pytest.mark.parametrize("x", [X, -X], ids=["point", "negative"])
def test_lists_numpy_reads_as_arrays(f, g, x):
    """A numpy function (or an operator lists do not define, beside an array) given a list or tuple reads
    it as an array: np.power and np.square read it with Python operators in their partials (a TypeError),
    np.matmul, np.linalg.det and np.linalg.inv indexed the batch axis of its items (crashes)."""
    check_every_mode(f, g, x)


def nested_tuple(x):
    t = (x, (x * 2.0, x ** 2))
    return np.sin(t[1]).sum(axis=0) * t[0]


def pairs_in_a_loop(x):
    pairs = [(x[0], x[1]), (x[2], x[3])]
    s = 0.0
    for a, b in pairs:
        s = s + a * b
    return np.array([s, pairs[1][0] * s])


def pairs_in_a_loop_sum(x):
    return np.sum(np.cos(pairs_in_a_loop(x)))


def nested_tuple_sum(x):
    return np.sum(np.cos(nested_tuple(x)))


@pytest.mark.parametrize("x", [X, -X], ids=["point", "negative"])
def test_nested_tuples_in_vector_reverse_mode(x):
    """The batch of adjoints of a tuple in a tuple, one array with its items after the batch axis, added to
    a list of the items' batches: ``add_lists`` paired the batch axis with the items (a crash in the
    reverse Jacobian); ``batch_add_lists`` pairs the items."""
    check_every_mode(nested_tuple, nested_tuple_sum, x)
    check_every_mode(pairs_in_a_loop, pairs_in_a_loop_sum, x)


def euler_steps(x):
    n = len(x)
    y = np.zeros(n)
    for _ in range(4):
        dy = np.zeros(n)
        dy[0] = x[0]
        for i in range(1, n):
            dy[i] = x[i] * y[i - 1] - y[i]
        y = y + 0.1 * dy
    return y ** 2


def euler_steps_sum(x):
    return np.sum(euler_steps(x))


def test_arrays_bound_to_none_first():
    """A name bound to None before it holds a float array written by index (the reverse sweep's own
    ``dy = None`` before a loop): None was taken for an integer literal, and second
    derivatives refused the write as truncating it."""
    check_every_mode(euler_steps, euler_steps_sum, X)


A = np.array([[4.0, 1.0, 0.5, 0.2], [1.0, 3.0, 0.3, 0.1], [0.5, 0.3, 5.0, 0.4], [0.2, 0.1, 0.4, 2.0]])


def matrix_vector_loops(x):
    y = np.zeros(4)
    for i in range(4):
        for j in range(4):
            y[i] += A[i, j] * x[j] ** 2
    return y


def matrix_vector_loops_sum(x):
    return np.sum(matrix_vector_loops(x) ** 2)


def test_global_array_indexed_by_a_taped_index():
    """A global array indexed in a loop: the reverse sweep pops the index off its tape, which the second
    derivative reads as a differentiated value, and refused ``A[i, j]`` as an index expression building
    an array (as ``np.r_[...]`` does). Indexing an array gives no derivative through the index."""
    check_every_mode(matrix_vector_loops, matrix_vector_loops_sum, X)


R_ = np.r_


def index_builder(x):
    return np.sum(R_[x, x ** 2])


def test_index_builders_still_refused():
    with pytest.raises(sct.SCTError, match=r"test_hunt10\.py:\d+:\d+: 'R_\[\.\.\.\]' builds an array"):
        sct.grad(index_builder)(X)
