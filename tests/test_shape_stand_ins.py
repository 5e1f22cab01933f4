"""A loop pushes a value its reverse sweep reads only for its shape (``unreduce``, ``unbroadcast``,
``zeros_of``, ``split_like``, ``.shape``) as ``shape_of`` of it: a read-only array of its shape and dtype
over one zero, so the tape keeps none of its entries. Checked on the emitted code, on the memory a loop's
tape takes, and, for loops of every kind (for, while, nested, break and continue, carried state, a helper
in the loop, rows written by index), in every mode against differences."""
import re
import tracemalloc

import numpy as np
import pytest
from every_mode import check_every_mode, richardson_grad
from oracle import relative_error

import sct
from sct.runtime.indexing import shape_of

POINT = np.array([0.0, -1.3, 0.7, 2.1, -0.4])  # a zero and negative entries
COLUMN = POINT[:, None]  # a size-1 axis


def _stand_ins_pushed(f) -> list:
    return re.findall(r"_stack\.append\(shape_of\((\w+)\)\)", sct.reverse(f, wrt="x").source)


# ------------------------------------------------------------------------------------------ the loops
def carried(x):
    h = x
    total = 0.0
    for _ in range(3):
        z = h * np.sin(h)
        y = z - np.log(np.sum(np.exp(z)))  # y read back as a value (y * x), z - lse only for its shape
        total = total + np.sum(y * x)  # y * x read back only for its shape (np.sum's adjoint)
        h = np.tanh(h) + 0.1 * y
    return h * total


def while_breaks(x):
    h = x
    i = 0
    total = 0.0
    while i < 6:
        i += 1
        if i == 2:
            continue
        z = h * h + 1.0
        total = total + np.sum(z * x)
        h = np.sin(h) * 1.1
        if i >= 4:
            break
    return h * total


def _step(h, w):
    a = h * w
    return np.tanh(a) + a * 0.5


def nested_with_helper(x):
    h = x
    total = 0.0
    for i in range(2):
        for j in range(2):
            h = _step(h, x + 0.1 * j)
            total = total + np.sum(h * (i + 1.0))
        h = h - 0.2 * np.sum(h * h)
    return h * total


def rows_written(x):
    h = x
    total = 0.0
    out = np.zeros((3,) + np.shape(x))
    for t in range(3):
        z = h * x
        total = total + np.sum(z)
        h = np.cos(h) + z
        out[t] = h * total
    return out


def shape_only_sums(x, s):
    total = 0.0
    for _ in range(s):
        z = x * 2.0 + 1.0  # read back only by np.sum's adjoint: its shape
        total = total + np.sum(z)
    return total


def carried_scalar(x):
    y = carried(x)
    return np.sum(y * y)


def while_breaks_scalar(x):
    y = while_breaks(x)
    return np.sum(y * y)


def nested_with_helper_scalar(x):
    y = nested_with_helper(x)
    return np.sum(y * y)


def rows_written_scalar(x):
    y = rows_written(x)
    return np.sum(y * y)


LOOPS = [(carried, carried_scalar), (while_breaks, while_breaks_scalar),
         (nested_with_helper, nested_with_helper_scalar), (rows_written, rows_written_scalar)]


@pytest.mark.parametrize("f", [f for f, _ in LOOPS], ids=lambda f: f.__name__)
def test_a_loop_pushes_shape_reads_as_stand_ins(f):
    assert _stand_ins_pushed(f), sct.reverse(f, wrt="x").source


@pytest.mark.parametrize("x", [POINT, COLUMN, np.array([0.0])], ids=["vector", "column", "one"])
@pytest.mark.parametrize("f, g", LOOPS, ids=[f.__name__ for f, _ in LOOPS])
def test_loops_with_stand_ins_in_every_mode(f, g, x):
    check_every_mode(f, g, x)
    # reverse mode with the default seed: the gradient of the sum of the entries
    _, x_bar = sct.reverse(f, wrt="x")(x)
    assert relative_error(x_bar, richardson_grad(lambda t: np.sum(f(t)), (x,))) < 1e-7


