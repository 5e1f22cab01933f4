"""`sct check`: emitted derivatives against divided differences, printed as a table."""
from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import FUNCTION_PY, assert_input_error, run, write


@pytest.fixture
def function_py(tmp_path: Path) -> Path:
    return write(tmp_path, "function.py", FUNCTION_PY)


def test_check_prints_a_table_and_passes(function_py: Path):
    result = run("check", str(function_py), "--function", "f")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("f(x1=")
    header = ["argument", "shape", "mode", "derivative", "difference", "rel.", "error", "step"]
    assert lines[1].split() == header
    rows = [line.split() for line in lines[2:6]]
    assert [(r[0], r[2], r[-1]) for r in rows] == [("x1", "forward", "ok"), ("x1", "reverse", "ok"),
                                                    ("x2", "forward", "ok"), ("x2", "reverse", "ok")]
    assert all(float(r[5]) < 1e-6 and float(r[6]) > 0 for r in rows)
    assert "ok: all 4 derivatives agree" in result.stdout


def test_check_fails_above_tolerance(function_py: Path):
    result = run("check", str(function_py), "-f", "f", "--tol", "1e-30")
    assert result.exit_code == 1
    assert "FAIL" in result.stdout and "differ by more than 1e-30" in result.stdout


def test_check_catches_a_wrong_derivative(tmp_path: Path):
    source = write(tmp_path, "jumpy.py", """\
        import numpy as np


        def staircase(x):
            return x + np.floor(x * 1e7)
        """)
    result = run("check", str(source))
    assert result.exit_code == 1 and "FAIL" in result.stdout


def test_check_shapes_values_and_seed(tmp_path: Path):
    source = write(tmp_path, "arrays.py", """\
        import numpy as np


        def energy(x, w, power):
            return np.sum(w @ x ** power)
        """)
    args = ["check", str(source), "--shape", "x=3,2", "--shape", "w=4,3", "--value", "power=3"]
    result = run(*args, "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "x=array(3, 2), w=array(4, 3), power=3" in result.stdout
    assert "(3, 2)" in result.stdout and "(4, 3)" in result.stdout and "power  " not in result.stdout
    assert run(*args, "--seed", "5").stdout == result.stdout
    assert run(*args, "--seed", "6").stdout != result.stdout


def test_check_executes_the_file(tmp_path: Path):
    marker = tmp_path / "ran.marker"
    source = write(tmp_path, "side.py", f"""\
        open({str(marker)!r}, "w").write("ran")


        def g(x):
            return x ** 3
        """)
    assert run("check", str(source)).exit_code == 0
    assert marker.exists()


@pytest.mark.parametrize("args, message", [
    (["--shape", "x"], "expected NAME=VALUE"),
    (["--shape", "x=a,b"], "a shape is integers"),
    (["--value", "x=open("], "not a Python literal"),
])
def test_check_bad_options(function_py: Path, args, message):
    assert_input_error(run("check", str(function_py), "-f", "f", *args), message)


def test_check_reports_import_and_call_failures(tmp_path: Path):
    broken = write(tmp_path, "broken.py", "raise RuntimeError('boom')\n\ndef f(x):\n    return x\n")
    assert_input_error(run("check", str(broken)), "importing it failed: RuntimeError: boom")
    needs_shape = write(tmp_path, "rows.py", "import numpy as np\n\ndef f(x):\n    return np.sum(x[1])\n")
    assert_input_error(run("check", str(needs_shape)), "--shape")

