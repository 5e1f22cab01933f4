"""Recursion (a function that calls itself, directly or through others) in every mode, through the API,
the decorator and ``sct transform``; and the recursion sct refuses: a depth that follows the input."""
from __future__ import annotations

import numpy as np
import pytest
from cli_support import assert_input_error, load, run
from every_mode import check_every_mode
from oracle import relative_error
from programs import recursion as rp
from programs.recursion import minor_det

import sct

X = np.array([0.7, -1.3, 0.4, 1.1])


def matrix(n: int) -> np.ndarray:
    return np.random.default_rng(n).standard_normal((n, n)) + 2.0 * np.eye(n)


def cofactors(a: np.ndarray) -> np.ndarray:
    """The gradient of the determinant: det(A) * inv(A).T (numpy's LU, not minors)."""
    return np.linalg.det(a) * np.linalg.inv(a).T


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_det_by_minors_gradient_is_the_cofactor_matrix(n):
    a = matrix(n)
    value, grad = sct.reverse(rp.det)(a)  # the default seed
    assert relative_error(value, np.linalg.det(a)) < 1e-12
    assert relative_error(grad, cofactors(a)) < 1e-12
    assert relative_error(sct.grad(rp.det)(a), cofactors(a)) < 1e-12
    v = np.random.default_rng(10 + n).standard_normal((n, n))
    _, tangent = sct.forward(rp.det)(a, v)
    assert relative_error(tangent, np.sum(cofactors(a) * v)) < 1e-12


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_det_by_minors_in_every_mode(n):
    check_every_mode(rp.det_scaled, rp.det, matrix(n))


def test_det_hessian_is_the_derivative_of_the_cofactors():
    a = matrix(3)
    hessian = sct.hessian(rp.det)(a)
    step = 1e-6
    for i, j in [(0, 0), (1, 2), (2, 1)]:
        e = np.zeros((3, 3))
        e[i, j] = step
        column = (cofactors(a + e) - cofactors(a - e)) / (2 * step)
        assert relative_error(hessian[:, :, i, j], column) < 1e-7


@pytest.mark.parametrize("f, g", [
    (rp.power_and_damped, rp.power_and_damped_sum),
    (rp.in_a_loop, rp.in_a_loop_sum),
    (rp.mutual, rp.mutual_sum),
    (rp.nested_exp, rp.nested_exp),
    (rp.swapped_in_x, rp.swapped_in_x_sum),
    (rp.filled, rp.filled_sum),
], ids=lambda f: getattr(f, "__name__", ""))
def test_recursive_programs_in_every_mode(f, g):
    check_every_mode(f, g, X)


def test_the_power_is_exact():
    _, tangent = sct.forward(rp.power, wrt="x")(X, 5, np.ones_like(X))
    assert relative_error(tangent, 5 * X ** 4) < 1e-13


def test_a_recursive_function_is_emitted_once():
    """Its derivative calls itself; in reverse mode the whole one runs the two halves the calls use."""
    forward = sct.forward(rp.nested_exp).source
    assert forward.count("def diff_nested_exp(") == 1 and "= diff_nested_exp(" in forward
    reverse = sct.reverse(rp.nested_exp).source
    for name in ("diff_nested_exp_forward", "diff_nested_exp_backward", "diff_nested_exp"):
        assert reverse.count(f"def {name}(") == 1
    mutual = sct.reverse(rp.mutual).source
    assert mutual.count("def diff_even_steps_forward(") == 1
    assert mutual.count("def diff_odd_steps_backward(") == 1


@sct.differentiate(mode="forward", wrt="x")
def decorated_chain(x, k):
    if k == 0:
        return x
    return decorated_chain(np.sin(x), k - 1)


@sct.differentiate(mode="reverse")
def decorated_det(x):
    return minor_det(x, list(range(x.shape[0])), list(range(x.shape[0])))


def test_through_the_decorator():
    """A decorated function that calls itself by name calls the function, not its derivative."""
    for _ in range(2):  # the second call reuses what the first made
        value, tangent = decorated_chain(X, 2, np.ones_like(X))
        assert relative_error(value, np.sin(np.sin(X))) < 1e-15
        assert relative_error(tangent, np.cos(np.sin(X)) * np.cos(X)) < 1e-13
    a = matrix(4)
    assert relative_error(decorated_det(a)[1], cofactors(a)) < 1e-12


