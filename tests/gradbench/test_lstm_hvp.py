"""Hessian-vector products of GradBench's LSTM objective (``gradbench/evals/lstm.py``), both methods,
against Richardson differences of its gradient. Reverse over forward used to crash: the helper
``lstm_predict`` returns a tuple of arrays it writes into, kept with ``np.copy`` (which stacked it)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the oracle
from oracle import relative_error, richardson_difference  # noqa: E402

import sct  # noqa: E402
from gradbench.evals.lstm import lstm_objective  # noqa: E402


def _inputs(layers: int, chars: int, bits: int, seed: int):
    rng = np.random.default_rng(seed)
    main = rng.standard_normal((2 * layers, 4 * bits))
    extra = rng.standard_normal((3, bits))
    state = rng.standard_normal((2 * layers, bits))
    sequence = rng.standard_normal((chars, bits))
    return main, extra, state, sequence


@pytest.mark.parametrize("method", ["forward-over-reverse", "reverse-over-forward"])
@pytest.mark.parametrize("sizes", [(1, 2, 1), (2, 3, 2)], ids=["1x2x1", "2x3x2"])
@pytest.mark.parametrize("wrt, index", [("main_params", 0), ("extra_params", 1), ("state", 2)])
def test_lstm_hessian_vector_product(method, sizes, wrt, index):
    args = _inputs(*sizes, seed=sum(sizes))
    v = np.random.default_rng(7).standard_normal(np.shape(args[index]))
    gradient = sct.grad(lstm_objective, wrt=wrt)
    numeric = richardson_difference(lambda *a: gradient(*a), args, {index: v})
    product = sct.hvp(lstm_objective, wrt=wrt, method=method)(*args, v)
    assert np.shape(product) == np.shape(args[index])
    assert relative_error(product, numeric) < 1e-6, f"{product} vs {numeric}"
