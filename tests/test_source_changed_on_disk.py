"""The file of a function changed on disk after it was imported (an editor saved it; the module was not
reloaded): ``f`` still runs its old code while ``inspect`` reads the new text, so sct refuses (once the
derivative of the new text, without an error). Unchanged files, closures and comprehensions are accepted.
"""
import importlib
import os
import sys
import textwrap
import time

import numpy as np
import pytest

import sct

BEFORE = """\
    import numpy as np


    def f(x):
        return np.sum(np.sin(x))
    """


@pytest.fixture
def module(tmp_path, monkeypatch):
    path = tmp_path / "scthunt3edited.py"
    path.write_text(textwrap.dedent(BEFORE))
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("scthunt3edited", None)
    loaded = importlib.import_module("scthunt3edited")
    path.write_text(textwrap.dedent(BEFORE).replace("np.sin(x)", "x ** 3"))
    later = time.time() + 10
    os.utime(path, (later, later))
    yield loaded
    sys.modules.pop("scthunt3edited", None)


def test_gradient_of_a_function_whose_file_changed(module):
    x = np.array([0.5, -1.0])
    assert np.isclose(module.f(x), np.sum(np.sin(x)))        # the old code runs
    with pytest.raises(sct.SCTError, match="not the code that runs"):
        sct.reverse(module.f)(x)


SCALE = 3.0


def closure_of(scale):
    def scaled(x):
        return np.sum(np.sin(x) * scale * SCALE)
    return scaled


def with_a_comprehension(x):
    return sum(np.sum(x ** k) for k in (1, 2)) * SCALE


def test_unchanged_functions_closures_and_comprehensions_are_accepted():
    x = np.array([0.5, -1.0])
    assert np.allclose(sct.grad(closure_of(2.0))(x), 6.0 * np.cos(x))
    assert np.allclose(sct.grad(with_a_comprehension)(x), 3.0 * (1.0 + 2.0 * x))
