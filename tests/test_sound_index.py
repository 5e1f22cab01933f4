"""Index writes (``x[i] = v``, ``x[idx] += v``, masks, slices) get exact derivatives in every mode, or a
transform-time refusal.

Bug classes covered: an index that reads the array it writes (``y[y > 1] = 1``) must be the one from before
the write in both sweeps; a fancy index that repeats an element keeps only the write numpy keeps; a value
broadcast into a selection gets its adjoint summed back to its own shape; writes into integer arrays carry
no derivative; writes into expressions (``y[0][1] = v``) are refused; crashes in emitted code (a dead
adjoint read before it exists, a read-only tangent written into).
"""
import numpy as np
import pytest
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


# ------------------------------------------------------------- the index reads the array being written
def clip_mask(x):
    y = x * 1.0
    y[y > 1.0] = 1.0
    return np.sum(y * y)


def clip_two(x):
    y = x * 2.0
    y[y > 0.5] = 0.5
    return np.sum(y * x)


def zero_argmax(x):
    y = x * 1.0
    y[np.argmax(y)] = 0.0
    return np.sum(y * x)


def abs_by_mask(x):
    y = x * 1.0
    y[y < 0] *= -1
    return np.sum(y * y * x)


def add_at_argmin(x):
    y = np.sin(x)
    y[np.argmin(y)] += x[0] * 3.0
    return np.sum(y * y)


def halve_in_loop(x):
    y = x * 1.0
    for _ in range(3):
        y[y > 0.6] = y[y > 0.6] * 0.5
    return np.sum(y * x)


def slice_bound_reads_array(x):
    y = x * 1.0
    y[:int(np.argmax(y))] = 0.0
    return np.sum(y * y)


def augmented_slice_bound(x):
    y = x * 1.0
    y[:int(np.argmax(y))] += np.sin(x[0])
    return np.sum(y * y)


def augmented_call_index(x):
    y = np.cos(x)
    y[np.argmax(y), ] *= x[1]
    return np.sum(y * x)


def matrix_mask(x):
    Y = np.outer(x, x)
    Y[Y < 0.0] = 0.0
    return np.sum(Y * Y)


def mask_vector_value(x):
    y = x * 1.0
    y[y > 0.0] = np.sin(y[y > 0.0])
    return np.sum(y * x)


@pytest.mark.parametrize("f, x", [(clip_mask, X3), (clip_two, X4), (zero_argmax, X3), (abs_by_mask, X4),
                                  (add_at_argmin, X4), (halve_in_loop, X4), (slice_bound_reads_array, X3),
                                  (matrix_mask, X3), (mask_vector_value, X4), (augmented_slice_bound, X4),
                                  (augmented_call_index, X4)])
def test_index_from_before_the_write(f, x):
    check_all(f, x)


def test_index_named_once_before_the_write():
    source = sct.reverse(clip_two).source
    assert "y[y > 0.5]" not in source.split("def diff_clip_two")[1]


# ------------------------------------------------------------------------------ repeated fancy indices
def repeated_set(x):
    y = np.zeros(3)
    y[[0, 0, 1]] = x
    return np.sum(y * np.array([1.0, 2.0, 3.0]))


def repeated_add(x):
    y = np.ones(3)
    idx = np.array([0, 0, 2])
    y[idx] += x
    return np.sum(y * y)


def repeated_scalar(x):
    y = x * 1.0
    y[[2, 2, 0]] = x[1] * 2.0
    return np.sum(y * y)


def repeated_2d(x):
    Y = np.zeros((2, 3))
    Y[[0, 0, 1], [1, 1, 2]] = x
    return np.sum(Y * np.arange(1.0, 7.0).reshape(2, 3))


def repeated_in_loop(x):
    y = np.zeros(4)
    idx = np.array([1, 3, 1])
    for k in range(2):
        y[idx] += x * (k + 1.0)
    return np.sum(y * y)


