"""The module `sct transform` writes refuses, when called, a list or tuple where the API refuses one: for
a parameter the function joins or repeats with ``+``/``*`` (every mode), and in reverse mode for one whose
elements it writes (the sweep keeps a list argument's adjoint as one array: a write that changes an
element's shape made a wrong gradient without a word). Arrays, and lists elsewhere, are differentiated."""
from pathlib import Path

import numpy as np
import pytest
from cli_support import load, run, write
from oracle import relative_error, richardson_difference

SOURCE = '''\
    import numpy as np


    def reshaped_back(xs):
        xs[0] = np.sum(xs[0])
        y = xs[0] * 3.0
        xs[0] = np.ones(2) * y
        return np.sum(xs[0] * xs[1])


    def joined(xs):
        ys = xs + xs
        return np.sum(np.asarray(ys[0]) * np.asarray(ys[-1]))


    def read_only(xs):
        return np.sum(xs[0] * xs[1] ** 2)
    '''
ROWS = [np.array([1.0, 2.0]), np.array([0.5, -1.0])]


@pytest.fixture(scope="module")
def emitted(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("sequences")
    source = write(folder, "sequences.py", SOURCE)
    modules = {}
    for mode in ("forward", "reverse"):
        target = folder / f"{mode}.py"
        assert run("transform", str(source), "--mode", mode, "-o", str(target)).exit_code == 0
        modules[mode] = load(target)
    return load(source), modules


def test_a_list_written_into_is_refused_by_the_reverse_module(emitted):
    original, modules = emitted
    with pytest.raises(TypeError, match="argument 'xs' is a list: the function writes its elements"):
        modules["reverse"].diff_reshaped_back([r.copy() for r in ROWS])
    value, gradient = modules["reverse"].diff_reshaped_back(np.array(ROWS))
    x = np.array(ROWS)
    numeric = np.array([richardson_difference(original.reshaped_back, (x,), {0: e.reshape(2, 2)})
                        for e in np.eye(4)]).reshape(2, 2)
    assert relative_error(value, original.reshaped_back(x.copy())) < 1e-12
    assert relative_error(gradient, numeric) < 1e-7
    v = [np.ones(2), np.zeros(2)]
    _, tangent = modules["forward"].diff_reshaped_back([r.copy() for r in ROWS], v)
    assert np.isclose(tangent, 2 * 3 * np.sum(ROWS[1]))  # item by item: right for the list


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_a_joined_list_is_refused_by_the_module_in_every_mode(emitted, mode):
    module = emitted[1][mode]
    extra = ([1.0, 1.0],) if mode == "forward" else ()
    with pytest.raises(TypeError, match="joins or repeats it"):
        module.diff_joined([1.0, 2.0], *extra)


def test_a_list_only_read_is_differentiated(emitted):
    original, modules = emitted
    value, gradient = modules["reverse"].diff_read_only([r.copy() for r in ROWS])
    assert relative_error(value, original.read_only(ROWS)) < 1e-12
    assert np.allclose(gradient[0], ROWS[1] ** 2) and np.allclose(gradient[1], 2 * ROWS[0] * ROWS[1])
