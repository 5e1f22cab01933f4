"""The API and the emitted module see what the function sees, and change nothing the caller gave
(tests/test_sound_api_*.py).

A user name spelled like one of sct's runtime helpers must not replace it, at first and higher order.
"""
from __future__ import annotations

import sys

import numpy as np
import pytest
from api_support import numeric_gradient
from cli_support import load, run, write
from oracle import relative_error

import sct

# ------------------------------------------------------------------------------ name capture
CAPTURE_PY = """\
import numpy as np


def unbroadcast(x):
    return x * 10.0


def twice(x):
    return x * 2.0


def twice(x):
    return x * 3.0


def uses_own(x, y):
    return np.sum(unbroadcast(x) * y) + twice(x)


def locals_named_like_helpers(unreduce, y):
    zeros_list = unreduce * y
    scatter = np.sum(zeros_list ** 2)
    return scatter


def plain(x, y):
    return np.sum(x * y)


def calls_it_inactive(x, y):
    return np.sum(x * y) * np.sum(unbroadcast(y))
"""


def _capture_module(tmp_path):
    path = write(tmp_path, "capture.py", CAPTURE_PY)
    sys.path.insert(0, str(tmp_path))
    try:
        module = load(path)
    finally:
        sys.path.remove(str(tmp_path))
    return path, module


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_user_names_like_runtime_helpers(tmp_path, mode):
    path, module = _capture_module(tmp_path)
    result = run("transform", str(path), "--mode", mode, "-o", str(tmp_path / "d.py"))
    assert result.exit_code == 0, result.output + str(result.exception)
    emitted = load(tmp_path / "d.py")
    x, y = 0.7, np.array([1.0, -2.0, 0.5])
    cases = [("uses_own", (x, y)), ("locals_named_like_helpers", (x, y)), ("plain", (np.ones(3) * x, y)),
             ("calls_it_inactive", (np.ones(3) * x, y))]
    for name, args in cases:
        f = getattr(module, name)
        expected = np.sum(numeric_gradient(f, args)) if mode == "forward" else numeric_gradient(f, args)
        if mode == "forward":
            api = sct.forward(f)(*args, np.ones(np.shape(args[0])))
            standalone = getattr(emitted, f"diff_{name}")(*args, np.ones(np.shape(args[0])))
        else:
            api = sct.reverse(f)(*args)
            standalone = getattr(emitted, f"diff_{name}")(*args)
        assert relative_error(api[1], expected) < 1e-6, name
        assert relative_error(standalone[1], expected) < 1e-6, name
        assert np.allclose(api[0], f(*args)) and np.allclose(standalone[0], f(*args))
    source = (tmp_path / "d.py").read_text()
    assert "__sct_user" not in source and "__sct_user" not in sct.reverse(module.uses_own).source
    if mode == "reverse":  # the user's function and sct's helper both in the module, under two names
        assert "def sct_unbroadcast(" in source and "def unbroadcast(x):" in source


def test_parameter_named_like_a_helper_by_keyword(tmp_path):
    _, module = _capture_module(tmp_path)
    f = module.locals_named_like_helpers
    y = np.array([1.0, 2.0])
    g = sct.grad(f, wrt="unreduce")
    assert relative_error(g(unreduce=0.5, y=y), 2 * 0.5 * np.sum(y ** 2)) < 1e-12
    assert sct.reverse(f, wrt=("unreduce", "y")).wrt == ("unreduce", "y")


def test_higher_derivatives_with_user_names_like_runtime_helpers(tmp_path):
    _, module = _capture_module(tmp_path)
    x, y = np.array([0.3, 0.7]), np.array([1.0, 2.0])
    assert relative_error(sct.hessian(module.calls_it_inactive, wrt="y")(x, y),
                          10 * (x[:, None] + x[None, :])) < 1e-12
    assert relative_error(sct.hessian(module.locals_named_like_helpers)(0.5, y), 2 * np.sum(y ** 2)) < 1e-12
    assert relative_error(sct.jacobian(module.uses_own, mode="reverse")(x, y),
                          10 * y[None, :] + 3 * np.eye(2)) < 1e-12
