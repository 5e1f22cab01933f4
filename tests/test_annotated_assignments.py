"""Annotated assignments (``y: np.ndarray = x * 2``) in a differentiated function are differentiated as
plain ones; an annotation without a value binds nothing and is dropped.

Once they were ignored by every derivative pass (gradient 0, without an error): each case here is checked
in every mode against Richardson differences (tests/every_mode.py), at size-1 axes, zero and negative
points.
"""
import numpy as np
import pytest
from every_mode import check_every_mode

ROWS = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]])


def annotated_values(x):
    y: np.ndarray = x * 2
    z: float = np.sum(y ** 2 * np.sin(x))
    return z


def annotated_rebinding(x):
    y = x * 1.0
    y: np.ndarray = y ** 2 * np.cos(y)
    return np.sum(y)


def annotated_accumulator(x):
    s: float = 0.0
    for i in range(3):
        s: float = s + np.ravel(x)[i] ** 2 * np.exp(x.ravel()[i])
    return s


def scalar_rebound_to_an_array_with_an_annotation(x):
    t = np.sum(x ** 3)
    a = 0.0
    a: np.ndarray = ROWS[0]
    return np.sum(a * t * x)


def annotated_index_write(x):
    y = np.zeros(3)
    y[0]: float = x[0] * 2 * x[1]
    return np.sum(y * x)


def annotation_without_a_value(x):
    y: np.ndarray
    y = np.tanh(x)
    return np.sum(y * x)


POINTS = [np.array([0.53, -1.37, 2.21]), np.array([0.0, -0.8, 1.3]), np.array([[-0.4, 0.0, 1.7]]),
          np.array([[0.9], [-1.1], [0.0]])]


@pytest.mark.parametrize("f", [annotated_values, annotated_rebinding, annotated_accumulator,
                               scalar_rebound_to_an_array_with_an_annotation, annotation_without_a_value])
@pytest.mark.parametrize("x", POINTS, ids=["mixed", "zero", "row", "column"])
def test_annotated_assignment_is_differentiated(f, x):
    check_every_mode(f, f, x)


@pytest.mark.parametrize("x", POINTS[:2], ids=["mixed", "zero"])
def test_annotated_index_write_is_differentiated(x):
    check_every_mode(annotated_index_write, annotated_index_write, x)
