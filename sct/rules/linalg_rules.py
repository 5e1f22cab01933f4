"""Rules for products and ``numpy.linalg``."""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import (  # noqa: F401
    adjugate,
    adjugate_adjoint,
    adjugate_tangent,
    as_columns,
    broadcast_like,
    cholesky_adjoint,
    cholesky_tangent,
    dot_adjoint,
    from_columns,
    matmul_adjoint,
    norm_weights,
    unbroadcast,
    unreduce,
)
from .core import SAFE, Axes, adjoint, helper, primitive, tangent

RUNTIME = "sct.runtime."
MATMUL = ("op.MatMult", "numpy.matmul")
DOT = ("numpy.dot", "method.dot")
primitive("numpy.linalg.inv", "numpy.linalg.det", "numpy.linalg.slogdet", "numpy.linalg.cholesky", batch=SAFE)
primitive("numpy.linalg.norm", batch=Axes("axis"))


@tangent(*MATMUL)
def _matmul(z, a, b):
    z_dot = a_dot @ b + a @ b_dot


@adjoint(*MATMUL)
def _matmul(z, a, b):
    a_bar = matmul_adjoint(z_bar, a, b, 0)
    b_bar = matmul_adjoint(z_bar, a, b, 1)


@tangent(*DOT)
def _dot(z, a, b):
    z_dot = np.dot(a_dot, b) + np.dot(a, b_dot)


@adjoint(*DOT)
def _dot(z, a, b):
    scaled = np.ndim(a) == 0 or np.ndim(b) == 0
    a_bar = unbroadcast(z_bar * b, a) if scaled else dot_adjoint(z_bar, a, b, 0)
    b_bar = unbroadcast(a * z_bar, b) if scaled else dot_adjoint(z_bar, a, b, 1)


@tangent("numpy.outer")
def _outer(z, a, b):
    z_dot = np.outer(a_dot, b) + np.outer(a, b_dot)


@adjoint("numpy.outer")
def _outer(z, a, b):
    a_bar = np.reshape(z_bar @ np.ravel(b), np.shape(a))
    b_bar = np.reshape(np.ravel(a) @ z_bar, np.shape(b))


@tangent("numpy.linalg.norm")
def _norm(z, x, ord=None, axis=None, keepdims=False):
    weights = norm_weights(x, z, ord=ord, axis=axis, keepdims=keepdims)
    z_dot = np.sum(weights * x_dot, axis=axis, keepdims=keepdims)


@adjoint("numpy.linalg.norm")
def _norm(z, x, ord=None, axis=None, keepdims=False):
    x_bar = (unreduce(z_bar, x, axis=axis, keepdims=keepdims)
             * norm_weights(x, z, ord=ord, axis=axis, keepdims=keepdims))


@tangent("numpy.linalg.inv")
def _inv(z, a):
    z_dot = -(z @ a_dot @ z)


@adjoint("numpy.linalg.inv")
def _inv(z, a):
    a_bar = -(np.swapaxes(z, -1, -2) @ z_bar @ np.swapaxes(z, -1, -2))


@tangent("numpy.linalg.solve")
def _solve(z, a, b):  # in columns: a 1-D b makes z a (stack of) vector(s)
    z_dot = from_columns(np.linalg.solve(a, as_columns(b_dot, z, a) - a_dot @ as_columns(z, z, a)), z, a)


@adjoint("numpy.linalg.solve")
def _solve(z, a, b):
    g = np.linalg.solve(np.swapaxes(a, -1, -2), as_columns(broadcast_like(z_bar, z), z, a))
    a_bar = unbroadcast(-g @ np.swapaxes(as_columns(z, z, a), -1, -2), a)
    b_bar = unbroadcast(from_columns(g, z, a), b)


# det's derivative is the adjugate, finite where a is singular (det(a) inv(a) is not defined there)
@tangent("numpy.linalg.det")
def _det(z, a):
    z_dot = np.sum(np.swapaxes(adjugate(a), -1, -2) * a_dot, axis=(-2, -1))


@adjoint("numpy.linalg.det")
def _det(z, a):
    a_bar = np.asarray(z_bar)[..., None, None] * np.swapaxes(adjugate(a), -1, -2)


ADJUGATE = primitive(RUNTIME + "adjugate", batch=SAFE)
# its derivatives are linear in the direction; a third derivative (through a) is refused
primitive(RUNTIME + "adjugate_tangent", RUNTIME + "adjugate_adjoint", batch=SAFE, constant=("a",))
helper("adjugate", "adjugate_tangent", "adjugate_adjoint")  # a batch of directions broadcasts through them


@ADJUGATE.tangent
def _adjugate(z, a):
    z_dot = adjugate_tangent(a, a_dot)


@ADJUGATE.adjoint
def _adjugate(z, a):
    a_bar = adjugate_adjoint(a, z_bar)


@tangent(RUNTIME + "adjugate_tangent")
def _adjugate_tangent(z, a, e):
    z_dot = adjugate_tangent(a, e_dot)


@adjoint(RUNTIME + "adjugate_tangent")
def _adjugate_tangent(z, a, e):
    e_bar = adjugate_adjoint(a, z_bar)


@tangent(RUNTIME + "adjugate_adjoint")
def _adjugate_adjoint(z, a, g):
    z_dot = adjugate_adjoint(a, g_dot)


@adjoint(RUNTIME + "adjugate_adjoint")
def _adjugate_adjoint(z, a, g):
    g_bar = adjugate_tangent(a, z_bar)


@tangent("numpy.linalg.slogdet", outputs=2)
def _slogdet(sign, logdet, a):
    sign_dot = np.zeros_like(sign)
    logdet_dot = np.trace(np.linalg.solve(a, a_dot), axis1=-2, axis2=-1)


@adjoint("numpy.linalg.slogdet", outputs=2)
def _slogdet(sign, logdet, a):
    a_bar = np.asarray(logdet_bar)[..., None, None] * np.swapaxes(np.linalg.inv(a), -1, -2)


@tangent("numpy.linalg.cholesky")
def _cholesky(z, a):
    z_dot = cholesky_tangent(z, a_dot)


@adjoint("numpy.linalg.cholesky")
def _cholesky(z, a):
    a_bar = cholesky_adjoint(z, z_bar)
