"""Rules for numpy reductions, shape manipulation, indexing, joining, and non-differentiable functions."""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import (  # noqa: F401
    cumsum_adjoint,
    diag_adjoint,
    diagonal_adjoint,
    extremum_adjoint,
    extremum_mask,
    if_inexact,
    prod_partials,
    prod_partials_tangent,
    reduced_size,
    transpose_adjoint,
    unbroadcast,
    unreduce,
    unstack_like,
    var_weights,
)
from .call_forms import SUM_ALONG
from .core import SAFE, Axes, adjoint, nondiff, nondiff_except, primitive, tangent

# np.sum(x, axis=k) is computed by SUM_ALONG (call_forms.py rewrites it)
SUM = primitive("numpy.sum", "method.sum", SUM_ALONG, batch=Axes("axis"))
MEAN = primitive("numpy.mean", "method.mean", batch=Axes("axis"))
PROD = primitive("numpy.prod", "method.prod", batch=Axes("axis"))
MAXIMA = primitive("numpy.max", "numpy.amax", "method.max", batch=Axes("axis"))
MINIMA = primitive("numpy.min", "numpy.amin", "method.min", batch=Axes("axis"))
EXTREMA = MAXIMA + MINIMA
SQUEEZES = ("numpy.squeeze", "method.squeeze", "numpy.reshape", "method.reshape")
RESHAPES = primitive(*SQUEEZES, "numpy.ravel", "method.ravel", "method.flatten", "numpy.expand_dims",
                     "numpy.atleast_1d", "numpy.atleast_2d", "numpy.atleast_3d",
                     "numpy.ascontiguousarray")  # ascontiguousarray makes a 0-d value 1-d
primitive("method.reshape", "method.transpose", packs_varargs=True)  # x.reshape(2, 3)
primitive("numpy.flip", "numpy.var", "method.var", "numpy.std", "method.std", batch=Axes("axis"))
primitive("numpy.swapaxes", "method.swapaxes", "numpy.diagonal", "method.diagonal", "numpy.trace",
          "method.trace", batch=Axes("axis1", "axis2"))
primitive("numpy.moveaxis", batch=Axes("source", "destination"))
primitive("numpy.broadcast_to", "attr.mT", "attr.real", "numpy.real", "method.copy", "numpy.copy",
          "op.Subscript", "numpy.transpose", "method.transpose", "numpy.triu", "numpy.tril", "numpy.cumsum",
          "method.cumsum", batch=SAFE)
primitive("numpy.array", "numpy.asarray", takes_lists=True, literal_list="numpy.stack")
# their adjoint is zero at the entries they drop (sct/analysis/exact_zeros.py)
primitive("op.Subscript", "numpy.triu", "numpy.tril", "numpy.diagonal", "method.diagonal", *EXTREMA,
          selects=("x",))


@tangent(*SUM)
def _sum(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot, axis=axis, keepdims=keepdims)


@adjoint(*SUM)
def _sum(z, x, axis=None, keepdims=False):
    x_bar = unreduce(z_bar, x, axis=axis, keepdims=keepdims)


@tangent(*MEAN)
def _mean(z, x, axis=None, keepdims=False):
    z_dot = np.mean(x_dot, axis=axis, keepdims=keepdims)


@adjoint(*MEAN)
def _mean(z, x, axis=None, keepdims=False):
    x_bar = unreduce(z_bar, x, axis=axis, keepdims=keepdims) / reduced_size(x, axis=axis)


@tangent(*PROD)
def _prod(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot * prod_partials(x, axis=axis), axis=axis, keepdims=keepdims)


@adjoint(*PROD)
def _prod(z, x, axis=None, keepdims=False):
    x_bar = unreduce(z_bar, x, axis=axis, keepdims=keepdims) * prod_partials(x, axis=axis)


@tangent("sct.runtime.prod_partials")  # emitted code is differentiated again for second derivatives
def _prod_partials(z, x, axis=None):
    z_dot = prod_partials_tangent(x, x_dot, axis=axis)


@adjoint("sct.runtime.prod_partials")  # the (i, j) table of products of all but x_i, x_j is symmetric
def _prod_partials(z, x, axis=None):
    x_bar = prod_partials_tangent(x, z_bar, axis=axis)


@tangent(*EXTREMA)
def _extremum(z, x, axis=None, keepdims=False):
    z_dot = np.sum(x_dot * extremum_mask(x, z, axis=axis, keepdims=keepdims), axis=axis, keepdims=keepdims)


