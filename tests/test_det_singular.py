"""``np.linalg.det`` at singular matrices: its derivative is the adjugate, finite there (the adjoint
det(a) inv(a) raised LinAlgError; the tangent solved with a). Rank n-1 (the adjugate is not zero) and
n-2 (it is, but the Hessian is not), stacks of matrices and regular ones, in every mode against
differences."""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error

from sct.runtime.adjugate import adjugate, adjugate_adjoint, adjugate_tangent


def _of_rank(n, rank, seed):
    rng = np.random.default_rng(seed)
    if rank == 0:
        return np.zeros((n, n))
    return rng.standard_normal((n, rank)) @ rng.standard_normal((rank, n))


def determinants(x):
    return np.atleast_1d(np.linalg.det(x)) * 1.0


def squared_determinant(x):
    return np.sum(np.linalg.det(x) ** 2) + np.sum(np.linalg.det(x))


MATRICES = {
    "rank n-1 (3x3)": _of_rank(3, 2, 0),
    "rank n-2 (3x3)": _of_rank(3, 1, 1),
    "rank n-1 (4x4)": _of_rank(4, 3, 2),
    "rank n-2 (4x4)": _of_rank(4, 2, 3),
    "zero (2x2)": np.zeros((2, 2)),
    "regular (3x3)": _of_rank(3, 3, 4),
    "1x1": np.array([[-0.7]]),
    "stack of singular": np.stack([_of_rank(3, 2, 5), _of_rank(3, 1, 6)]),
}


@pytest.mark.parametrize("a", list(MATRICES.values()), ids=list(MATRICES))
def test_det_every_mode(a):
    check_every_mode(determinants, squared_determinant, a)


def _cofactors(a):
    n = a.shape[0]
    return np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(a, i, 0), j, 1)) if n > 1 else 1.0
                      for j in range(n)] for i in range(n)])


@pytest.mark.parametrize("n, rank", [(1, 0), (2, 1), (3, 1), (3, 2), (4, 2), (4, 4)])
def test_adjugate_is_the_transposed_cofactor_matrix(n, rank):
    a = _of_rank(n, rank, 7)
    assert relative_error(adjugate(a), _cofactors(a).T) < 1e-12 or np.allclose(adjugate(a), 0, atol=1e-14)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_adjugate_derivatives_against_differences(rank):
    rng = np.random.default_rng(8)
    a, e, g = _of_rank(3, rank, 9), rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    step = 1e-3  # adj is quadratic in a 3x3 matrix: central differences are exact up to rounding
    numeric = (adjugate(a + step * e) - adjugate(a - step * e)) / (2 * step)
    assert relative_error(adjugate_tangent(a, e), numeric) < 1e-8
    assert abs(np.sum(g * adjugate_tangent(a, e)) - np.sum(adjugate_adjoint(a, g) * e)) < 1e-12
    batch = np.stack([e, g])  # a leading batch of directions broadcasts
    assert relative_error(adjugate_tangent(a, batch)[1], adjugate_tangent(a, g)) < 1e-14
