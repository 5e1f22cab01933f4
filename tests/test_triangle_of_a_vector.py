"""``np.tril``/``np.triu`` of a 1-d array: numpy takes the vector for every row of a square matrix
(``np.tril(x)[i, j] = x[j]`` for ``j <= i + k``), so the adjoint sums over those rows and the batched tangent
keeps its batch axis apart from them (once a (3, 3) "gradient" for a (3,) input, without an error).
"""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error

import sct

W = np.arange(1.0, 10.0).reshape(3, 3)


def lower_of_a_vector(x):
    return np.tril(x) * W


def strict_upper_of_a_vector(x, k=1):
    return np.sin(np.triu(x, k))


def lower_of_a_matrix(x):
    return np.tril(x, -1) ** 2


def scalar_of_lower(x):
    return np.sum(np.cos(lower_of_a_vector(x)) * lower_of_a_vector(x))


def scalar_of_upper(x):
    return np.sum(np.cos(strict_upper_of_a_vector(x)) * strict_upper_of_a_vector(x))


def scalar_of_matrix(x):
    return np.sum(np.cos(lower_of_a_matrix(x)) * lower_of_a_matrix(x))


SCALAR = {lower_of_a_vector: scalar_of_lower, strict_upper_of_a_vector: scalar_of_upper,
          lower_of_a_matrix: scalar_of_matrix}


@pytest.mark.parametrize("f, x", [(lower_of_a_vector, np.array([0.5, -1.0, 2.0])),
                                  (strict_upper_of_a_vector, np.array([0.0, -1.0, 2.0])),
                                  (strict_upper_of_a_vector, np.array([-0.3])),
                                  (lower_of_a_matrix, np.array([[0.5, -1.0], [2.0, 0.0], [1.5, -0.2]]))])
def test_every_mode(f, x):
    check_every_mode(f, SCALAR[f], x)


def test_forward_jacobian_keeps_the_batch_axis_apart():
    x = np.array([0.5, -1.0, 2.0])
    expected = np.stack([np.tril(e) for e in np.eye(3)], axis=-1)     # np.tril is linear
    for mode in ("forward", "reverse"):
        assert relative_error(sct.jacobian(tril_of_a_vector, mode=mode)(x), expected) < 1e-12


def tril_of_a_vector(x):
    return np.tril(x)