def repeated_fortran_order(x):
    Y = np.zeros((3, 3), order="F")
    Y[np.array([[0, 0], [1, 0]]), np.array([[1, 1], [2, 1]])] = np.outer(x[:2], x[1:]).T
    return np.sum(Y * np.arange(1.0, 10.0).reshape(3, 3))


def repeated_rows(x):
    Y = np.zeros((3, 3))
    Y[[0, 0, 2], :] = np.outer(x, x[::-1])
    return np.sum(Y * np.arange(1.0, 10.0).reshape(3, 3))


@pytest.mark.parametrize("f, x", [(repeated_set, X3), (repeated_add, X3), (repeated_scalar, X3),
                                  (repeated_2d, X3), (repeated_in_loop, X3), (repeated_fortran_order, X3),
                                  (repeated_rows, X3)])
def test_repeated_fancy_index(f, x):
    check_all(f, x)


def test_repeated_add_is_one_write_per_element():
    """numpy's ``y[idx] += x`` is ``y[idx] = y[idx] + x``: the later duplicate wins, nothing accumulates."""
    value, (x_bar,) = sct.reverse(repeated_add, wrt=("x",))(X3)
    assert np.isclose(value, repeated_add(X3))
    assert x_bar[0] == 0.0


# -------------------------------------------------------------------- a value broadcast into a selection
def scalar_into_slice(x):
    v = np.zeros((4, 3))
    v[:, 1:] = x
    return np.sum(v)


def row_into_block(x):
    v = np.zeros((4, 3))
    v[1:3] = np.sin(x)
    return np.sum(v * v)


def scalar_into_row(x):
    z = np.zeros((2, 3))
    z[0] = x[0] * 2
    return np.sum(z * z)


def rows_in_loop(x):
    h = np.zeros((3, 4))
    for t in range(3):
        h[t] = x[t]
    return np.sum(h * h)


def column_from_length_one(x):
    v = np.ones((4, 2))
    v[:, 0] = x[1:2] * 3.0
    return np.sum(v * v)


@pytest.mark.parametrize("f, x", [(scalar_into_slice, 0.7), (row_into_block, X3), (scalar_into_row, X3),
                                  (rows_in_loop, X3), (column_from_length_one, X3)])
def test_write_adjoint_summed_to_value_shape(f, x):
    check_all(f, x)


def test_scalar_into_slice_value():
    assert np.isclose(sct.grad(scalar_into_slice)(0.7), 8.0)
    assert np.shape(sct.grad(scalar_into_slice)(0.7)) == ()


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_jacobian_of_broadcast_write(mode):
    expected = sct.jacobian(rows_in_loop_vector, mode="forward")(X3)
    numeric = np.array([central_difference(rows_in_loop_vector, (X3,), 0, e) for e in np.eye(3)]).T
    got = sct.jacobian(rows_in_loop_vector, mode=mode)(X3)
    assert relative_error(got, numeric) < 1e-6 and relative_error(expected, numeric) < 1e-6


def rows_in_loop_vector(x):
    h = np.zeros((3, 2))
    for t in range(3):
        h[t] = x[t] * x[0]
    h[[0, 0]] = x[:2]
    return np.sum(h, axis=1)


# ----------------------------------------------------------------------- crashes in the emitted code
def dead_write(x, y):
    w = np.copy(y)
    v = np.sum(w) * x
    w[0] = np.sin(x)
    return v


def broadcast_before_write(x, y):
    a = x * 0.5 + y * 0.25
    b = np.sin(x) * y + 1.0
    z = np.zeros((3, 1)) + a
    a[a > -0.5] = b[a > -0.5]
    return np.sum((z * a + a * b) * np.array([[1.0], [2.0], [3.0]]))


def copies_before_write(x):
    a = x * 2.0
    b = a * 1.0
    d = np.zeros((2, 3)) + a
    a[0] = 5.0
    return np.sum(b * a + a * d)


