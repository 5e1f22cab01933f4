"""Points, oracles and a function shared by the index-write tests (tests/test_sound_index_*.py)."""
import numpy as np
from oracle import central_difference, check_both_modes, parameter_names, relative_error

import sct

X3 = np.array([0.5, 1.7, -0.8])
X4 = np.array([0.3, 1.4, -0.9, 2.2])


def numeric_gradient(f, args, index=0):
    """Central-difference gradient of ``sum(f)`` with respect to argument ``index``, in its shape."""
    x = np.asarray(args[index], dtype=float)
    columns = [central_difference(lambda *a: np.sum(f(*a)), args, index, e.reshape(x.shape))
               for e in np.eye(x.size)]
    return np.array(columns, dtype=float).reshape(x.shape)


def check_all(f, *args, index=0):
    """Forward, reverse (random seed), reverse (default seed) and ``grad`` against central differences."""
    check_both_modes(f, args, index)
    expected = numeric_gradient(f, args, index)
    wrt = parameter_names(f)[index]
    _, adjoint = sct.reverse(f, wrt=wrt)(*args)
    assert np.shape(adjoint) == np.shape(args[index])
    assert relative_error(adjoint, expected) < 1e-6, (adjoint, expected)
    if np.ndim(f(*args)) == 0:
        gradient = sct.grad(f, wrt=wrt)(*args)
        assert relative_error(gradient, expected) < 1e-6, (gradient, expected)


def into_buffer(x, buf):
    b = np.copy(buf)
    b[1:] = x[:2] * 2.0
    return np.sum(b * x)
