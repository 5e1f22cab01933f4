"""numpy functions imported by name (``from numpy import sin``), with no numpy module in this namespace."""
from __future__ import annotations

from numpy import array, cos, exp, eye, log, sin
from numpy import sum as total
from numpy.linalg import inv
from oracle import check_rule
from scipy.special import logsumexp as lse

import sct

X = array([0.3, -0.7, 1.2])


def by_name(x):
    outer = x[:, None] * x[None, :]
    return total(sin(x) * exp(x) + log(2.0 + cos(x))) + lse(x) + total(inv(outer + 2.0 * eye(3)))


def test_functions_imported_by_name():
    check_rule(by_name, (X,))


def test_emitted_code_names_numpy_itself():
    source = sct.forward(by_name).source
    assert "import numpy as np" in source
    assert "np.cos(x)" in source