def test_tangent_of_a_new_array_is_not_a_view_of_a_written_one():
    """``z = np.zeros(3) + a`` is a new array: its tangent must not change when ``a``'s is written."""
    check_all(broadcast_before_write, 0.3, np.array([0.2]))
    check_all(broadcast_before_write, 0.3, np.array([0.2]), index=1)
    check_all(copies_before_write, X3)


def test_write_after_last_use():
    check_all(dead_write, 0.7, X3)


def broadcast_helper(x):
    return np.zeros(3) + x[0]


def write_into_helper_result(x):
    z = broadcast_helper(x)
    z[1] = x[2]
    return np.sum(z * x)


def sum_helper(x):
    return np.sum(x) + np.zeros(3)


def slice_into_helper_result(x):
    z = sum_helper(x)
    z[1:] = x[:2]
    return np.sum(z * x)


def exp_helper(x):
    w = np.exp(x)
    return w


def write_into_kept_value(x):
    z = exp_helper(x)
    z[0] = 0.0
    return np.sum(z * x)


@pytest.mark.parametrize("f", [write_into_helper_result, slice_into_helper_result, write_into_kept_value])
def test_write_into_helper_result(f):
    check_all(f, X3)


def write_into_parameter(x):
    x[0] = x[1] * 2.0
    return np.sum(x * x)


def test_write_into_parameter_leaves_the_tangent_alone():
    x, v = X3.copy(), np.array([1.0, 0.0, 0.0])
    _, tangent = sct.forward(write_into_parameter)(x, v)
    assert np.array_equal(v, [1.0, 0.0, 0.0])
    assert np.isclose(tangent, 0.0)  # x[0] is overwritten before it is read
    x = X3.copy()
    assert np.allclose(sct.grad(write_into_parameter)(x), [0.0, 2 * 1.7 + 8 * 1.7, -1.6])


def write_until_break(x):
    y = x * 1.0
    for i in range(4):
        if y[i] > 1.0:
            break
        y[i] = y[i] * 3.0
    return np.sum(y * y)


def write_in_while(x):
    y = x * 1.0
    i = 0
    while i < 3:
        y[y < 0.0] = y[y < 0.0] * 0.5 + x[i]
        i += 1
    return np.sum(y * y)


@pytest.mark.parametrize("f", [write_until_break, write_in_while])
def test_writes_in_loops(f):
    check_all(f, X4)


# ------------------------------------------------------------------------------------ integer arrays
def into_int_zeros(x):
    y = np.zeros(3, dtype=int)
    y[0] = x[1] * 3.0
    return np.sum(y * x)


def into_arange(x):
    y = np.arange(3)
    y[1:] = x[:2]
    return np.sum(y * x)


@pytest.mark.parametrize("f", [into_int_zeros, into_arange])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_active_write_into_integers_refused(f, mode):
    with pytest.raises(sct.SCTError, match="holds integers") as info:
        getattr(sct, mode)(f)
    assert "float array" in str(info.value) and "test_sound_index.py" in str(info.value)


def into_buffer(x, buf):
    b = np.copy(buf)
    b[1:] = x[:2] * 2.0
    return np.sum(b * x)


def test_unknown_dtype_checked_when_run():
    ints = np.array([1, 2, 3])
    assert np.allclose(sct.grad(into_buffer, wrt="x")(X3, ints), [1.0, 1.0, 3.0])  # b after the write
    _, tangent = sct.forward(into_buffer, wrt="x")(X3, ints, np.ones(3))
    assert np.isclose(tangent, 5.0)
    check_all(into_buffer, X3, np.array([1.0, 2.0, 3.0]))


# ----------------------------------------------------------------------- writes into an expression
def chained(x):
    y = np.zeros((2, 2))
    y[0][1] = x
    return np.sum(y)


