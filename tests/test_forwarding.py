"""Temporaries put back where they are read (``sct/optimize/forwarding.py``): copies read through the name
they copy, single-use pure expressions moved into their reader, ``_t = e; a = _t`` made ``a = e`` — and
each refused where it could change a value (a name bound again, an in-place write, a conditional read, a
call that is not numpy's). Checked on small functions (rewritten text and the same values when run) and,
for loops, in every mode against differences."""
import ast
import copy
import textwrap

import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from gradbench.evals import ode
from sct.optimize.forwarding import forward_temporaries

POINT = np.array([0.0, -1.3, 0.7, 2.1, -0.4])  # a zero and negative entries
COLUMN = POINT[:, None]  # a size-1 axis


def _forwarded(source: str) -> str:
    return ast.unparse(forward_temporaries(ast.parse(textwrap.dedent(source)).body[0]))


def _runs_alike(source: str, *args) -> None:
    """The rewritten function returns what the original does."""
    before, after = {"np": np}, {"np": np}
    exec(textwrap.dedent(source), before)
    exec(_forwarded(source), after)
    name = ast.parse(textwrap.dedent(source)).body[0].name
    expected, got = before[name](*copy.deepcopy(args)), after[name](*copy.deepcopy(args))
    assert all(np.array_equal(e, g) for e, g in zip(expected, got)), (expected, got)


COPY_CHAIN = """
def f(y_bar, h):
    _t1_bar = y_bar
    y_bar = _t1_bar
    _t2_bar = _t1_bar
    k_bar = h * _t2_bar
    return (k_bar, y_bar)
"""


def test_a_copy_chain_reads_the_copied_name():
    out = _forwarded(COPY_CHAIN)
    assert "_t1_bar" not in out and "_t2_bar" not in out and "y_bar = y_bar" not in out
    assert "k_bar = h * y_bar" in out
    _runs_alike(COPY_CHAIN, np.arange(3.0), 0.5)


REBOUND = """
def f(a):
    _t1 = a
    a = a + 1.0
    b = _t1 * 2.0
    return (a, b)
"""


def test_a_copy_is_kept_when_the_copied_name_is_bound_before_the_read():
    assert "_t1 = a" in _forwarded(REBOUND)
    _runs_alike(REBOUND, np.arange(3.0))


FORWARD = """
def f(x, k, h, stack, tape):
    _t1 = h / 2 * k
    _t2 = x + _t1
    stack.append(tape)
    y = np.sum(_t2)
    return (y, len(stack))
"""


def test_a_single_use_expression_moves_into_its_reader_past_a_list_append():
    out = _forwarded(FORWARD)
    assert "y = np.sum(x + h / 2 * k)" in out and "_t1" not in out and "_t2" not in out
    _runs_alike(FORWARD, np.arange(3.0), np.ones(3), 0.1, [], None)


VIEW_WRITE = """
def f(a):
    v = a[1:]
    _t1 = v * 2.0
    a[1] = 7.0
    c = _t1 + 1.0
    return (c, a)
"""


def test_an_expression_does_not_move_past_an_in_place_write():
    assert "_t1 = v * 2.0" in _forwarded(VIEW_WRITE)  # v is a view of a: the write would change it
    _runs_alike(VIEW_WRITE, np.arange(4.0))


@pytest.mark.parametrize("between, reader", [
    ("a = a + 1.0", "c = _t1 + a"),  # a name the expression reads is bound again
    ("q = 1.0", "c = a if q else _t1"),  # read only on one branch
    ("q = 1.0", "c = a and _t1"),
    ("q = g(a)", "c = _t1 + q"),  # a call that may change a in between
    ("q = 1.0", "c = g(a) + _t1"),  # ... or before the read in the reader
    ("q = 1.0", "c = [_t1 for _ in range(2)]"),
    ("q = 1.0", "a[0] = _t1"),
])
def test_an_expression_stays_where_moving_it_could_change_a_value(between, reader):
    source = f"""
        def f(a, g):
            _t1 = a * 2.0
            {between}
            {reader}
            return c
        """
    assert "_t1 = a * 2.0" in _forwarded(source)


def test_a_call_that_is_not_numpys_is_not_moved():
    assert "_t1 = g(a)" in _forwarded("def f(a, g):\n    _t1 = g(a)\n    b = 1.0\n    return _t1 + b\n")


COALESCE = """
def f(a):
    _t1 = a * 2.0
    b = _t1
    c = _t1 + b
    return c
"""


def test_a_temporary_copied_into_a_name_is_assigned_to_it():
    out = _forwarded(COALESCE)
    assert "b = a * 2.0" in out and "c = b + b" in out and "_t1" not in out
    _runs_alike(COALESCE, np.arange(3.0))


def test_no_coalescing_when_the_name_is_read_in_between():
    source = """
        def f(a, b):
            _t1 = a * 2.0
            d = b
            b = _t1
            return d + b + _t1
        """
    assert "_t1 = a * 2.0" in _forwarded(source)
    _runs_alike(source, np.arange(3.0), np.ones(3))


def test_an_emptied_block_keeps_a_pass():
    out = _forwarded("def f(a, c):\n    if c:\n        a = a\n    return a\n")
    compile(out, "<f>", "exec")
    assert "pass" in out


def test_the_ode_loops_read_like_the_source():
    """The Runge-Kutta stages are one line each in the forward sweep, the seeds of k1..k4 one each in the
    reverse sweep: no copies of adjoints, no named halves of ``y + h / 2 * k1``."""
    source = sct.reverse(ode.primal, wrt="x").source
    main = source[source.index("def diff_primal("):]
    assert "diff_ode_fun_forward(x, y + h / 2 * k1)" in main, main
    assert "y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)" in main, main
    assert "k4_bar = h / 6 * y_bar" in main and "_t13_bar" not in main, main


# ------------------------------------------------------------------------------- loops, every mode
def stages(x, s):
    y = x * 1.0
    for _ in range(s):
        a = y[1:] * x[:-1]
        b = np.concatenate([x[:1], a])
        c = y + 0.5 * b
        y = c * np.sin(c) - b
    return y


def stages_last(x, s):
    return np.sum(stages(x, s)[-1])


def copies(x, s):
    y = x * 1.0
    z = x * 0.5
    for _ in range(s):
        w = y
        y = z * w
        z = w + np.cos(y)
    return y + z


def copies_sum(x, s):
    return np.sum(copies(x, s))


@pytest.mark.parametrize("x", [POINT, COLUMN, np.array([0.8])], ids=["vector", "column", "one"])
def test_stages_in_every_mode(x):
    check_every_mode(stages, stages_last, x, 3)


@pytest.mark.parametrize("x", [POINT, COLUMN, np.array([-0.8])], ids=["vector", "column", "one"])
def test_copies_in_every_mode(x):
    check_every_mode(copies, copies_sum, x, 3)
