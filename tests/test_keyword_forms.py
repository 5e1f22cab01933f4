"""``np.sum(where=)``, ``np.prod(where=)``, ``np.max(initial=)``, ``np.min(initial=)`` and
``np.diff(prepend=, append=)`` (sct/rules/keyword_forms.py) in every mode against central differences, at
shapes with size-1 axes and zero and negative points; values equal numpy's."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def summed_where(x):
    # masks of x with no point of the tests on their edge (there the derivative follows the mask at x)
    kept = np.sum(x * x, where=x > 0.1) + x.sum(axis=0, where=x < 0.5)
    return kept + np.prod(x + 2.0, where=np.abs(x) < 1.0)


def summed_where_keepdims(x):
    return np.sum(np.sin(x), axis=-1, keepdims=True, where=np.array([True, False, True])) * x


def extremum_initial(x):
    largest = np.max(x, initial=0.25) + np.sum(x.max(axis=-1, initial=1.5))
    return largest + np.min(x * 2.0, axis=0, initial=-0.1)


def extremum_initial_inactive_side(x):
    return np.amax(x * x, axis=0, initial=10.0) + np.amin(x, initial=-5.0) * x


def diffed(x):
    return np.diff(x, prepend=0.5) * np.diff(x * x, append=x[..., :1], axis=-1)


def diffed_twice(x):
    return np.diff(x, n=2, prepend=-1.0, append=np.cos(x[..., -1:])) + np.sum(np.diff(x, axis=0, prepend=0.3))


def _scalar(f):
    def total(x):
        return np.sum(np.cos(f(x)))
    return total


FUNCTIONS = [summed_where, summed_where_keepdims, extremum_initial, extremum_initial_inactive_side, diffed,
             diffed_twice]
for _f in FUNCTIONS:
    globals()[_f.__name__ + "_total"] = _scalar(_f)

POINTS = {(1, 3): [[-0.4, 0.0, 0.9]], (2, 3): [[0.3, -1.2, 0.0], [1.1, 0.2, -0.55]],
          (3, 3): [[0.3, -1.2, 0.05], [1.1, 0.2, -0.55], [-0.8, 0.65, 1.3]]}


@pytest.mark.parametrize("shape", list(POINTS), ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_keyword_form_in_every_mode(f, shape):
    x = np.array(POINTS[shape])
    out, _ = sct.forward(f)(x, np.ones(shape))
    expected = f(x)
    assert np.shape(out) == np.shape(expected) and np.allclose(out, expected, rtol=1e-14, atol=1e-14)
    check_every_mode(f, globals()[f.__name__ + "_total"], x)


def summed_vector_where(x):
    return np.sum(x * 3.0, where=x != 0.25) * x


summed_vector_where_total = _scalar(summed_vector_where)


@pytest.mark.parametrize("x", [np.array([0.0, -0.7, 1.6]), np.array([2.0])], ids=["three", "one"])
def test_where_on_vectors(x):
    check_every_mode(summed_vector_where, summed_vector_where_total, x)


def initial_and_where(x):
    return np.max(x, initial=0.0, where=x > 0)


def test_initial_with_where_is_refused():
    with pytest.raises(sct.SCTError, match="initial= or where=, not both"):
        sct.grad(initial_and_where)


def mask_too_large(x):
    return np.sum(x, where=np.ones((4, 3), dtype=bool))


def test_a_mask_numpy_refuses_is_refused_at_run_time():
    with pytest.raises(ValueError):
        np.sum(np.ones(3), where=np.ones((4, 3), dtype=bool))
    with pytest.raises(ValueError):
        sct.grad(mask_too_large)(np.ones(3))