def chained_augmented(x):
    y = np.zeros((2, 2))
    y[0][1] += x
    return np.sum(y)


def through_transpose(x):
    y = np.zeros((2, 2))
    y.T[0] = x
    return np.sum(y)


def through_flat(x):
    y = np.zeros((2, 2))
    y.flat[0] = x
    return np.sum(y)


@pytest.mark.parametrize("f, hint", [(chained, "y[0, 1] = "), (chained_augmented, "y[0, 1] = "),
                                     (through_transpose, "by name"), (through_flat, "by name")])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_write_into_expression_refused(f, hint, mode):
    with pytest.raises(sct.SCTError, match="cannot differentiate the write into") as info:
        getattr(sct, mode)(f)
    assert hint in str(info.value)


# ----------------------------------------------------------------------------- second derivatives
def numeric_hessian(f, args, index=0):
    gradient = sct.grad(f, wrt=parameter_names(f)[index])
    x = np.asarray(args[index], dtype=float)
    return np.array([central_difference(gradient, args, index, e) for e in np.eye(x.size)])


def repeated_augmented_2d(x):
    Y = np.ones((2, 3))
    Y[:1] = x[0]
    Y[[0, 0], [1, 1]] *= x[1]
    return np.sum(Y * Y * x)


@pytest.mark.parametrize("f, args", [(clip_two, (X4,)), (repeated_add, (X3,)), (rows_in_loop, (X3,)),
                                     (repeated_augmented_2d, (X3,)), (halve_in_loop, (X4,)),
                                     (into_buffer, (X3, np.array([1, 2, 3]))),
                                     (into_buffer, (X3, np.array([1.0, 2.0, 3.0])))])
def test_second_derivatives_of_index_writes(f, args):
    integers = np.asarray(args[-1]).dtype.kind == "i"  # the truncated write: its derivatives are all zero
    n = np.size(args[0])
    expected = np.zeros((n, n)) if integers else numeric_hessian(f, args)
    assert relative_error(sct.hessian(f, wrt="x")(*args), expected) < 1e-6
    v = np.linspace(0.5, 1.5, np.size(args[0]))
    for method in ("forward-over-reverse", "reverse-over-forward"):
        assert relative_error(sct.hvp(f, wrt="x", method=method)(*args, v), expected @ v) < 1e-6
    for mode in ("forward", "reverse"):
        expected = [1.0, 1.0, 3.0] if integers else numeric_gradient(f, args)  # b after the write
        assert relative_error(sct.jacobian(f, wrt="x", mode=mode)(*args), expected) < 1e-6


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


# ------------------------------------------------------------------------- tangents and list writes
def write_then_return(x):
    y = x * 1.0
    y[0] = np.sin(x[1])
    return y


def shift_down(x):
    y = x + 0.0
    y[1:] = y[:-1] * 0.5
    return y


@pytest.mark.parametrize("f, expected", [(write_then_return, [np.cos(1.7), 1.0, 0.0]),
                                         (shift_down, [0.0, 0.0, 0.5])])
def test_integer_tangent_of_a_written_array(f, expected):
    """An integer tangent (``[0, 1, 0]``) is copied as floats before float tangents are written into it."""
    direction = np.array([0, 1, 0])
    _, tangent = sct.forward(f)(X3, direction)
    assert np.allclose(tangent, expected)
    assert np.array_equal(direction, [0, 1, 0])


def list_dynamic_index(x):
    items = [x[0], x[1] * 2.0]
    items[len(items) - 1] = np.sin(items[0])
    return items[0] * items[1]


def list_reversed_writes(x):
    items = []
    for k in range(3):
        items.append(x[k] * 2.0)
    for k in range(3):
        items[len(items) - 1 - k] = items[k] * x[k]
    return items[0] + items[2]


@pytest.mark.parametrize("f", [list_dynamic_index, list_reversed_writes])
def test_list_written_at_a_computed_index(f):
    check_all(f, X3)


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
