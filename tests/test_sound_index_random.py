"""Index writes (``x[i] = v``, ``x[idx] += v``, masks, slices) get exact derivatives in every mode, or a
transform-time refusal (tests/test_sound_index_*.py).

Random programs of index writes, at first and second order.
"""
import numpy as np
from oracle import central_difference, relative_error

import sct

# ------------------------------------------------------------------- random programs of index writes
_INDICES = ["0", "-1", "1:3", ":, 0", ":, 1:", "Y > 0.3", "Y < 0", "np.argmax(Y[0])", "[0, 0], [1, 1]",
            "[1, 0, 1]", "..., -1", "Y[:, 0] > 0", "0, 1", "int(np.argmin(Y[1])), :", ":int(np.argmax(Y[0]))"]
_VALUES = ["x[0]", "x * 2.0", "np.sin(x)", "x[:2] * Y[0, :2]", "Y[0, 0] * Y[1, 1]", "0.0", "1.5",
           "np.sum(x) * 0.1", "Y[1] * x[0]", "np.cos(x[2])", "x[1:2]"]


def _random_program(rng) -> str:
    def write(indent):
        operator = rng.choice(["=", "+=", "*=", "-="])
        return f"{indent}Y[{rng.choice(_INDICES)}] {operator} {rng.choice(_VALUES)}"

    start = rng.choice(["np.outer(x[:2], x)", "np.zeros((2, 3)) + x", "np.ones((2, 3))"])
    lines = ["import numpy as np", "", "def f(x):", f"    Y = {start}"]
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.25:
            lines.append(f"    for k in range({rng.randint(1, 3)}):")
            lines += [write("        ") for _ in range(rng.randint(1, 2))]
        elif kind < 0.35:
            lines += ["    for k in range(3):", "        if Y[0, k] > 0.5:", "            break",
                      write("        ")]
        else:
            lines.append(write("    "))
    lines.append(rng.choice(["    return np.sum(Y * Y * x)", "    return np.sum(np.sin(Y), axis=0) * x",
                             "    return Y[1] * x"]))
    return "\n".join(lines) + "\n"


def test_random_index_write_programs(tmp_path, monkeypatch):
    """Masks, argmax, repeated fancy indices, slices, broadcasting and augmented writes, in loops (with
    break) and not: forward, reverse (array and default seed) against central differences."""
    import importlib
    import random

    monkeypatch.syspath_prepend(str(tmp_path))
    rng = random.Random(11)
    checked = 0
    for n in range(150):
        (tmp_path / f"index_program_{n}.py").write_text(_random_program(rng))
        f = importlib.import_module(f"index_program_{n}").f
        x = np.array([0.37, 1.21, -0.63]) + np.array([rng.uniform(-0.05, 0.05) for _ in range(3)])
        with np.errstate(all="raise"):
            try:
                value = f(x.copy())
            except (FloatingPointError, ValueError, IndexError):
                continue  # not a valid program at this point
        fresh = lambda z, f=f: f(z.copy())  # noqa: E731  (f writes into its argument)
        J = np.array([central_difference(fresh, (x,), 0, e, step=1e-6) for e in np.eye(3)])
        J = J.reshape(3, -1)
        for i in range(3):
            _, tangent = sct.forward(f)(x.copy(), np.eye(3)[i])
            assert relative_error(tangent, J[i]) < 1e-4, (n, "forward")
        u = np.linspace(0.3, 1.1, np.size(value)).reshape(np.shape(value))
        _, adjoint = sct.reverse(f)(x.copy(), seed=u if np.ndim(value) else float(u))
        assert relative_error(adjoint, J @ np.ravel(u)) < 1e-4, (n, "reverse")
        _, adjoint = sct.reverse(f)(x.copy())
        assert relative_error(adjoint, J.sum(axis=1)) < 1e-4, (n, "default seed")
        checked += 1
    assert checked > 60


def test_random_index_write_programs_second_order(tmp_path, monkeypatch):
    """Jacobians (both modes) and Hessian-vector products of random index-write programs."""
    import importlib
    import random

    monkeypatch.syspath_prepend(str(tmp_path))
    rng = random.Random(5)
    checked = 0
    for n in range(40):
        (tmp_path / f"index_program2_{n}.py").write_text(_random_program(rng))
        f = importlib.import_module(f"index_program2_{n}").f
        x = np.array([0.37, 1.21, -0.63]) + np.array([rng.uniform(-0.05, 0.05) for _ in range(3)])
        with np.errstate(all="raise"):
            try:
                value = f(x.copy())
            except (FloatingPointError, ValueError, IndexError):
                continue
        fresh = lambda z, f=f: f(z.copy())  # noqa: E731
        J = np.array([central_difference(fresh, (x,), 0, e, step=1e-6) for e in np.eye(3)]).reshape(3, -1).T
        for mode in ("forward", "reverse"):
            assert relative_error(sct.jacobian(f, mode=mode)(x.copy()).reshape(-1, 3), J) < 1e-4, (n, mode)
        if np.ndim(value) == 0:
            gradient = sct.grad(f)
            H = np.array([central_difference(lambda z, g=gradient: g(z.copy()), (x,), 0, e, step=1e-6)
                          for e in np.eye(3)])
            v = np.array([0.3, -1.1, 0.7])
            for method in ("forward-over-reverse", "reverse-over-forward"):
                assert relative_error(sct.hvp(f, method=method)(x.copy(), v), H @ v) < 1e-3, (n, method)
        checked += 1
    assert checked > 15
