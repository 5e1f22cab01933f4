"""Points and the default-seed check shared by the rule-semantics tests (tests/test_sound_rules_*.py)."""
from __future__ import annotations

import numpy as np
from oracle import central_difference, parameter_names

import sct

RNG = np.random.default_rng(7)
V3 = np.array([0.37, -1.23, 2.61])


def check_default_seed(f, args):
    """Reverse mode with its default seed and ``grad`` (for scalar outputs) against central differences."""
    if np.ndim(f(*args)) == 0:
        grads = sct.grad(f, wrt=parameter_names(f)[0])(*args)
        v = RNG.standard_normal(np.shape(args[0]))
        v = float(v) if np.ndim(args[0]) == 0 else v
        assert abs(np.sum(grads * v) - np.sum(central_difference(f, args, 0, v))) < 1e-6