DET_FILE = '''\
import numpy as np


def minor_det(a, rows, cols):
    if len(rows) == 1:
        return a[rows[0], cols[0]]
    total = 0.0
    for j in range(len(cols)):
        sign = 1.0 if j % 2 == 0 else -1.0
        total = total + sign * a[rows[0], cols[j]] * minor_det(a, rows[1:], cols[:j] + cols[j + 1:])
    return total


def det(x):
    return minor_det(x, list(range(x.shape[0])), list(range(x.shape[0])))
'''


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_sct_transform_emits_a_module_that_runs(tmp_path, mode):
    path = tmp_path / "det_file.py"
    path.write_text(DET_FILE)
    out = tmp_path / f"det_{mode}.py"
    result = run("transform", str(path), "--mode", mode, "-o", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    module = load(out)
    a = matrix(4)
    v = np.random.default_rng(3).standard_normal((4, 4))
    if mode == "forward":
        value, tangent = module.diff_det(a, v)
        assert relative_error(tangent, np.sum(cofactors(a) * v)) < 1e-12
        _, minor_tangent = module.diff_minor_det(a, [1, 2, 3], [0, 2, 3], v)
        rows, cols = np.ix_([1, 2, 3], [0, 2, 3])
        assert relative_error(minor_tangent, np.sum(cofactors(a[rows, cols]) * v[rows, cols])) < 1e-12
    else:
        value, grad = module.diff_det(a)
        assert relative_error(grad, cofactors(a)) < 1e-12
        _, minor_grad = module.diff_minor_det(a, [0, 1, 2, 3], [0, 1, 2, 3], 2.0)
        assert relative_error(minor_grad, 2.0 * cofactors(a)) < 1e-12
    assert relative_error(value, np.linalg.det(a)) < 1e-12


def test_sct_transform_refuses_a_depth_that_follows_the_input(tmp_path):
    path = tmp_path / "halve.py"
    path.write_text("def halve(x):\n    if x > 1.0:\n        return halve(x / 2.0)\n    return x * x\n")
    result = run("transform", str(path), "--mode", "reverse", "--print")
    assert_input_error(result, "halve.py:3:16", "recursive call to 'halve' depends on `x > 1.0`")


@pytest.mark.parametrize("f, where, test", [
    (rp.halving, "halving(x / 2.0)", "x > 1.0"),
    (rp.early_exit, "early_exit(x * 2.0)", "np.sum(x) > 1.0"),
    (rp.depth_from_value, "counted(np.sin(x), k - 1)", "n <= 0"),
    (rp.ping, "pong(x)", "np.sum(x) > 3.0"),
    (rp.loop_break_of, "loop_break(x, j)", "np.sum(total) > 10.0"),
    (rp.ternary_of, "ternary(x, k - 1)", "x[0] > 0"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_a_depth_that_follows_the_input_is_refused(f, where, test):
    lines = open(rp.__file__).read().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if where in text and "def " not in text)
    for make in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError) as info:
            make(f)
        error = info.value
        assert f"recursion.py:{line}:" in str(error) and "recursive call" in str(error), str(error)
        assert f"`{test}`" in str(error) and "shapes or integer arguments" in error.hint


def test_a_test_that_does_not_decide_the_depth_is_accepted():
    check_every_mode(rp.signed, rp.signed, X)


def test_a_write_made_through_the_recursive_call_counts():
    """``write_swapped`` writes into its second argument only as the first of its recursive call: its
    summary is made again until it holds, and the caller's later read of ``b`` is refused."""
    with pytest.raises(sct.SCTError, match="writes into its parameter 'q' in place"):
        sct.grad(rp.reads_after_swapped_write)(X)


# The seed of a recursive function's reverse derivative is checked and shaped like any other's
from programs import recursive_outputs as outputs  # noqa: E402


@pytest.mark.parametrize("f", [outputs.power_chain, outputs.doubled, outputs.plus_itself])
def test_recursive_seed_defaults_to_ones_and_refuses_a_wrong_shape(f):
    x = np.array([0.7, 0.1])
    value, default = sct.reverse(f)(x, 2)
    _, ones = sct.reverse(f)(x, 2, seed=np.ones(np.shape(value)))
    np.testing.assert_allclose(default, ones, rtol=1e-14)
    with pytest.raises(ValueError, match="seed"):
        sct.reverse(f)(x, 2, seed=np.ones(np.shape(value) + (2,)))


def test_recursive_gradient_is_not_the_seed():
    x, seed = np.array([0.5, -1.0]), np.array([1.0, 2.0])
    _, grad = sct.reverse(outputs.plus_itself)(x, 0, seed=seed)
    assert grad is not seed and np.array_equal(seed, [1.0, 2.0])
