"""Rules for running extrema, ``np.maximum.accumulate`` and ``np.minimum.accumulate``: each entry of the
result moves with the entries of ``x`` so far that attain it, ties sharing equally as ``np.max``'s do
(sct/runtime/scans.py). Their helpers take derivatives with leading batch axes as they are."""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from ..runtime import running_extremum_adjoint, running_extremum_tangent  # noqa: F401
from .core import SAFE, primitive

# the adjoint is zero at the entries that attain no running extremum (sct/analysis/exact_zeros.py)
ACCUMULATE = primitive("numpy.maximum.accumulate", "numpy.minimum.accumulate", batch=SAFE, selects=("x",))


@ACCUMULATE.tangent
def _(z, x, axis=0):
    z_dot = running_extremum_tangent(x_dot, x, z, axis=axis)


@ACCUMULATE.adjoint
def _(z, x, axis=0):
    x_bar = running_extremum_adjoint(z_bar, x, z, axis=axis)
