"""A dict argument of differentiated values: a dict gradient, a dict of tangents, refused as ``wrt`` of
second-order derivatives and Jacobians, and the same in the module ``sct transform`` writes."""
from __future__ import annotations

import numpy as np
import pytest
from cli_support import load, run, write
from containers_support import X
from oracle import relative_error, richardson_difference

import sct


# ---------------------------------------------------------------------------------- dict arguments
def loss(params, x):
    h = np.tanh(params["w"] * x + params["b"])
    total = 0.0
    for _key, value in params.items():
        total = total + np.sum(value ** 2)
    return np.sum(h ** 2) + total


PARAMS = {"w": np.array([0.3, -0.5, 0.8]), "b": 0.2}


def _difference(direction):
    def along(t):
        moved = {k: PARAMS[k] + t * direction[k] for k in PARAMS}
        return loss(moved, X)
    return richardson_difference(along, (0.0,), {0: 1.0})


def test_a_dict_argument_gets_a_dict_gradient_and_takes_a_dict_of_tangents():
    gradient = sct.grad(loss, wrt="params")(PARAMS, X)
    assert set(gradient) == {"w", "b"} and isinstance(gradient["b"], float)
    rng = np.random.default_rng(3)
    direction = {"w": rng.standard_normal(3), "b": float(rng.standard_normal())}
    expected = _difference(direction)
    value, tangent = sct.forward(loss, wrt="params")(PARAMS, X, direction)
    assert relative_error(value, loss(PARAMS, X)) < 1e-12
    assert relative_error(tangent, expected) < 1e-8
    dot = sum(float(np.sum(gradient[k] * direction[k])) for k in PARAMS)
    assert relative_error(dot, expected) < 1e-8
    assert PARAMS["w"][0] == 0.3  # the caller's arrays are left alone


@pytest.mark.parametrize("make", [lambda: sct.jacobian(loss, wrt="params"),
                                  lambda: sct.hessian(loss, wrt="params"),
                                  lambda: sct.hvp(loss, wrt="params")])
def test_second_order_and_jacobians_refuse_a_dict_wrt(make):
    extra = (PARAMS,) if make().kind == "Hessian-vector product" else ()
    with pytest.raises(TypeError, match="a dict, is not supported.*separate arguments"):
        make()(PARAMS, X, *extra)


CLI_SOURCE = '''\
import numpy as np


def helper(t):
    return np.sin(t) * t


def model(params, x, act=np.tanh, post=helper):
    d = {"h": act(params["w"] * x)}
    d["y"] = post(d["h"]) + params["b"]
    return np.sum(sorted(list(d["y"]), reverse=True)[0] * d["y"])
'''


def test_sct_transform_writes_a_module_that_differentiates_the_same(tmp_path):
    source = write(tmp_path, "model.py", CLI_SOURCE)
    namespace = {}
    exec(compile(CLI_SOURCE, str(source), "exec"), namespace)
    model = namespace["model"]
    for mode in ("forward", "reverse"):
        out = tmp_path / f"diff_{mode}.py"
        result = run("transform", str(source), "--function", "model", "--mode", mode, "--wrt", "params",
                     "-o", str(out))
        assert result.exit_code == 0, result.output
        emitted = load(out).diff_model
        if mode == "forward":
            value, tangent = emitted(PARAMS, X, params_dot={"w": np.ones(3), "b": 1.0})
        else:
            value, grads = emitted(PARAMS, X)
            tangent = float(np.sum(grads["w"])) + grads["b"]
        expected = richardson_difference(
            lambda t: model({"w": PARAMS["w"] + t, "b": PARAMS["b"] + t}, X), (0.0,), {0: 1.0})
        assert relative_error(value, model(PARAMS, X)) < 1e-12
        assert relative_error(tangent, expected) < 1e-8, mode
