"""`sct check` at several points (both signs, magnitudes 1e-3..1e2, zeros), at the user's inputs and
examples, with a crash inside sct reported as an internal error and every function checked."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cli_support import FUNCTION_PY, assert_input_error, run, write

import sct.cli.check as cli_check
from sct.cli.check_points import points


@pytest.fixture
def function_py(tmp_path: Path) -> Path:
    return write(tmp_path, "function.py", FUNCTION_PY)


def _tables(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line and not line.startswith(" ")]


def test_draws_take_both_signs_several_magnitudes_and_zeros():
    rng, extra = np.random.default_rng(0), np.random.default_rng(1)
    drawn = points(["x", "y"], {"n": 3}, [], {"x": (50,)}, 6, rng, extra, ["x", "n", "y"])
    assert [p.label for p in drawn] == [f"draw {d}" for d in range(1, 7)]
    assert list(drawn[0].values) == ["x", "n", "y"] and all(p.values["n"] == 3 for p in drawn)
    first = drawn[0].values["x"]
    assert first.shape == (50,) and np.all((first >= 0.5) & (first <= 1.5))
    later = np.concatenate([np.ravel(p.values["x"]) for p in drawn[1:]])
    assert later.min() < -1.0 and later.max() > 1.0
    assert np.any((np.abs(later) < 1e-2) & (later != 0)) and np.max(np.abs(later)) <= 100.0
    assert np.any(drawn[2].values["x"] == 0) and not np.any(drawn[1].values["x"] == 0)
    again = points(["x", "y"], {"n": 3}, [], {"x": (50,)}, 1, np.random.default_rng(0), extra,
                   ["x", "n", "y"])
    assert np.array_equal(again[0].values["x"], first), "draw 1 does not depend on --draws"


@pytest.mark.parametrize("body", [
    "return x + np.floor(np.minimum(x, 0.0) * 1e7)",            # wrong only at negative inputs
    "return x + np.floor(np.maximum(x - 5.0, 0.0) * 1e7)",      # only at large ones
    "return x + np.floor(np.maximum(0.01 - np.abs(x), 0.0) * 1e9)",  # only at small ones
])
def test_check_finds_what_only_other_points_show(tmp_path: Path, body: str):
    source = write(tmp_path, "hidden.py", f"import numpy as np\n\n\ndef f(x):\n    {body}\n")
    assert run("check", str(source), "--draws", "1").exit_code == 0
    result = run("check", str(source), "--shape", "x=20", "--draws", "4")
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.stdout and ") at draw " in result.stdout
    assert "f(x=array(20,))" in result.stdout.splitlines()[0]


def test_draws_option_counts_points(function_py: Path):
    result = run("check", str(function_py), "-f", "f", "--draws", "5")
    assert result.exit_code == 0, result.output
    assert [f"draw {d}" in result.stdout for d in range(2, 6)] == [True] * 4
    assert "ok: all 4 derivatives agree within 1e-06 at 5 points" in result.stdout


def test_points_where_the_function_is_undefined_are_skipped(tmp_path: Path):
    source = write(tmp_path, "logs.py", "import numpy as np\n\n\ndef f(x):\n    return np.log(x) * x\n")
    result = run("check", str(source), "--draws", "6", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "skipped draw" in result.stdout and "f is not finite there" in result.stdout


def test_user_inputs_are_checked_first_and_set_the_shapes(tmp_path: Path):
    source = write(tmp_path, "arrays.py", "import numpy as np\n\n\ndef f(x1, x2):\n"
                                          "    return np.sum(np.sin(x1) * x2 ** 2)\n")
    result = run("check", str(source), "--input", "x1=[[-2.5, 0], [1, 1e-3]]",
                 "--input", "x2=[[1, 2], [3, 4]]")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("f(x1=array(2, 2) in [-2.5, 1.0], x2=array(2, 2) in [1.0, 4.0]) at example 1")
    assert "(2, 2)" in result.stdout and "ok at draw 2: x1=" in result.stdout
    assert "x2=array(2, 2) in" in result.stdout.split("ok at draw 1")[1]


def test_examples_in_the_file(tmp_path: Path):
    source = write(tmp_path, "examples.py", """\
        import numpy as np


        def f(x, w, n=2):
            return np.sum(np.sin(x) * w) ** n


        def g(y):
            return y ** 3


        SCT_EXAMPLES = {"f": [{"x": [0.0, -3.0], "w": 2.0}, {"x": np.ones((2, 2)), "n": 3}], "g": {"y": -4.0}}
        """)
    result = run("check", str(source))
    assert result.exit_code == 0, result.output
    assert "f(x=array(2,) in [-3.0, 0.0], w=2.0) at example 1" in result.stdout
    assert "ok at example 2: x=array(2, 2) in [1.0, 1.0], w=" in result.stdout and "n=3" in result.stdout
    assert "g(y=-4.0) at example 1" in result.stdout
    bad = write(tmp_path, "bad.py", "def f(x):\n    return x\n\n\nSCT_EXAMPLES = {'f': {'z': 1.0}}\n")
    assert_input_error(run("check", str(bad)), "SCT_EXAMPLES['f'] names z", "it takes x")


@pytest.mark.parametrize("option", ["--shape", "--value", "--input"])
def test_unknown_parameter_names_are_errors(function_py: Path, option: str):
    result = run("check", str(function_py), "-f", "f", option, "q=3")
    assert_input_error(result, f"{option} q", "f takes x1, x2")


def test_an_input_cannot_also_be_a_fixed_value(function_py: Path):
    result = run("check", str(function_py), "-f", "f", "--input", "x1=2.0", "--value", "x1=3.0")
    assert_input_error(result, "--input and --value both give x1")


def test_every_function_is_checked_when_one_fails(tmp_path: Path):
    source = write(tmp_path, "mixed.py", """\
        import numpy as np


        def rows(x):
            return np.sum(x[1])


        def good(y):
            return np.sin(y)
        """)
    result = run("check", str(source))
    assert result.exit_code == 2
    assert "--shape" in result.stderr and "good(y=" in result.stdout
    assert "ERROR: 1 of 2 functions could not be checked: rows (bad input)" in result.stdout
    refused = write(tmp_path, "refused.py", "def gen(x):\n    return {k: x for k in range(3)}[1]\n\n\n"
                                            "def good(y):\n    return y * y\n")
    result = run("check", str(refused))
    assert_input_error(result, "refused.py:2:", "hint:")
    assert "good(y=" in result.stdout and "gen (refused by sct)" in result.stdout


def _crashing(mode: str, how):
    real = cli_check.emitted_derivative

    def emitted(source, name, which, wrt):
        function, args = real(source, name, which, wrt)
        if which != mode or name != "f":
            return function, args

        def broken(*a, **k):
            return how(function, *a, **k)
        return broken, args
    return emitted


def _raise(function, *args, **keywords):
    raise ValueError("boom inside the derivative")


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_a_crash_inside_a_derivative_is_an_internal_error(tmp_path: Path, monkeypatch, mode: str):
    source = write(tmp_path, "two.py", "def f(x):\n    return x * x\n\n\ndef g(y):\n    return y * 2.0\n")
    monkeypatch.setattr(cli_check, "emitted_derivative", _crashing(mode, _raise))
    result = run("check", str(source))
    assert result.exit_code == 3, result.output
    assert f"internal error in sct: the {mode}-mode derivative of f raised ValueError: boom" in result.stderr
    assert "--shape" not in result.stderr and "Traceback" not in result.stderr
    assert "g(y=" in result.stdout and "f (internal error in sct)" in result.stdout


def test_a_crash_while_transforming_is_an_internal_error(function_py: Path, monkeypatch):
    def emit(*args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'kind'")
    monkeypatch.setattr(cli_check, "emit_file", emit)
    result = run("check", str(function_py), "-f", "f,square_plus")
    assert result.exit_code == 3
    assert "internal error in sct: AttributeError" in result.stderr
    assert "ERROR: 2 of 2 functions could not be checked" in result.stdout


def _wrong_value(function, *args, **keywords):
    value, derivative = function(*args, **keywords)
    return value + 1.0, derivative


def _mutating(function, *args, **keywords):
    result = function(*args, **keywords)
    args[0][...] = 0.0
    return result


def _default_seed_doubles(function, *args, **keywords):
    value, adjoint = function(*args, **keywords)
    return value, adjoint if keywords else 2 * adjoint


@pytest.mark.parametrize("how, message", [
    (_wrong_value, "returns a value that is not f's"),
    (_mutating, "changes the argument x differently from f"),
    (_default_seed_doubles, "with its default seed gives x an adjoint other than a seed of ones does"),
])
def test_a_derivative_must_return_the_value_and_leave_the_inputs(tmp_path: Path, monkeypatch, how, message):
    source = write(tmp_path, "vec.py", "import numpy as np\n\n\ndef f(x):\n    return np.sin(x) * x\n")
    monkeypatch.setattr(cli_check, "emitted_derivative", _crashing("reverse", how))
    result = run("check", str(source), "--shape", "x=3")
    assert result.exit_code == 1, result.output
    assert f"FAIL: the reverse-mode derivative {message}" in result.stdout


def test_kinks_at_zero_are_not_counted(tmp_path: Path):
    source = write(tmp_path, "kink.py", "import numpy as np\n\n\ndef f(x):\n    return np.maximum(x, 0.0)\n")
    result = run("check", str(source), "--input", "x=0.0", "--draws", "1")
    assert result.exit_code == 0, result.output
    statuses = {line.split()[-1] for line in result.stdout.splitlines() if line.startswith("  x ")}
    assert statuses <= {"ok", "kink"}
