"""Helpers shared by the evaluation-order tests (tests/test_sound_order_*.py)."""
import importlib.util

import numpy as np
from oracle import central_difference, check_both_modes, parameter_names, relative_error

import sct


def check_all(f, args, wrt_index=0, rtol=1e-6):
    """Forward, reverse (random seed), reverse with the default seed and ``grad`` against central
    differences of ``f`` (the default seed differentiates the sum of the output's entries)."""
    check_both_modes(f, args, wrt_index, rtol=rtol)
    wrt = parameter_names(f)[wrt_index]
    x = np.asarray(args[wrt_index], dtype=float)
    expected = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[k] = 1.0
        expected[k] = np.sum(central_difference(f, args, wrt_index, e if x.ndim else 1.0))
    value, adjoint = sct.reverse(f, wrt=wrt)(*args)
    assert np.allclose(value, f(*args), rtol=1e-12, atol=1e-12)
    assert relative_error(adjoint, expected) < rtol, (adjoint, expected)
    if np.ndim(value) == 0:
        assert relative_error(sct.grad(f, wrt=wrt)(*args), expected) < rtol


def module_from_source(tmp_path, name, source):
    """Import ``source`` as a module from a file (sct reads a function's source from its file)."""
    path = tmp_path / f"{name}.py"
    path.write_text("import numpy as np\n\n\n" + source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
