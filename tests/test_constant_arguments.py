"""Arguments a rule declares constant (it gives no derivative through them) are refused when active.

The activity analysis follows a derivative only through the arguments a rule's tangent reads; an argument
declared ``constant`` still carries the input's change into the result, so a call with it active must be
refused at transform time, not given a zero derivative.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pytest
from oracle import richardson_difference

import sct
from sct.errors import SCTError

SOURCE = '''
import numpy as np
from sct.runtime import adjugate, adjugate_adjoint


def adjoint_of_adjugate(x, g):
    return np.sum(adjugate_adjoint(x, g))


def weighted_adjugate(x, w):
    return np.sum(adjugate(x) * w)


def squared_det(x):
    return np.linalg.det(x) ** 2
'''


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    import importlib.util
    path = tmp_path_factory.mktemp("constant") / "constant_arguments.py"
    path.write_text(textwrap.dedent(SOURCE))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def _points():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    return x, rng.standard_normal((3, 3)), rng.standard_normal((3, 3))


def test_an_active_constant_argument_is_refused_in_forward_and_reverse(module):
    x, g, _ = _points()
    with pytest.raises(SCTError, match="declare its argument a constant"):
        sct.forward(module.adjoint_of_adjugate, wrt="x")(x, g, g)
    with pytest.raises(SCTError, match="declare its argument a constant"):
        sct.reverse(module.adjoint_of_adjugate, wrt="x")(x, g)


@pytest.mark.parametrize("method", ["forward-over-reverse", "reverse-over-forward"])
def test_a_second_derivative_through_a_constant_argument_is_refused(module, method):
    x, w, v = _points()
    with pytest.raises(SCTError, match="declare its argument a constant"):
        sct.hvp(module.weighted_adjugate, wrt="x", method=method)(x, w, v)


def test_the_derivative_along_the_direction_alone_is_exact(module):
    x, g, v = _points()
    gradient = sct.grad(module.adjoint_of_adjugate, wrt="g")(x, g)
    numeric = richardson_difference(lambda gg: module.adjoint_of_adjugate(x, gg), [g], {0: v})
    assert np.isclose(np.sum(gradient * v), numeric, rtol=1e-8)


@pytest.mark.parametrize("method", ["forward-over-reverse", "reverse-over-forward"])
def test_second_derivatives_of_det_stay_exact(module, method):
    x, _, v = _points()
    gradient = sct.grad(module.squared_det)
    numeric = richardson_difference(gradient, [x], {0: v})
    product = sct.hvp(module.squared_det, method=method)(x, v)
    assert np.allclose(product, numeric, rtol=1e-7, atol=1e-8)
