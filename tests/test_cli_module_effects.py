"""Silent wrong derivatives found by review: `sct transform` copies a module-level constant's assignments
into the emitted module but drops the module-level statements that change it afterwards without
assigning it (a method call, a numpy call writing into it, a loop), so the emitted derivative computes
with another constant than the source: a wrong value and a wrong derivative, without a word.

Each test fails loudly (strict xfail) once the emitted module keeps those statements or refuses them.
"""
from pathlib import Path

import numpy as np
import pytest
from cli_support import assert_input_error, load, run, write
from oracle import relative_error, richardson_difference

SOURCE = '''\
import numpy as np

OFFSETS = [1.0, 2.0, 3.0]
OFFSETS.append(4.0)
WEIGHTS = np.zeros(3)
np.copyto(WEIGHTS, np.array([1.0, 2.0, 3.0]))
HALVES = np.zeros(3)
HALVES.fill(0.5)
RAMP = np.arange(3.0)
for _i in range(3):
    RAMP[_i] += 1.0


def by_list_method(x):
    return x[0] * len(OFFSETS) + x[1] * OFFSETS[-1]


def by_numpy_write(x):
    return np.sum(WEIGHTS * x ** 2)


def by_array_method(x):
    return np.sum(HALVES * x ** 3)


def by_loop(x):
    return np.sum(RAMP * x ** 2)
'''

X = np.array([0.53, -1.37, 2.21])


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("constants")
    source = write(folder, "constants.py", SOURCE)
    target = folder / "diff_constants.py"
    result = run("transform", str(source), "--mode", "reverse", "-o", str(target))
    if result.exit_code != 0:
        return None  # refused: right too
    return load(source), load(target)


@pytest.mark.parametrize("name", ["by_list_method", "by_numpy_write", "by_array_method", "by_loop"])
def test_emitted_derivative_sees_the_constant_the_source_sees(modules, name):
    if modules is None:
        return
    original, emitted = modules
    f = getattr(original, name)
    value, gradient = getattr(emitted, f"diff_{name}")(X)
    numeric = np.array([richardson_difference(f, (X,), {0: e}) for e in np.eye(3)])
    assert relative_error(value, f(X)) < 1e-12
    assert relative_error(gradient, numeric) < 1e-7


BOUND_IN_BLOCKS = '''\
import numpy as np

try:
    SCALE = np.array([2.0, 3.0, 5.0])
except ImportError:
    SCALE = None
if SCALE is not None:
    BIAS = SCALE * 0.5
else:
    BIAS = 0.0
with np.errstate(divide="ignore"):
    LINES = float(np.log(3.0))
VIEW_OF = np.ones(3)
VIEW = VIEW_OF[:2]
VIEW.fill(4.0)
FILLED = np.zeros(3)


def _fill():
    FILLED[:] = 1.5


_fill()


def blocks(x):
    return np.sum(SCALE * x ** 2 + BIAS * x) + LINES * x[0]


def through_a_view(x):
    return np.sum(VIEW_OF * x ** 2)


def through_a_function(x):
    return np.sum(FILLED * x ** 3)


if __name__ == "__main__":
    FILLED *= 100.0
    print(blocks(np.ones(3)))
'''


@pytest.fixture(scope="module")
def block_modules(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("blocks")
    source = write(folder, "blocks.py", BOUND_IN_BLOCKS)
    target = folder / "diff_blocks.py"
    result = run("transform", str(source), "--mode", "reverse", "-o", str(target))
    assert result.exit_code == 0, result.output + result.stderr
    assert source.read_text() == BOUND_IN_BLOCKS, "the input file is never changed"
    return source, target


@pytest.mark.parametrize("name", ["blocks", "through_a_view", "through_a_function"])
def test_constants_bound_or_changed_in_blocks_views_and_calls(block_modules, name):
    source, target = block_modules
    f = getattr(load(source), name)
    value, gradient = getattr(load(target), f"diff_{name}")(X)
    numeric = np.array([richardson_difference(f, (X,), {0: e}) for e in np.eye(3)])
    assert relative_error(value, f(X)) < 1e-12
    assert relative_error(gradient, numeric) < 1e-7


def test_the_script_block_is_not_copied(block_modules):
    text = block_modules[1].read_text()
    assert "__main__" not in text and "print(" not in text


def test_forward_mode_sees_the_changed_constants(tmp_path: Path):
    source = write(tmp_path, "constants.py", SOURCE)
    target = tmp_path / "forward.py"
    assert run("transform", str(source), "-o", str(target)).exit_code == 0
    original, emitted = load(source), load(target)
    for name in ("by_list_method", "by_numpy_write", "by_array_method", "by_loop"):
        f = getattr(original, name)
        v = np.array([0.3, -1.1, 0.7])
        value, tangent = getattr(emitted, f"diff_{name}")(X, v)
        assert relative_error(value, f(X)) < 1e-12
        assert relative_error(tangent, richardson_difference(f, (X,), {0: v})) < 1e-7


def test_unrelated_statements_stay_out(tmp_path: Path):
    source = write(tmp_path, "unrelated.py", '''\
        import numpy as np

        USED = np.ones(2)
        OTHER = [1.0]
        OTHER.append(2.0)
        print(OTHER)


        def f(x):
            return np.sum(USED * x)
        ''')
    text = run("transform", str(source), "--print").stdout
    assert "USED = np.ones(2)" in text and "OTHER" not in text and "print" not in text
    target = tmp_path / "diff_unrelated.py"
    target.write_text("# mine\n")
    assert run("transform", str(source)).exit_code != 0 and target.read_text() == "# mine\n"


def test_a_copied_statement_that_reads_the_files_own_path_is_refused(tmp_path: Path):
    source = write(tmp_path, "own_path.py", '''\
        import os

        SIZE = float(len(os.path.basename(__file__)))


        def f(x):
            return x * SIZE
        ''')
    result = run("transform", str(source))
    assert_input_error(result, "own_path.py:3:1:", "__file__", "hint:")
    assert not (tmp_path / "diff_own_path.py").exists()
