"""Higher-derivative objects copy exactly the arguments their code writes into, and hand out fresh arrays."""
import numpy as np
from oracle import richardson_difference

import sct


def writes_x(x, w):
    x[0] = x[0] * w[0]
    return np.sum(x * x * w)


def writes_w(x, w):
    w[1] = 3.0 * w[1]
    return np.sum(np.sin(x) * w)


def identity_map(x):
    return x


def quadratic(x):
    return 0.5 * np.sum(x * x)


def _numeric_hessian(f, x, w):
    grad = sct.grad(f, wrt="x")
    return np.stack([richardson_difference(lambda x, w: grad(x.copy(), w.copy()), (x, w), {0: e})
                     for e in np.eye(x.size)], axis=-1)


def test_arguments_written_are_left_alone():
    for f in (writes_x, writes_w):
        x, w = np.array([0.3, -1.2, 0.0]), np.array([2.0, -0.5, 1.5])
        before = (x.copy(), w.copy())
        want = _numeric_hessian(f, x, w)
        for _ in range(2):  # the second call sees the arguments as the first left them
            assert np.allclose(sct.hessian(f)(x, w), want, atol=1e-6)
            assert np.allclose(sct.hvp(f)(x, w, np.ones(3)), want @ np.ones(3), atol=1e-6)
            assert np.allclose(sct.jacobian(sct.grad(f), mode="forward")(x, w), want, atol=1e-6)
            gradient = sct.grad(f)(x.copy(), w.copy())
            for mode in ("forward", "reverse"):  # forward mode writes and never undoes it
                assert np.allclose(sct.jacobian(f, mode=mode)(x, w), gradient)
            assert np.array_equal(x, before[0]) and np.array_equal(w, before[1])


def test_results_are_fresh_arrays():
    jacobian = sct.jacobian(identity_map, mode="forward")
    first = jacobian(np.array([1.0, 2.0]))
    first[0, 0] = 7.0  # writable, and no later call sees it
    assert np.array_equal(jacobian(np.array([1.0, 2.0])), np.eye(2))
    assert np.array_equal(sct.jacobian(identity_map, mode="reverse")(np.array([1.0, 2.0])), np.eye(2))
    v = np.array([0.5, -1.0])
    product = sct.hvp(quadratic)(np.array([1.0, 2.0]), v)
    assert np.array_equal(product, v)
    assert not np.shares_memory(product, v) or not product.flags.writeable