@adjoint(*EXTREMA)
def _extremum(z, x, axis=None, keepdims=False):
    x_bar = extremum_adjoint(z_bar, x, z, axis=axis, keepdims=keepdims)


@tangent(*RESHAPES)
def _reshape(z, x, shape=None, axis=None):  # shape: reshape's; axis: squeeze's and expand_dims'
    z_dot = np.reshape(x_dot, np.shape(z))


@adjoint(*RESHAPES)
def _reshape(z, x, shape=None, axis=None):
    x_bar = np.reshape(z_bar, np.shape(x))


@tangent("numpy.flip")
def _flip(z, x, axis=None):
    z_dot = np.flip(x_dot, axis=axis)


@adjoint("numpy.flip")
def _flip(z, x, axis=None):
    x_bar = np.flip(z_bar, axis=axis)


@tangent("numpy.var", "method.var")
def _var(z, x, axis=None, ddof=0, keepdims=False):
    z_dot = np.sum(var_weights(x, axis=axis, ddof=ddof) * x_dot, axis=axis, keepdims=keepdims)


@adjoint("numpy.var", "method.var")
def _var(z, x, axis=None, ddof=0, keepdims=False):
    x_bar = unreduce(z_bar, x, axis=axis, keepdims=keepdims) * var_weights(x, axis=axis, ddof=ddof)


@tangent("numpy.std", "method.std")
def _std(z, x, axis=None, ddof=0, keepdims=False):  # over one element the std is 0 whatever x: slope 0
    z_dot = np.sum(var_weights(x, axis=axis, ddof=ddof) * x_dot, axis=axis, keepdims=keepdims) \
        / (2 * z + (reduced_size(x, axis=axis) == 1))


@adjoint("numpy.std", "method.std")
def _std(z, x, axis=None, ddof=0, keepdims=False):
    x_bar = unreduce(z_bar / (2 * z + (reduced_size(x, axis=axis) == 1)), x, axis=axis, keepdims=keepdims) \
        * var_weights(x, axis=axis, ddof=ddof)


@tangent("numpy.diag")
def _diag(z, x, k=0):
    z_dot = np.diag(x_dot, k=k)


@adjoint("numpy.diag")
def _diag(z, x, k=0):
    x_bar = diag_adjoint(z_bar, x, k=k)


@tangent("numpy.broadcast_to")
def _broadcast_to(z, x, shape):
    z_dot = np.broadcast_to(x_dot, shape)


@adjoint("numpy.broadcast_to")
def _broadcast_to(z, x, shape):
    x_bar = unbroadcast(z_bar, x)


@tangent("attr.T")
def _dot_t(z, x):
    z_dot = x_dot.T


@adjoint("attr.T")
def _dot_t(z, x):
    x_bar = z_bar.T


@tangent("numpy.transpose", "method.transpose")
def _transpose(z, x, axes=None):
    z_dot = np.transpose(x_dot, axes=axes)


@adjoint("numpy.transpose", "method.transpose")
def _transpose(z, x, axes=None):
    x_bar = transpose_adjoint(z_bar, axes=axes)


@tangent("attr.mT")
def _matrix_transpose(z, x):
    z_dot = np.swapaxes(x_dot, -1, -2)


@adjoint("attr.mT")
def _matrix_transpose(z, x):
    x_bar = np.swapaxes(z_bar, -1, -2)


@tangent("attr.real", "numpy.real")
def _real(z, x):
    z_dot = np.real(x_dot)


@adjoint("attr.real", "numpy.real")
def _real(z, x):
    x_bar = z_bar


@tangent("numpy.swapaxes", "method.swapaxes")
def _swapaxes(z, x, axis1, axis2):
    z_dot = np.swapaxes(x_dot, axis1, axis2)


@adjoint("numpy.swapaxes", "method.swapaxes")
def _swapaxes(z, x, axis1, axis2):
    x_bar = np.swapaxes(z_bar, axis1, axis2)


@tangent("numpy.moveaxis")
def _moveaxis(z, x, source, destination):
    z_dot = np.moveaxis(x_dot, source, destination)


@adjoint("numpy.moveaxis")
def _moveaxis(z, x, source, destination):
    x_bar = np.moveaxis(z_bar, destination, source)


@tangent("method.copy", "numpy.copy")
def _copy(z, x):
    z_dot = np.copy(x_dot)


@adjoint("method.copy", "numpy.copy")
def _copy(z, x):
    x_bar = z_bar


@tangent("numpy.array", "numpy.asarray")
def _array(z, x, dtype=None):
    z_dot = if_inexact(np.array(x_dot), z)


