"""`sct transform` (and the command line as a whole) through click's CliRunner and as a subprocess.

`sct check` has its own file, test_cli_check.py; both share cli_support.py.
"""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_support import FUNCTION_PY, assert_input_error, central, f_reference, load, run, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def function_py(tmp_path: Path) -> Path:
    return write(tmp_path, "function.py", FUNCTION_PY)


# ------------------------------------------------------------------------------------------- transform
def test_transform_writes_diff_file_beside_input(function_py: Path):
    result = run("transform", str(function_py))
    assert result.exit_code == 0, result.output
    target = function_py.with_name("diff_function.py")
    assert f"wrote {target}" in result.stdout
    text = target.read_text()
    assert text.startswith('"""Forward-mode derivatives of function.py')
    assert "mode: forward" in text and "with respect to x1" in text
    module = load(target)
    value, dot = module.diff_f(0.7, 1.3, 1.0)
    assert value == pytest.approx(f_reference(0.7, 1.3))
    assert dot == pytest.approx(central(f_reference, [0.7, 1.3], 0), rel=1e-8)


def test_emitted_module_is_standalone(function_py: Path):
    text = run("transform", str(function_py), "--print", "--mode", "reverse").stdout
    assert "import sct" not in text and "from sct" not in text
    assert "from math import sin" in text and "SHIFT = np.log(2 * np.pi)" in text
    assert "def diff_square_plus(" in text and "def diff_f(" in text
    assert "def main" not in text and "_private" not in text


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_original_functions_and_constants_are_copied_as_needed(tmp_path: Path, mode: str):
    source = write(tmp_path, "model.py", """\
        import math
        import sct
        import numpy as np

        BASE = 2.0
        SHIFT = math.log(BASE)
        UNUSED = 7


        def offset(c):
            return c * BASE + SHIFT


        def g(x):
            return x * offset(1.5)
        """)
    out = tmp_path / f"{mode}.py"
    assert run("transform", str(source), "-f", "g", "--mode", mode, "-o", str(out)).exit_code == 0
    text = out.read_text()
    assert "def offset(c):" in text and "BASE = 2.0\nSHIFT = math.log(BASE)" in text
    assert "import math" in text and "UNUSED" not in text and "import sct" not in text
    value, derivative = load(out).diff_g(2.0, *([1.0] if mode == "forward" else []))
    assert value == pytest.approx(2.0 * (3.0 + math.log(2.0)))
    assert derivative == pytest.approx(3.0 + math.log(2.0))


def test_default_transforms_every_public_function_with_parameters(function_py: Path):
    result = run("transform", str(function_py), "--print")
    names = [line.split("(")[0][4:] for line in result.stdout.splitlines() if line.startswith("def diff_")]
    assert names == ["diff_square_plus", "diff_f"]


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_a_transformed_function_calling_another(tmp_path: Path, mode: str):
    source = write(tmp_path, "calls.py", """\
        def f(x):
            return g(x, x * x) + g(x, 2.0)


        def g(a, b):
            return a * b
        """)
    out = tmp_path / f"calls_{mode}.py"
    assert run("transform", str(source), "--mode", mode, "-o", str(out)).exit_code == 0
    text = out.read_text()
    names = [line[4:].split("(")[0] for line in text.splitlines() if line.startswith("def diff_")]
    assert len(names) == len(set(names)), "every emitted function has its own name"
    module = load(out)
    tangent = [1.0] if mode == "forward" else []
    assert module.diff_f(1.5, *tangent)[1] == pytest.approx(3 * 1.5**2 + 2.0)
    assert module.diff_g(1.5, 0.5, *tangent)[1] == pytest.approx(0.5)


def test_function_option_and_private_function(function_py: Path):
    text = run("transform", str(function_py), "--print", "--function", "_private").stdout
    assert "def diff__private(z, z_dot):" in text and "def diff_f" not in text
    both = run("transform", str(function_py), "--print", "-f", "f,_private").stdout
    assert "def diff_f(" in both and "def diff__private(" in both


