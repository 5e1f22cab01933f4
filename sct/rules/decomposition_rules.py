"""Rules for matrix decompositions and triangular solves: ``numpy.linalg.eigh``, ``scipy.linalg``'s
``solve_triangular``, ``cho_factor`` and ``cho_solve``.

Every template is written in numpy calls that have rules themselves, so the derivatives of derivatives
(hessians) follow. ``eigh`` reads one triangle of its argument (the lower one by default), and so do its
derivatives; the derivative of its eigenvectors is not defined where two eigenvalues are equal (sct
computes with ``1 / (w_j - w_i)``, infinite there): use it at matrices with distinct eigenvalues.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from .. import runtime
from ..runtime import symmetric_part, symmetric_part_adjoint  # noqa: F401
from .core import SAFE, adjoint, linear, primitive

EIGH = primitive("numpy.linalg.eigh", batch=SAFE)
linear(runtime.symmetric_part, "t", batched=SAFE)
linear(runtime.symmetric_part_adjoint, "g", batched=SAFE)


@adjoint("sct.runtime.symmetric_part")  # the two helpers are each other's adjoint
def _symmetric_part(z, t, UPLO="L"):
    t_bar = symmetric_part_adjoint(z_bar, UPLO=UPLO)


@adjoint("sct.runtime.symmetric_part_adjoint")
def _symmetric_part_adjoint(z, g, UPLO="L"):
    g_bar = symmetric_part(z_bar, UPLO=UPLO)


@EIGH.tangent(outputs=2)
def _eigh(w, v, a, UPLO="L"):
    p = np.swapaxes(v, -1, -2) @ symmetric_part(a_dot, UPLO=UPLO) @ v
    same = np.eye(np.shape(w)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, w[..., None, :] - w[..., :, None]))
    w_dot = np.diagonal(p, axis1=-2, axis2=-1)
    v_dot = v @ (gaps * p)


@EIGH.adjoint(outputs=2)
def _eigh(w, v, a, UPLO="L"):
    same = np.eye(np.shape(w)[-1], dtype=bool)
    gaps = np.where(same, 0.0, 1.0 / np.where(same, 1.0, w[..., None, :] - w[..., :, None]))
    inner = np.where(same, w_bar[..., None, :], gaps * (np.swapaxes(v, -1, -2) @ v_bar))
    a_bar = symmetric_part_adjoint(v @ inner @ np.swapaxes(v, -1, -2), UPLO=UPLO)