@adjoint("numpy.array", "numpy.asarray")
def _array(z, x, dtype=None):
    x_bar = unstack_like(if_inexact(z_bar, z), x)


@tangent("op.Subscript")
def _getitem(z, x, index):
    z_dot = x_dot[index]


@tangent("numpy.triu")
def _triu(z, x, k=0):
    z_dot = np.triu(x_dot, k=k)


@adjoint("numpy.triu")
def _triu(z, x, k=0):
    x_bar = unbroadcast(np.triu(z_bar, k=k), x)  # a 1-d x is every row of the matrix


@tangent("numpy.tril")
def _tril(z, x, k=0):
    z_dot = np.tril(x_dot, k=k)


@adjoint("numpy.tril")
def _tril(z, x, k=0):
    x_bar = unbroadcast(np.tril(z_bar, k=k), x)  # a 1-d x is every row of the matrix


@tangent("numpy.diagonal", "method.diagonal")
def _diagonal(z, x, offset=0, axis1=0, axis2=1):
    z_dot = np.diagonal(x_dot, offset=offset, axis1=axis1, axis2=axis2)


@adjoint("numpy.diagonal", "method.diagonal")
def _diagonal(z, x, offset=0, axis1=0, axis2=1):
    x_bar = diagonal_adjoint(z_bar, x, offset=offset, axis1=axis1, axis2=axis2)


@tangent("numpy.trace", "method.trace")
def _trace(z, x, offset=0, axis1=0, axis2=1):
    z_dot = np.trace(x_dot, offset=offset, axis1=axis1, axis2=axis2)


@adjoint("numpy.trace", "method.trace")
def _trace(z, x, offset=0, axis1=0, axis2=1):  # the sum of the diagonal: spread z_bar along it
    diagonal = np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)
    x_bar = diagonal_adjoint(np.broadcast_to(np.expand_dims(z_bar, -1), np.shape(diagonal)), x,
                             offset=offset, axis1=axis1, axis2=axis2)


@tangent("numpy.cumsum", "method.cumsum")
def _cumsum(z, x, axis=None):
    z_dot = np.cumsum(x_dot, axis=axis)


@adjoint("numpy.cumsum", "method.cumsum")
def _cumsum(z, x, axis=None):
    x_bar = cumsum_adjoint(z_bar, x, axis=axis)


nondiff(
    "numpy.floor", "numpy.ceil", "numpy.round", "method.round", "numpy.around", "numpy.rint", "numpy.trunc",
    "numpy.fix",
    "numpy.sign", "numpy.shape", "numpy.ndim", "numpy.size", "numpy.argmax", "numpy.argmin", "numpy.argsort",
    "method.argmax", "method.argmin", "method.argsort", "numpy.floor_divide",
    "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like",
    "numpy.isnan", "numpy.isinf", "numpy.isfinite", "numpy.logical_and", "numpy.logical_or",
    "numpy.logical_not",
    "numpy.logical_xor", "numpy.all", "numpy.any", "method.all", "method.any", "numpy.greater",
    "numpy.greater_equal", "numpy.less", "numpy.less_equal", "numpy.equal", "numpy.not_equal",
    "numpy.count_nonzero", "numpy.nonzero", "numpy.searchsorted", "numpy.iscomplexobj", "numpy.result_type",
    "attr.imag", "numpy.imag",
)


def _arange_carrying(args: list, keywords: dict) -> list:
    """``np.arange(start, stop, step)`` is ``start + i * step``: constant in ``stop`` (and in a lone
    argument, the stop), not in ``start`` or ``step``."""
    if len(args) <= 1 and not ({"start", "step"} & set(keywords)):
        return []
    start = args[0] if args else keywords.get("start")
    step = args[2] if len(args) > 2 else keywords.get("step")
    return [a for a in (start, step) if a is not None]


nondiff_except("numpy.arange", carrying=_arange_carrying,
               hint="write start + step * np.arange(n) with an integer n")


nondiff("numpy.zeros", "numpy.ones", "numpy.empty", "numpy.eye", "numpy.identity", "numpy.tril_indices",
        "numpy.triu_indices", "numpy.indices", "numpy.random.default_rng",
        "numpy.tril_indices_from", "numpy.triu_indices_from", "numpy.diag_indices_from")  # of a shape only
# np.diag_indices(n, ndim) repeats arange(n) ndim times: a float ndim would scale it.
nondiff_except("numpy.diag_indices", carrying=lambda args, keywords: args[1:] + list(keywords.values()))