def test_reverse_mode_with_wrt_and_output(function_py: Path, tmp_path: Path):
    out = tmp_path / "grads.py"
    result = run("transform", str(function_py), "--function", "f", "--mode", "reverse", "--wrt", "x1,x2",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "mode: reverse" in text and "with respect to x1, x2" in text
    assert "-o grads.py" in text, "the header says how to regenerate the file"
    value, (x1_bar, x2_bar) = load(out).diff_f(0.7, 1.3)
    assert value == pytest.approx(f_reference(0.7, 1.3))
    assert x1_bar == pytest.approx(central(f_reference, [0.7, 1.3], 0), rel=1e-8)
    assert x2_bar == pytest.approx(central(f_reference, [0.7, 1.3], 1), rel=1e-8)


def test_transform_file_regenerates_what_the_command_wrote(function_py: Path, tmp_path: Path):
    """The API a test uses to prove a checked-in derivative is current."""
    from sct.cli.module import transform_file

    out = tmp_path / "generated" / "grads.py"
    out.parent.mkdir()
    assert run("transform", str(function_py), "-f", "f", "--mode", "reverse", "--wrt", "x2", "-o", str(out),
               "--no-comments").exit_code == 0
    again = transform_file(function_py, ["f"], "reverse", ["x2"], comments=False, output=out)
    assert again.text == out.read_text()
    assert "-o generated/grads.py" in again.text


def test_forward_mode_with_two_tangents(function_py: Path, tmp_path: Path):
    out = tmp_path / "tangents.py"
    result = run("transform", str(function_py), "-f", "f", "--wrt", "x1", "--wrt", "x2", "-o", str(out))
    assert result.exit_code == 0, result.output
    _, dot = load(out).diff_f(0.7, 1.3, 0.0, 1.0)
    assert dot == pytest.approx(0.7)


def test_line_comments_name_the_original_line(function_py: Path):
    text = run("transform", str(function_py), "--print", "-f", "f").stdout
    line = FUNCTION_PY.splitlines().index("    w4 = sin(x1)") + 1
    emitted = next(row for row in text.splitlines() if row.strip().startswith("w4_dot ="))
    assert emitted.endswith(f"# line {line}")
    plain = run("transform", str(function_py), "--print", "-f", "f", "--no-comments").stdout
    assert "# line" not in plain
    stripped = "\n".join(row.split("  # line")[0] for row in text.splitlines()) + "\n"
    assert plain.split('"""', 2)[2] == stripped.split('"""', 2)[2], "only the comments differ"


def test_transform_never_executes_the_input(tmp_path: Path):
    marker = tmp_path / "executed.marker"
    source = write(tmp_path, "model.py", f"""\
        import numpy as np
        open({str(marker)!r}, "w").write("the file ran")
        raise SystemExit("importing this file is not allowed")


        def g(x):
            return np.exp(x) * x
        """)
    result = run("transform", str(source))
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    _, dot = load(tmp_path / "diff_model.py").diff_g(0.5, 1.0)
    assert dot == pytest.approx(math.exp(0.5) * 1.5)


def test_existing_output_needs_force(function_py: Path):
    target = function_py.with_name("diff_function.py")
    target.write_text("# mine\n")
    result = run("transform", str(function_py))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text() == "# mine\n"
    assert run("transform", str(function_py), "--force").exit_code == 0
    assert "def diff_f(" in target.read_text()


def test_refuses_to_overwrite_the_input(function_py: Path):
    result = run("transform", str(function_py), "-o", str(function_py), "--force")
    assert result.exit_code == 2 and "input file" in result.stderr
    assert function_py.read_text() == FUNCTION_PY


# ----------------------------------------------------------------------------------------------- errors
def test_missing_file(tmp_path: Path):
    assert_input_error(run("transform", str(tmp_path / "nothere.py")), "nothere.py: no such file")


def test_syntax_error_shows_line_and_caret(tmp_path: Path):
    source = write(tmp_path, "bad.py", "import numpy as np\n\ndef f(x):\n    y = = x\n    return y\n")
    result = run("transform", str(source))
    assert_input_error(result, "bad.py:4:9: syntax error", "    y = = x\n        ^")


def test_unknown_function_lists_the_available_ones(function_py: Path):
    assert_input_error(run("transform", str(function_py), "--function", "nope"),
                       "no function named 'nope'", "square_plus, f, _private, main")


def test_unsupported_construct_is_located_with_a_hint(tmp_path: Path):
    source = write(tmp_path, "unsup.py", """\
        import numpy as np
        import mylib


        def f(x):
            y = np.sin(x)
            return mylib.blackbox(y) + 1
        """)
    result = run("transform", str(source))
    assert_input_error(result, "unsup.py:7:12:", "mylib.blackbox", "hint:", "^")
    debug = run("transform", str(source), "--debug")
    assert debug.exit_code != 0 and type(debug.exception).__name__ == "SCTError"


def test_wrt_that_is_not_a_parameter(function_py: Path):
    assert_input_error(run("transform", str(function_py), "-f", "f", "--wrt", "zz"),
                       "--wrt zz: not a parameter of f(x1, x2)")


def test_wrt_selects_the_functions_that_have_it(function_py: Path):
    text = run("transform", str(function_py), "--print", "--wrt", "x2").stdout
    assert "def diff_f(x1, x2, x2_dot)" in text and "def diff_square_plus" not in text


@pytest.mark.parametrize("args, message", [
    (["--print", "-o", "x.py"], "either --print or -o"),
    (["--mode", "sideways"], "Invalid value for '-m' / '--mode'"),
    (["--function", "f,"], "empty name"),
])
def test_usage_errors(function_py: Path, args, message):
    assert_input_error(run("transform", str(function_py), *args), message)


def test_no_function_to_transform(tmp_path: Path):
    source = write(tmp_path, "empty.py", "X = 1\n\ndef _hidden(x):\n    return x\n")
    assert_input_error(run("transform", str(source)), "no public top-level function", "_hidden")


# ------------------------------------------------------------------------------------- help and version
@pytest.mark.parametrize("command, options", [
    ([], ["transform", "check", "--version", "Examples:", "Exit status"]),
    (["transform"], ["--function", "--mode", "--wrt", "--output", "--print", "--force", "--no-comments",
                     "--debug", "Examples:", "never imported or executed", "diff_function.py"]),
    (["check"], ["--function", "--seed", "--tol", "--shape", "--value", "--debug", "Examples:", "IMPORTS"]),
])
def test_help_explains_every_option(command, options):
    result = run(*command, "--help")
    assert result.exit_code == 0
    for option in options:
        assert option in result.stdout


# ------------------------------------------------------------------------------------------ subprocess
def sct_process(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sct", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_python_m_sct_transform_and_check(function_py: Path):
    folder = function_py.parent
    done = sct_process("transform", "function.py", "--mode", "reverse", "--wrt", "x1,x2", cwd=folder)
    assert done.returncode == 0, done.stderr
    value, grads = load(function_py.with_name("diff_function.py")).diff_f(0.3, -0.4)
    assert grads[0] == pytest.approx(central(f_reference, [0.3, -0.4], 0), rel=1e-8)
    assert sct_process("transform", "function.py", cwd=folder).returncode == 2
    checked = sct_process("check", "function.py", "-f", "f", cwd=folder)
    assert checked.returncode == 0 and "ok: all 4" in checked.stdout


def test_subprocess_errors_have_no_traceback_unless_debug(tmp_path: Path):
    write(tmp_path, "bad.py", "def f(x):\n    return x +\n")
    done = sct_process("transform", "bad.py", cwd=tmp_path)
    assert done.returncode == 2 and "bad.py:2" in done.stderr and "Traceback" not in done.stderr
    debug = sct_process("transform", "bad.py", "--debug", cwd=tmp_path)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_console_script_is_declared():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'sct = "sct.cli:main"' in text
    done = subprocess.run([sys.executable, "-c", "from sct.cli.main import main; main(['--version'])"],
                          capture_output=True, text=True, timeout=60)
    assert "0.1.0" in done.stdout


def test_transform_of_the_mixture_objective(tmp_path: Path):
    """A real model: the GMM objective in reverse mode, against central differences."""
    out = tmp_path / "gmm_grad.py"
    result = run("transform", str(ROOT / "mixtures" / "loglik.py"), "--function", "gmm_objective",
                 "--mode", "reverse", "--wrt", "alphas,means,icf", "-o", str(out))
    assert result.exit_code == 0, result.output
    from mixtures.loglik import gmm_objective

    rng = np.random.default_rng(3)
    k, d, n = 3, 2, 12
    args = [rng.standard_normal(k), rng.standard_normal((k, d)), 0.3 * rng.standard_normal((k, 3)),
            rng.standard_normal((n, d)), 1.0, 2]
    value, (_, means_bar, icf_bar) = load(out).diff_gmm_objective(*args)
    assert value == pytest.approx(gmm_objective(*args))
    direction = rng.standard_normal((k, 3))

    def along(step: float) -> float:
        return gmm_objective(args[0], args[1], args[2] + step * direction, *args[3:])

    difference = (along(1e-6) - along(-1e-6)) / 2e-6
    assert np.sum(icf_bar * direction) == pytest.approx(difference, rel=1e-6)
    assert means_bar.shape == (k, d)
