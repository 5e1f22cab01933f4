"""``power_term``: powers of a column by integer exponents, by products, against ``np.power``."""
import numpy as np
import pytest

from sct.runtime.powers import power_term

BOUND_ULPS = 9  # the module docstring's bound: 16 rounding errors at most


def _bases() -> np.ndarray:
    rng = np.random.default_rng(15)
    special = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, np.nan, np.inf, -np.inf, 1e300, -1e300, 1e-300,
               5e-324, 1.0 + 2 ** -52, 1.0 - 2 ** -53]
    return np.concatenate([special, rng.standard_normal(3000), rng.uniform(-1.2, 1.2, 3000),
                           rng.uniform(-10.0, 10.0, 3000), 10.0 ** rng.uniform(-8.0, 8.0, 3000)])


def _expected(x, y, order):
    """The derivative rule of ``**`` as written in sct/rules/builtin_rules.py, term by term."""
    coefficient = np.ones(y.shape)
    for i in range(order):
        coefficient = coefficient * (y - i)
    power = np.power(np.where(coefficient == 0, 1.0, x), y - order)
    return (x ** y if order == 0 else coefficient * power), coefficient, power


def _ulps(got, x, y, order):
    """Largest difference from ``np.power``'s terms, in units of the last place of the power; non-finite
    entries must be equal."""
    want, coefficient, power = _expected(x, y, order)
    finite = np.isfinite(want)
    assert got.shape == want.shape and got.dtype == want.dtype and got.flags.c_contiguous
    assert np.array_equal(got[~finite], want[~finite], equal_nan=True)
    scale = np.abs(coefficient) * np.spacing(np.abs(np.where(finite, power, 1.0)))
    return float(np.max(np.where(finite, np.abs(got - want) / np.where(scale == 0, 1.0, scale), 0.0)))


@pytest.mark.parametrize("order", [0, 1, 2])
@pytest.mark.parametrize("y", [np.arange(201), np.arange(7, 130),
                               np.array([5, 0, 3, 3, 9, 1, 2, 7, 4, 4, 11])],
                         ids=["0..200", "7..129", "scattered"])
def test_within_bound_of_pow(y, order):
    with np.errstate(all="ignore"):
        x = _bases()[:, None]
        assert _ulps(power_term(x, y, order), x, y, order) <= BOUND_ULPS


def test_exact_where_pow_is():
    """Exponents 0 and 1, bases 0, +-1, NaN and inf give exactly what ``**`` gives; ``0 ** 0`` is 1."""
    y = np.arange(40)
    x = np.array([0.0, -0.0, 1.0, -1.0, np.nan, np.inf, -np.inf, 3.7, -0.2])[:, None]
    with np.errstate(all="ignore"):
        got, want = power_term(x, y, 0), x ** y
        assert np.array_equal(got[:, :2], want[:, :2], equal_nan=True)
        assert np.array_equal(got[:7], want[:7], equal_nan=True)
        assert np.array_equal(np.signbit(got[:2]), np.signbit(want[:2]))
        slope = power_term(x, y, 1)
        assert np.array_equal(slope[:, 0], np.zeros(9)) and np.array_equal(slope[:, 1], np.ones(9))


def test_shapes_and_fallbacks():
    """Leading axes are kept; other exponents and bases are computed as ``**`` computes them."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 1))
    y = np.arange(12)
    assert power_term(x, y, 0).shape == (2, 3, 12)
    assert _ulps(power_term(x, y, 1), x, y, 1) <= BOUND_ULPS
    for base, exponent in [(x, np.arange(12.0)), (x, np.arange(-3, 9)), (x[..., 0], y[:3]), (2, y),
                           (x.astype(np.float32), y), (x, np.arange(3)), (x, y[None, :])]:
        with np.errstate(all="ignore"):
            want = base ** exponent
            got = power_term(base, exponent, 0)
        assert np.array_equal(got, want, equal_nan=True) and got.dtype == want.dtype


def test_fallback_derivative_is_the_rule():
    x = np.array([[0.0], [-1.5], [2.0]])
    y = np.arange(-2.0, 5.0)
    with np.errstate(all="ignore"):
        want = y * np.power(np.where(y == 0, 1.0, x), y - 1)
        assert np.array_equal(power_term(x, y, 1), want, equal_nan=True)