# ---------------------------------------------------------------------------------------------- memory
def test_a_tape_of_shape_reads_holds_no_entries():
    """s iterations of n entries read back only for their shape: the tape holds stand-ins, not s arrays."""
    n, s = 20000, 40
    x = np.linspace(-1.0, 1.0, n)
    reverse = sct.reverse(shape_only_sums, wrt="x")
    assert _stand_ins_pushed(shape_only_sums) == ["z"]
    reverse(x, 2)
    tracemalloc.start()
    try:
        held = tracemalloc.get_traced_memory()[0]
        _, x_bar = reverse(x, s)
        peak = tracemalloc.get_traced_memory()[1] - held
    finally:
        tracemalloc.stop()
    assert np.allclose(x_bar, 2.0 * s)
    assert peak < 6 * n * 8, f"peak {peak} bytes for {s} iterations of {n} entries"


def test_the_stand_in_of_each_kind_of_value():
    large = (np.ones((3, 2000)), np.arange(65, dtype=np.float32), np.ones((70, 1), dtype=complex))
    small = (np.arange(6, dtype=np.float32).reshape(2, 3), np.ones(0), np.array(2.5), np.arange(64))
    for value in large + small:
        stand_in = shape_of(value)
        assert stand_in.shape == value.shape and stand_in.dtype == value.dtype and not stand_in.any()
    for value in large:  # one zero seen through zero strides
        stand_in = shape_of(value)
        assert stand_in.strides == (0,) * value.ndim and not stand_in.flags.writeable
    for number in (2.5, 3, np.float64(-1.5), np.float32(2.0), 1j):
        zero = shape_of(number)
        assert type(zero) is type(number) and zero == 0
    assert shape_of(None) is None  # a name the loop binds in a later iteration
    objects = np.array([1.0, None], dtype=object)
    assert np.shape(shape_of(objects)) == (2,)


# ------------------------------------------------------------------ released once the forward sweep ends
def spread(x):
    t = x[:, None] * x[None, :]
    rows = np.sum(np.sin(t) + x[:, None], axis=1)  # the sum's operand is read back only for its shape
    return rows * x


def spread_scalar(x):
    y = spread(x)
    return np.sum(y * y)


def branch_temporary(x):
    if np.sum(x) > 0:
        z = x * 2.0 + np.sin(x)  # bound on one path only: not released (it may be unbound)
        s = np.sum(z)
    else:
        s = np.sum(x * x)
    return x * s


def branch_temporary_scalar(x):
    y = branch_temporary(x)
    return np.sum(y * y)


def test_a_value_read_for_its_shape_is_released_after_the_forward_sweep():
    source = sct.reverse(spread, wrt="x").source
    source = source[source.index("def diff_spread("):]
    released = re.findall(r"^    (\w+) = shape_of\(\1\)$", source, re.MULTILINE)
    assert released, source
    forward_end = source.index("seed_like(seed")
    assert all(source.index(f"{name} = shape_of({name})") < forward_end for name in released), source
    assert " = shape_of(" not in sct.reverse(branch_temporary, wrt="x").source


@pytest.mark.parametrize("x", [POINT, -POINT, COLUMN[:, 0] * 0.0 + 0.5], ids=["vector", "negated", "equal"])
@pytest.mark.parametrize("f, g", [(spread, spread_scalar), (branch_temporary, branch_temporary_scalar)],
                         ids=["spread", "branch"])
def test_released_values_in_every_mode(f, g, x):
    check_every_mode(f, g, x)
    _, x_bar = sct.reverse(f, wrt="x")(x)
    assert relative_error(x_bar, richardson_grad(lambda t: np.sum(f(t)), (x,))) < 1e-7


def test_the_released_array_is_freed_before_the_adjoints():
    """n x n temporaries read back only for their shape (``np.sin(t)``, the sum's operand) are taped as
    stand-ins: the gradient's peak is about the function's (it was 1.7 times with them kept)."""
    x = np.linspace(-1.0, 1.0, 400)
    reverse = sct.reverse(spread_scalar, wrt="x")
    reverse(x)
    peaks = []
    for call in (lambda: spread_scalar(x), lambda: reverse(x)):
        tracemalloc.start()
        try:
            held = tracemalloc.get_traced_memory()[0]
            call()
            peaks.append(tracemalloc.get_traced_memory()[1] - held)
        finally:
            tracemalloc.stop()
    assert peaks[1] <= 1.3 * peaks[0], f"gradient {peaks[1]} bytes, function {peaks[0]} bytes"
