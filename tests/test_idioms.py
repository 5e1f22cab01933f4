"""The stable logsumexp idiom: its max is a constant shift, and the derivative is unchanged."""
import numpy as np
import pytest
from oracle import check_both_modes
from programs import idiom_programs as ip

import sct

RNG = np.random.default_rng(3)
A = RNG.standard_normal((4, 3))


@pytest.mark.parametrize("func", [ip.lse_rows, ip.lse_keepdims, ip.lse_scalar, ip.lse_method])
def test_recognised_idiom_has_no_max_adjoint_and_right_derivative(func):
    source = sct.reverse(func).source
    assert "extremum_adjoint" not in source and "m_bar" not in source
    check_both_modes(func, (A,))


@pytest.mark.parametrize("func", [ip.shift_used_elsewhere, ip.different_axes])
def test_lookalikes_keep_the_max_adjoint(func):
    """m used outside the idiom, or a sum over another axis: the shift does matter."""
    assert "extremum_adjoint" in sct.reverse(func).source
    check_both_modes(func, (A,))


def test_ties_in_the_max_do_not_matter():
    a = np.array([[1.0, 1.0, 0.5], [2.0, -1.0, 2.0]])
    _, grad = sct.reverse(ip.lse_rows)(a)
    softmax = np.exp(a) / np.sum(np.exp(a), axis=1, keepdims=True)
    assert np.allclose(grad, softmax, rtol=1e-14)
