"""E-step and M-step of EM for Gaussian mixtures, vectorised over samples and components.

Both steps are driven by sufficient statistics. With a (m, n) feature matrix
``F`` whose column for sample ``x`` is ``(1, x, second-order monomials of x)``:

* E-step: every component's weighted log density is a quadratic polynomial in
  ``x``, so one product ``C @ F`` (a row of coefficients per component) gives
  the (K, n) weighted log-probabilities of all samples under all components;
* M-step: one product ``resp @ F.T`` gives, per component, the sums of ``r``,
  ``r x`` and ``r x x^T``, from which weights, means and covariances follow.

Expanding a quadratic form cancels digits when a component's mean lies far
from the origin compared with its spread: the error is about ``eps * t``,
``t`` being the squared norm of the whitened mean. The data are therefore
centred, and components with ``t > CANCELLATION_LIMIT`` are evaluated from the
differences ``x - mean`` instead (as are all components when ``F`` would be
larger than ``FEATURE_BYTES_LIMIT``).

Responsibilities are (K, n) arrays so that reductions over components run
along contiguous memory.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from . import _covariance as cov

LOG_2PI = math.log(2.0 * math.pi)
CANCELLATION_LIMIT = 1e5
FEATURE_BYTES_LIMIT = 2**28
# Added to the responsibility mass of each component so empty ones do not divide by zero.
_MASS_FLOOR = 10.0 * np.finfo(np.float64).eps
# Log-ratios to the largest term are clamped here before exp: below about -708 exp
# returns subnormals through a much slower path, and terms under exp(-700) ~ 1e-304
# of the largest cannot change a sum of doubles anyway.
_LOG_RATIO_FLOOR = -700.0


class Mixture(NamedTuple):
    """Parameters of a mixture; ``means`` are relative to the design's centre."""

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray


class Design(NamedTuple):
    """Data prepared once for repeated E- and M-steps."""

    X: np.ndarray  # centred samples, (n, d)
    features: np.ndarray | None  # (m, n) features, one row per monomial; None when too large
    covariance_type: str
    variance_floor: np.ndarray  # (d,) variances at or below this are rounding noise


