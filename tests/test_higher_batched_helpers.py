"""Higher derivatives and whole Jacobians (tests/test_higher_*.py): the batched runtime helpers of
second-order code against loops over the batch.
"""

import numpy as np
import pytest
from higher_cases import RNG

from sct.runtime import matmul_adjoint, scatter, unbroadcast, unreduce
from sct.runtime.higher import batch_matmul_adjoint, batch_scatter, batch_unbroadcast, batch_unreduce


# ---------------------------------------------------------------------------------- batched helpers
@pytest.mark.parametrize("shape_a,shape_b", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                                             ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)),
                                             ((1, 2, 3), (5, 3, 4))])
def test_batch_matmul_adjoint_matches_a_loop(shape_a, shape_b):
    a, b = RNG.standard_normal(shape_a), RNG.standard_normal(shape_b)
    g = RNG.standard_normal(np.shape(a @ b))
    for position in (0, 1):
        for batched in (0, 1, 2):
            values = [g, a, b]
            batch = RNG.standard_normal((3,) + np.shape(values[batched]))
            expected = []
            for member in batch:
                values[batched] = member
                expected.append(matmul_adjoint(*values, position))
            values[batched] = batch
            assert np.allclose(batch_matmul_adjoint(*values, position, batched), expected)


def test_batch_shape_helpers_match_loops():
    x = RNG.standard_normal((3, 1, 4))
    g = RNG.standard_normal((2, 2, 3, 5, 4))
    assert np.allclose(batch_unbroadcast(g, x), [unbroadcast(m, x) for m in g])
    y = RNG.standard_normal((3, 4, 5))
    for axis, keepdims in [(None, False), (1, False), ((0, 2), False), (-1, True)]:
        reduced = np.sum(y, axis=axis, keepdims=keepdims)
        batch = RNG.standard_normal((2,) + np.shape(reduced))
        expected = [unreduce(m, y, axis, keepdims) for m in batch]
        assert np.allclose(batch_unreduce(batch, y, axis, keepdims), expected)
    for index in [1, (slice(0, 2), 2), (np.array([0, 0, 2]),)]:
        batch = RNG.standard_normal((2,) + np.shape(y[index]))
        assert np.allclose(batch_scatter(batch, y, index), [scatter(m, y, index) for m in batch])
