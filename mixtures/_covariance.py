"""Small-matrix numerics of the four covariance parametrisations.

Shapes, for K components and d features:

* ``full``: (K, d, d)   * ``tied``: (d, d)   * ``diag``: (K, d)   * ``spherical``: (K,)

As in scikit-learn, ``precisions_cholesky`` holds upper-triangular factors ``P``
with ``precision = P @ P.T`` (``P = inv(L).T`` for ``covariance = L @ L.T``);
for ``diag`` and ``spherical`` it holds ``1 / sqrt(covariance)``.
"""

from __future__ import annotations

import numpy as np

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

COLLAPSE_MESSAGE = (
    "A component's covariance matrix is not positive definite, so its Cholesky factor "
    "could not be computed (the component has collapsed onto too few distinct points); "
    "increase reg_covar, use fewer components, or rescale the data."
)


def parameter_shape(covariance_type: str, n_components: int, n_features: int) -> tuple[int, ...]:
    """Shape of covariances (and precisions) for ``covariance_type``."""
    return {
        "full": (n_components, n_features, n_features),
        "tied": (n_features, n_features),
        "diag": (n_components, n_features),
        "spherical": (n_components,),
    }[covariance_type]


def n_parameters(covariance_type: str, n_components: int, n_features: int) -> int:
    """Number of free parameters of a mixture (weights, means and covariances)."""
    per_matrix = n_features * (n_features + 1) // 2
    covariance = {
        "full": n_components * per_matrix,
        "tied": per_matrix,
        "diag": n_components * n_features,
        "spherical": n_components,
    }[covariance_type]
    return covariance + n_components * n_features + n_components - 1


def _batched(matrices: np.ndarray, covariance_type: str) -> np.ndarray:
    """View a tied (d, d) matrix as a batch of one so full and tied share code."""
    return matrices[np.newaxis] if covariance_type == "tied" else matrices


def _unbatched(matrices: np.ndarray, covariance_type: str) -> np.ndarray:
    return matrices[0] if covariance_type == "tied" else matrices


def cholesky_factors(
    covariances: np.ndarray, covariance_type: str, floor: np.ndarray | float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Precision Cholesky factors, and a mask of the components where they exist.

    A component fails when its covariance is not positive definite or when a
    pivot of its Cholesky factorisation (a conditional variance) is at most
    ``floor`` (per feature): values that small are rounding noise, not spread.
    Failed components get NaN factors and a False entry in the mask (a single
    entry for ``tied``) instead of an exception.
    """
    floor = np.asarray(floor, dtype=float)
    if covariance_type in ("diag", "spherical"):
        if covariance_type == "diag":
            ok = (covariances > floor).all(axis=1)
        else:
            ok = covariances > floor.mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            factors = np.where(covariances > 0, 1.0 / np.sqrt(covariances), np.nan)
        return factors, ok
    batch = _batched(covariances, covariance_type)
    lower = np.full_like(batch, np.nan)
    try:
        lower[:] = np.linalg.cholesky(batch)
    except np.linalg.LinAlgError:
        for k, matrix in enumerate(batch):  # find which ones failed
            try:
                lower[k] = np.linalg.cholesky(matrix)
            except np.linalg.LinAlgError:
                pass
    with np.errstate(invalid="ignore"):
        ok = (np.diagonal(lower, axis1=1, axis2=2) ** 2 > floor).all(axis=1)
    factors = np.full_like(batch, np.nan)
    if ok.any():
        # inv of a triangular matrix is triangular; tril discards rounding noise above the diagonal
        factors[ok] = np.tril(np.linalg.inv(lower[ok])).transpose(0, 2, 1)
    return _unbatched(factors, covariance_type), ok


def precision_cholesky(covariances: np.ndarray, covariance_type: str) -> np.ndarray:
    """Precision Cholesky factors of ``covariances``; ValueError if one is not positive definite."""
    factors, ok = cholesky_factors(covariances, covariance_type)
    if not ok.all():
        raise ValueError(COLLAPSE_MESSAGE)
    return factors


def precision_cholesky_from_precisions(precisions: np.ndarray, covariance_type: str) -> np.ndarray:
    """Upper-triangular ``P`` with ``P @ P.T == precisions`` (square root for diag/spherical)."""
    if covariance_type in ("diag", "spherical"):
        return np.sqrt(precisions)
    # Reversing rows and columns turns the lower Cholesky factor into an upper one.
    flipped = _batched(precisions, covariance_type)[:, ::-1, ::-1]
    return _unbatched(np.linalg.cholesky(flipped)[:, ::-1, ::-1], covariance_type)


def precisions_from_cholesky(factors: np.ndarray, covariance_type: str) -> np.ndarray:
    """Precisions ``P @ P.T`` (or ``P**2``) from their Cholesky factors."""
    if covariance_type in ("diag", "spherical"):
        return factors**2
    return factors @ np.swapaxes(factors, -1, -2)


def covariances_from_cholesky(factors: np.ndarray, covariance_type: str) -> np.ndarray:
    """Covariances (inverse precisions) from precision Cholesky factors."""
    if covariance_type in ("diag", "spherical"):
        return 1.0 / factors**2
    inverse = np.linalg.inv(factors)  # = L.T, so covariance = inverse.T @ inverse
    return np.swapaxes(inverse, -1, -2) @ inverse


def log_det_cholesky(factors: np.ndarray, covariance_type: str, n_features: int) -> np.ndarray:
    """Log-determinant of each precision Cholesky factor (half the precision's log-det)."""
    if covariance_type == "full":
        return np.log(np.diagonal(factors, axis1=1, axis2=2)).sum(axis=1)
    if covariance_type == "tied":
        return np.log(np.diagonal(factors)).sum()
    if covariance_type == "diag":
        return np.log(factors).sum(axis=1)
    return n_features * np.log(factors)


def whiten(
    Z: np.ndarray, factors: np.ndarray, covariance_type: str, component: int | None = None
) -> np.ndarray:
    """Map vectors to coordinates where a component's covariance is the identity.

    With ``component=None``, row k of ``Z`` (shape (K, d)) is mapped by component
    k's factor; otherwise every row of ``Z`` is mapped by that component's factor.
    """
    if component is None:
        if covariance_type == "full":
            return np.einsum("kd,kde->ke", Z, factors)
        if covariance_type == "tied":
            return Z @ factors
        return Z * (factors if covariance_type == "diag" else factors[:, np.newaxis])
    if covariance_type == "tied":
        return Z @ factors
    factor = factors[component]
    return Z @ factor if covariance_type == "full" else Z * factor


def check_precisions(precisions: np.ndarray, covariance_type: str) -> None:
    """Raise ValueError unless ``precisions`` are positive (definite, and symmetric)."""
    if covariance_type in ("diag", "spherical"):
        if (precisions <= 0).any():
            raise ValueError(f"precisions_init for covariance_type={covariance_type!r} must be positive.")
        return
    batch = _batched(precisions, covariance_type)
    symmetric = np.allclose(batch, np.swapaxes(batch, 1, 2), rtol=1e-5, atol=1e-8)
    if not symmetric or (np.linalg.eigvalsh(batch) <= 0).any():
        raise ValueError(
            f"precisions_init for covariance_type={covariance_type!r} must be symmetric "
            "and positive-definite."
        )
