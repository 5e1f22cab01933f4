"""Control flow in both modes: branches, loops with data-dependent trip counts, early exits, helpers."""
import math

import numpy as np
import pytest
from oracle import check_both_modes
from programs import control_flow as cf

import sct

RNG = np.random.default_rng(7)
CASES = [
    (cf.newton_sqrt, (2.0,)),
    (cf.cont, (1.3,)),
    (cf.ret_loop, (1.2,)),
    (cf.ret_loop, (0.3,)),
    (cf.nested, (np.array([1.0, 2.0, 3.0]),)),
    (cf.tuples, (1.5, 0.7)),
    (cf.lists, (np.array([1.0, 2.0]),)),
    (cf.kw, (1.3,)),
    (cf.setcol, (np.arange(6.0).reshape(2, 3) + 1,)),
    (cf.ifexp, (1.2,)),
    (cf.ifexp, (-0.7,)),
    (cf.whiles, (1.1,)),
    (cf.whiles, (0.05,)),
    (cf.augmented, (1.3,)),
    (cf.multi_return, (0.5,)),
    (cf.multi_return, (1.5,)),
    (cf.multi_return, (-0.5,)),
    (cf.swap, (1.1, 0.9)),
    (cf.rows, (np.arange(6.0).reshape(3, 2),)),
    (cf.enum, (np.arange(6.0).reshape(3, 2),)),
    (cf.early_exit_while, (0.4,)),
    (cf.branchy_rows, (RNG.standard_normal((4, 3)), RNG.standard_normal(3))),
    (cf.helper_chain, (RNG.standard_normal(3),)),
    (cf.matrix_loop, (RNG.standard_normal((3, 3)), RNG.standard_normal(3))),
    (cf.overwrite_slices, (RNG.standard_normal(3),)),
    (cf.local_constants, (RNG.standard_normal(3),)),
    (cf.list_read_twice, (np.array([0.2, -0.4]),)),
]


@pytest.mark.parametrize("func,args", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_control_flow_both_modes(func, args):
    check_both_modes(func, args)


SECOND_ARGUMENT = [(cf.matrix_loop, (RNG.standard_normal((3, 3)), RNG.standard_normal(3))),
                   (cf.swap, (1.1, 0.9)), (cf.tuples, (0.3, 2.0))]


@pytest.mark.parametrize("func,args", SECOND_ARGUMENT)
def test_second_argument(func, args):
    check_both_modes(func, args, wrt_index=1)


def test_data_dependent_trip_count_changes_with_input():
    """The number of iterations depends on x; each derivative must follow the iterations taken."""
    for x in (0.05, 0.5, 3.0):
        steps = math.ceil(math.log(10.0 / x) / math.log(1.7))
        _, grad = sct.reverse(cf.whiles)(x)
        assert grad == pytest.approx(1.7 ** max(steps, 0), rel=1e-12)


def test_helpers_emitted_beside_main():
    source = sct.reverse(cf.helper_chain).source
    for half in ("forward", "backward"):
        assert f"def diff_outer_helper_{half}(" in source and f"def diff_inner_helper_{half}(" in source
    assert source.index("def diff_inner_helper_forward(") < source.index("def diff_helper_chain(")
    assert "gmm" not in source and "outer_helper(x)" not in source.split("def diff_helper_chain(")[1]


def test_straight_line_reverse_uses_no_stack():
    source = sct.reverse(cf.tuples).source
    assert "_stack" not in source


def test_loop_reverse_replays_branches_from_saved_conditions():
    source = sct.reverse(cf.ret_loop).source
    assert "reversed(range(10)[:_trips])" in source


def test_helper_from_another_module_runs_in_its_own_globals():
    """The emitted derivative of an imported helper finds that module's globals (its own helpers)."""
    rng = np.random.default_rng(0)
    args = (rng.random(2), rng.random((2, 2)), rng.random((2, 3)), rng.random((5, 2)))
    check_both_modes(cf.imported_helper, args, wrt_index=1)


def test_recursion_is_an_error():
    with pytest.raises(sct.SCTError, match="recursion"):
        sct.reverse(cf_recursive)(2.0)


def cf_recursive(x):
    if x < 1.0:
        return x
    return cf_recursive(x / 2.0) * 2.0