def n_feature_rows(n_features: int, covariance_type: str) -> int:
    """Rows of the feature matrix: 1, the d coordinates and the second-order monomials."""
    d = n_features
    n_second = {"full": d * (d + 1) // 2, "tied": d * (d + 1) // 2, "diag": d, "spherical": 1}
    return 1 + d + n_second[covariance_type]


def variance_floor(square_sums: np.ndarray, n_samples: int) -> np.ndarray:
    """Per-feature variances at or below rounding noise, from the sums of squared centred values."""
    return np.finfo(np.float64).eps * square_sums / n_samples


def make_design(X: np.ndarray, covariance_type: str, center: np.ndarray) -> Design:
    """Centre ``X`` on ``center`` and build its feature matrix for ``covariance_type``."""
    Xc = X - center
    n, d = Xc.shape
    floor = variance_floor(np.einsum("nd,nd->d", Xc, Xc), n)
    n_rows = n_feature_rows(d, covariance_type)
    if n * n_rows * Xc.itemsize > FEATURE_BYTES_LIMIT:
        return Design(Xc, None, covariance_type, floor)
    # one row per feature: both products below then stream contiguous memory
    F = np.empty((n_rows, n))
    F[0] = 1.0
    F[1 : d + 1] = Xc.T
    columns = F[1 : d + 1]
    if covariance_type in ("full", "tied"):
        rows, cols = np.triu_indices(d)
        np.multiply(columns[rows], columns[cols], out=F[d + 1 :])
    elif covariance_type == "diag":
        np.square(columns, out=F[d + 1 :])
    else:
        F[d + 1] = np.einsum("dn,dn->n", columns, columns)
    return Design(Xc, F, covariance_type, floor)


def weighted_log_prob(design: Design, mix: Mixture) -> np.ndarray:
    """``log(weight_k) + log N(x_i | mean_k, cov_k)`` as a (K, n) array."""
    Xc, F, covariance_type, _ = design
    n, d = Xc.shape
    factors = mix.precisions_cholesky
    with np.errstate(divide="ignore"):  # a zero weight gives -inf, as it should
        base = np.log(mix.weights) + cov.log_det_cholesky(factors, covariance_type, d) - 0.5 * d * LOG_2PI
    white_means = cov.whiten(mix.means, factors, covariance_type)
    spread = np.einsum("kd,kd->k", white_means, white_means)
    if F is None:
        out = np.empty((len(base), n))
        direct = range(len(base))
    else:
        out = _coefficients(mix, covariance_type, white_means, base - 0.5 * spread) @ F
        direct = np.flatnonzero(spread > CANCELLATION_LIMIT)
    for k in direct:
        z = cov.whiten(Xc - mix.means[k], factors, covariance_type, k)
        out[k] = base[k] - 0.5 * np.einsum("nd,nd->n", z, z)
    return out


def _coefficients(
    mix: Mixture, covariance_type: str, white_means: np.ndarray, const: np.ndarray
) -> np.ndarray:
    """Rows ``C[k]`` with ``C[k] @ F[:, i]`` equal to the weighted log density of sample i."""
    factors = mix.precisions_cholesky
    n_components, d = mix.means.shape
    # linear term: precision @ mean = P @ (P.T @ mean)
    if covariance_type == "full":
        linear = np.einsum("kde,ke->kd", factors, white_means)
        precisions = cov.precisions_from_cholesky(factors, covariance_type)
    elif covariance_type == "tied":
        linear = white_means @ factors.T
        precisions = cov.precisions_from_cholesky(factors, covariance_type)[np.newaxis]
    else:
        scale = factors if covariance_type == "diag" else factors[:, np.newaxis]
        linear = scale * white_means
    if covariance_type in ("full", "tied"):
        rows, cols = np.triu_indices(d)
        # off-diagonal monomials stand for two symmetric entries
        quadratic = precisions[:, rows, cols] * np.where(rows == cols, -0.5, -1.0)
        quadratic = np.broadcast_to(quadratic, (n_components, len(rows)))
    else:
        quadratic = -0.5 * factors.reshape(n_components, -1) ** 2
    return np.concatenate([const[:, np.newaxis], linear, quadratic], axis=1)


def e_step(design: Design, mix: Mixture) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample log-likelihood (n,) and responsibilities (K, n)."""
    resp = weighted_log_prob(design, mix)
    top = resp.max(axis=0)
    resp -= top
    np.maximum(resp, _LOG_RATIO_FLOOR, out=resp)
    np.exp(resp, out=resp)
    total = resp.sum(axis=0)
    resp /= total
    return np.log(total) + top, resp


def moment_sums(design: Design, resp: np.ndarray) -> np.ndarray:
    """(K, m) sufficient statistics: per component, the responsibility-weighted sum of each feature row.

    Column 0 is ``sum r``, columns 1..d are ``sum r x`` and the rest the second-order monomials the
    covariance type needs. Sums over disjoint blocks of rows add up to the sums over all of them.
    Needs ``design.features``.
    """
    return resp @ design.features.T


def scatter_sums(design: Design, resp: np.ndarray, means: np.ndarray, components) -> np.ndarray:
    """Unnormalised scatter of ``components`` about ``means``, from differences to the means.

    Per component: ``sum r (x - mean)(x - mean)^T`` (full), its diagonal (diag) or the mean of that
    diagonal (spherical); for ``tied`` the one matrix summed over all components (``components`` is
    ignored). Like :func:`moment_sums`, these add up over blocks of rows.
    """
    Xc, _, covariance_type, _ = design

    def scatter(k: int) -> np.ndarray:
        diff = Xc - means[k]
        if covariance_type in ("full", "tied"):
            weighted = diff * np.sqrt(resp[k])[:, np.newaxis]
            return weighted.T @ weighted  # A.T @ A: numpy uses the symmetric (syrk) kernel
        squares = resp[k] @ diff**2
        return squares if covariance_type == "diag" else squares.mean()

    if covariance_type == "tied":
        return sum(scatter(k) for k in range(len(means)))
    return np.array([scatter(k) for k in components])


def m_step(design: Design, resp: np.ndarray, reg_covar: float) -> Mixture:
    """Maximum-likelihood parameters given responsibilities ``resp`` (K, n).

    Raises ValueError if a covariance is not positive definite even after
    adding ``reg_covar`` to its diagonal, or if one of its Cholesky pivots is
    no larger than rounding noise (``design.variance_floor``).
    """
    Xc, F, covariance_type, floor = design

    def scatter(means: np.ndarray, components) -> np.ndarray:
        return scatter_sums(design, resp, means, components)

    if F is None:
        mass = resp.sum(axis=1) + _MASS_FLOOR
        means = (resp @ Xc) / mass[:, np.newaxis]
        covariances = _normalised(scatter(means, range(len(mass))), mass, range(len(mass)), covariance_type)
        covariances = _regularised(covariances, reg_covar, covariance_type)
        factors, ok = cov.cholesky_factors(covariances, covariance_type, floor)
        if not ok.all():
            raise ValueError(cov.COLLAPSE_MESSAGE)
        return Mixture(mass / mass.sum(), means, covariances, factors)
    return m_step_from_sums(moment_sums(design, resp), covariance_type, floor, reg_covar, scatter)


def m_step_from_sums(
    sums: np.ndarray, covariance_type: str, floor: np.ndarray, reg_covar: float, scatter
) -> Mixture:
    """The M-step from the :func:`moment_sums` of all rows.

    Where the moment formula would cancel digits or fails to give a positive-definite matrix,
    ``scatter(means, components)`` is called for the :func:`scatter_sums` of all rows instead.
    """
    d = len(floor)
    mass = sums[:, 0] + _MASS_FLOOR
    means = sums[:, 1 : d + 1] / mass[:, np.newaxis]
    covariances = _moment_covariances(sums[:, d + 1 :], mass, means, covariance_type)
    covariances = _regularised(covariances, reg_covar, covariance_type)
    factors, ok = cov.cholesky_factors(covariances, covariance_type, floor)
    white_means = cov.whiten(means, factors, covariance_type)
    inexact = np.einsum("kd,kd->k", white_means, white_means) > CANCELLATION_LIMIT
    if covariance_type == "tied":
        redo = range(len(mass)) if inexact.any() or not ok.all() else range(0)
    else:
        redo = np.flatnonzero(inexact | ~ok)
    if len(redo):
        exact = _regularised(
            _normalised(scatter(means, redo), mass, redo, covariance_type), reg_covar, covariance_type
        )
        if covariance_type == "tied":
            covariances = exact
        else:
            covariances[redo] = exact
        factors, ok = cov.cholesky_factors(covariances, covariance_type, floor)
    if not ok.all():
        raise ValueError(cov.COLLAPSE_MESSAGE)
    return Mixture(mass / mass.sum(), means, covariances, factors)


def _moment_covariances(second: np.ndarray, mass: np.ndarray, means: np.ndarray, covariance_type: str):
    """Covariances (without regularisation) from summed second moments."""
    if covariance_type == "full":
        d = means.shape[1]
        return _unpack_symmetric(second, d) / mass[:, np.newaxis, np.newaxis] - np.einsum(
            "kd,ke->kde", means, means
        )
    if covariance_type == "tied":
        d = means.shape[1]
        return (_unpack_symmetric(second.sum(axis=0), d) - (means.T * mass) @ means) / mass.sum()
    if covariance_type == "diag":
        return second / mass[:, np.newaxis] - means**2
    return (second[:, 0] / mass - np.einsum("kd,kd->k", means, means)) / means.shape[1]


def _normalised(scatter: np.ndarray, mass: np.ndarray, components, covariance_type: str) -> np.ndarray:
    """Covariances (without regularisation) of ``components`` from their :func:`scatter_sums`."""
    if covariance_type == "tied":
        return scatter / mass.sum()
    shape = (-1,) + (1,) * (scatter.ndim - 1)
    return scatter / mass[np.asarray(components, dtype=np.intp)].reshape(shape)


def _regularised(covariances: np.ndarray, reg_covar: float, covariance_type: str) -> np.ndarray:
    if covariance_type in ("full", "tied"):
        diagonal = np.arange(covariances.shape[-1])
        covariances[..., diagonal, diagonal] += reg_covar
        return covariances
    return covariances + reg_covar


def _unpack_symmetric(packed: np.ndarray, d: int) -> np.ndarray:
    """(..., d(d+1)/2) upper-triangle entries -> (..., d, d) symmetric matrices."""
    rows, cols = np.triu_indices(d)
    out = np.empty(packed.shape[:-1] + (d, d))
    out[..., rows, cols] = packed
    out[..., cols, rows] = packed
    return out
