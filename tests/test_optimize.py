"""The optimizer: constant factors of adjoint chains fold into their single use; results unchanged."""
import numpy as np
from oracle import check_both_modes
from programs import idiom_programs as ip

import sct


def test_constant_factors_fold_into_one_use():
    source = sct.reverse(ip.scale_chain).source
    body = source[source.index("def diff_scale_chain"):]
    assert "z_bar" not in body and "y_bar" not in body  # -1 * 0.5 * 2 multiplied out into x_bar's line
    assert "x_bar = -w_bar" in body and body.rstrip().endswith("x_bar")
    check_both_modes(ip.scale_chain, (np.array([0.3, -1.2, 2.0]),))


def test_a_value_read_twice_is_not_folded():
    source = sct.reverse(ip.scale_used_twice).source
    assert "y_bar = " in source
    check_both_modes(ip.scale_used_twice, (np.array([0.3, -1.2, 2.0]),))
