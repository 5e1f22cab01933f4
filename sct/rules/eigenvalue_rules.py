"""Rules for ``numpy.linalg.eigvalsh``: the eigenvalues of a symmetric matrix, differentiated where they
are distinct, ``w_dot = diag(V^T A_dot V)`` and ``A_bar = V diag(w_bar) V^T`` (read from the triangle
``UPLO`` names). At repeated eigenvalues no eigenvalue has a derivative: the emitted code raises ValueError
there (``sct.runtime.distinct_eigenvalues``). The eigenvectors come from ``np.linalg.eigh``, whose own rules
give the second derivatives.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from .. import runtime
from ..runtime import distinct_eigenvalues, symmetric_part, symmetric_part_adjoint  # noqa: F401
from .core import SAFE, primitive
from .linear import linear

EIGVALSH = primitive("numpy.linalg.eigvalsh", batch=SAFE)
linear(runtime.distinct_eigenvalues, "t", batched=SAFE, transpose="distinct_eigenvalues")


@EIGVALSH.tangent
def _eigvalsh(z, a, UPLO="L"):
    v = np.linalg.eigh(a, UPLO=UPLO)[1]
    z_dot = distinct_eigenvalues(np.diagonal(np.swapaxes(v, -1, -2) @ symmetric_part(a_dot, UPLO=UPLO) @ v,
                                             axis1=-2, axis2=-1), z)


@EIGVALSH.adjoint
def _eigvalsh(z, a, UPLO="L"):
    v = np.linalg.eigh(a, UPLO=UPLO)[1]
    scaled = v * distinct_eigenvalues(z_bar, z)[..., None, :]
    a_bar = symmetric_part_adjoint(scaled @ np.swapaxes(v, -1, -2), UPLO=UPLO)
