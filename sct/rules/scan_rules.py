"""Rules for order statistics: running extrema (``np.maximum.accumulate``, ``np.minimum.accumulate``),
each entry moving with the entries of ``x`` so far that attain it (sct/runtime/scans.py), and quantiles
(``np.quantile``, ``np.percentile``, lowered to ``order_quantile``: sct/runtime/quantiles.py). Ties share
equally, as ``np.max``'s do. The helpers take derivatives with leading batch axes as they are."""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from ..runtime import (  # noqa: F401
    quantile_adjoint,
    quantile_tangent,
    running_extremum_adjoint,
    running_extremum_tangent,
)
from .core import RUNTIME, SAFE, nondiff_except, primitive

# the adjoint is zero at the entries that attain no running extremum (sct/analysis/exact_zeros.py)
ACCUMULATE = primitive("numpy.maximum.accumulate", "numpy.minimum.accumulate", batch=SAFE, selects=("x",))


@ACCUMULATE.tangent
def _(z, x, axis=0):
    z_dot = running_extremum_tangent(x_dot, x, z, axis=axis)


@ACCUMULATE.adjoint
def _(z, x, axis=0):
    x_bar = running_extremum_adjoint(z_bar, x, z, axis=axis)


# the levels are numbers in [0, 1], constant: one that varies is refused where the call is made
QUANTILE = primitive(RUNTIME + "order_quantile", batch=SAFE, constant=("q",))
nondiff_except(RUNTIME + "quantile_levels", carrying=lambda args, keywords: args[:1],
               hint="compute the levels from constants: sct differentiates quantiles in the data only")


@QUANTILE.tangent
def _(z, a, q, axis=None):
    z_dot = quantile_tangent(a_dot, a, q, axis=axis)


@QUANTILE.adjoint
def _(z, a, q, axis=None):
    a_bar = quantile_adjoint(z_bar, a, q, axis=axis)
