"""A helper called through a module (``helpers.h(x)``) and then rebound on that module
(``helpers.h = other``, or reloaded): the derivative is emitted again, as for a rebound free name (once the
cached derivative of the old helper, without an error).
"""
import importlib
import sys
import textwrap

import numpy as np
import pytest

import sct

HELPERS = """\
    import numpy as np


    def h(x):
        return np.sin(x)


    def cube(x):
        return x ** 3
    """

USER = """\
    import numpy as np
    import scthunt3helpers


    def f(x):
        return np.sum(scthunt3helpers.h(x))
    """


@pytest.fixture
def modules(tmp_path, monkeypatch):
    (tmp_path / "scthunt3helpers.py").write_text(textwrap.dedent(HELPERS))
    (tmp_path / "scthunt3user.py").write_text(textwrap.dedent(USER))
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("scthunt3helpers", "scthunt3user"):
        sys.modules.pop(name, None)
    helpers = importlib.import_module("scthunt3helpers")
    user = importlib.import_module("scthunt3user")
    yield helpers, user
    for name in ("scthunt3helpers", "scthunt3user"):
        sys.modules.pop(name, None)


def test_gradient_after_the_module_helper_is_rebound(modules):
    helpers, user = modules
    x = np.array([0.5, -1.0])
    gradient = sct.grad(user.f)
    assert np.allclose(gradient(x), np.cos(x))
    helpers.h = helpers.cube
    value, x_bar = sct.reverse(user.f)(x)
    assert np.isclose(value, user.f(x))
    assert np.allclose(x_bar, 3 * x ** 2)
    assert np.allclose(gradient(x), 3 * x ** 2)


def test_gradient_after_the_helper_module_is_reloaded(modules, tmp_path):
    helpers, user = modules
    x = np.array([0.5, -1.0])
    gradient = sct.grad(user.f)
    assert np.allclose(gradient(x), np.cos(x))
    (tmp_path / "scthunt3helpers.py").write_text(textwrap.dedent(HELPERS).replace("np.sin(x)", "x ** 3  "))
    importlib.reload(helpers)
    assert np.allclose(user.f(x), np.sum(x ** 3))
    assert np.allclose(gradient(x), 3 * x ** 2)
