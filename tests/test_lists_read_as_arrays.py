"""A numpy function given a Python list (a comprehension, a list written out or appended to) reads it as
an array: the reverse sweep splits the rule's array adjoint back into items (the sweep pops them), and
forward and vector modes stack the items' tangents first (numpy took the list's axis for the batch axis:
a wrong forward Jacobian). Every mode against differences."""
import numpy as np
import pytest
from every_mode import check_every_mode
from scipy.special import logsumexp


def sum_of_comprehension(x):
    return np.array([np.sum([x[i] ** 2 for i in range(3)]), x[0]])


def sum_of_rows(x):
    return np.sum([x * x[i] for i in range(3)], axis=0)


def mean_of_comprehension(x):
    return np.atleast_1d(np.mean([x[i] * x[0] for i in range(3)]))


def prod_of_comprehension(x):
    return np.atleast_1d(np.prod([x[i] + 2.0 for i in range(3)]))


def max_of_comprehension(x):
    return np.atleast_1d(np.max([x[i] ** 2 for i in range(3)]))


def sum_and_item_of_literal(x):
    a = [x[0], x[1] * x[2]]
    return np.atleast_1d(np.sum(a) * a[0])


def sum_and_item_of_appended(x):
    a = []
    for i in range(3):
        a.append(x[i] * x[0])
    return np.atleast_1d(np.sum(a) * a[1])


def sum_of_list_of_rows(x):
    rows = [x[:2] * x[2], x[1:] ** 2]
    return np.sum(rows, axis=0)


def einsum_of_list_of_rows(x):
    return np.einsum("ij->j", [x * x[0], np.sin(x)])


def logsumexp_of_list_of_rows(x):
    return logsumexp([x * x[1], x ** 2], axis=0)


CASES = [einsum_of_list_of_rows, logsumexp_of_list_of_rows, sum_of_comprehension, sum_of_rows,
         mean_of_comprehension, prod_of_comprehension,
         max_of_comprehension, sum_and_item_of_literal, sum_and_item_of_appended,
         sum_of_list_of_rows]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([-0.7, 0.0, 1.3])], ids=["x", "zero"])
def test_numpy_reads_a_list_every_mode(f, x):
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, x)


def norm_of_list(x):
    return np.atleast_1d(np.linalg.norm([x[0], x[1] * x[2]]))


def dot_of_comprehension(x):
    return np.atleast_1d(np.dot([x[i] for i in range(3)], x))


@pytest.mark.parametrize("f", [norm_of_list, dot_of_comprehension], ids=lambda f: f.__name__)
def test_numpy_reads_a_list_to_the_gradient(f):
    """Their Hessians loop over the directions (a helper without a batched form): checked to the gradient."""
    def weighted(x):
        y = f(x)
        return np.sum(y * np.cos(y))

    check_every_mode(f, weighted, np.array([0.5, -1.2, 2.0]), second_order=False)


def sin_of_list(x):
    a = [x[0] * x[1], x[2]]
    return np.sin(a) * x[1]


def sin_of_list_weighted(x):
    a = [x[0] * x[1], x[2]]
    y = np.sin(a) * x[1]
    return np.sum(y * np.cos(y))


def test_elementwise_function_of_a_list_every_mode():
    check_every_mode(sin_of_list, sin_of_list_weighted, np.array([0.5, -1.2, 2.0]))


def select_of_a_list(x):
    choices = [x * 2.0, x ** 2]
    return np.select([x > 0, x <= 0], choices)


def select_of_a_list_weighted(x):
    choices = [x * 2.0, x ** 2]
    y = np.select([x > 0, x <= 0], choices)
    return np.sum(y * np.cos(y))


def test_select_reads_its_choices_item_by_item_every_mode():
    """np.select's rules take the choices' tangents as a list: they are not stacked."""
    check_every_mode(select_of_a_list, select_of_a_list_weighted, np.array([0.5, -1.2, 2.0]))
