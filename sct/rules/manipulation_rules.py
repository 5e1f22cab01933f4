"""Rules for numpy's array rearrangements, np.diff, and a few elementwise functions.

A rearrangement (``np.repeat``, ``np.tile``, ``np.roll``, ``np.rot90``, ``np.pad``, ``np.sort``,
``np.partition``, ``np.resize``; ``np.insert`` of each of its two arrays) picks elements of its input:
its derivative reads the tangent at the positions the
same call picks from an array of positions (:mod:`sct.runtime.manipulation`), so each rule is the call
itself applied to ``index_map(x)``. ``np.sort`` and ``np.partition`` are differentiable where the values
are distinct; at ties the derivative is one of the one-sided ones.

``np.interp`` is differentiated in ``x`` (the slope of the segment ``x`` falls in; at a knot, the slope on
its right); sct refuses active sample points or values.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import ast

import numpy as np

from .. import runtime
from ..ir.builders import call as _call
from ..ir.builders import load as _name
from ..runtime import (  # noqa: F401
    cross_cotangent,
    cross_cotangent_adjoint,
    cross_padded,
    cross_part,
    diff_adjoint,
    diff_along,
    gather,
    gather_adjoint,
    if_inexact,
    index_map,
    interp_slope,
    pad_fill,
    pad_fill_adjoint,
    pad_map,
    sorted_map,
    unbroadcast,
)
from .core import RUNTIME, SAFE, RuleError, elementwise, generator, helper, nondiff, primitive
from .linear import linear
from .templates import Contribution, is_zero, tangent_assignment

REPEAT = primitive("numpy.repeat", "method.repeat", batch=SAFE)
TILE = primitive("numpy.tile", batch=SAFE)
ROLL = primitive("numpy.roll", batch=SAFE)
ROT90 = primitive("numpy.rot90", batch=SAFE)
ROLLAXIS = primitive("numpy.rollaxis", batch=SAFE)
CROSS = primitive("numpy.cross")
PAD = primitive("numpy.pad", batch=SAFE)
SORT = primitive("numpy.sort", batch=SAFE)
PARTITION = primitive("numpy.partition", batch=SAFE)
DIFF = primitive("numpy.diff", batch=SAFE)
CONJ = primitive("numpy.conj", "numpy.conjugate", "method.conj", "method.conjugate", batch=SAFE)
REAL_IF_CLOSE = primitive("numpy.real_if_close", batch=SAFE)
RESIZE = primitive("numpy.resize", batch=SAFE)
INSERT = primitive("numpy.insert", batch=SAFE, constant=("obj",))


@REPEAT.tangent
def _repeat(z, x, repeats, axis=None):
    z_dot = gather(x_dot, np.repeat(index_map(x), repeats, axis=axis), x)


@REPEAT.adjoint
def _repeat(z, x, repeats, axis=None):
    x_bar = gather_adjoint(z_bar, np.repeat(index_map(x), repeats, axis=axis), x)


@TILE.tangent
def _tile(z, x, reps):
    z_dot = gather(x_dot, np.tile(index_map(x), reps), x)


@TILE.adjoint
def _tile(z, x, reps):
    x_bar = gather_adjoint(z_bar, np.tile(index_map(x), reps), x)


@ROLL.tangent
def _roll(z, x, shift, axis=None):
    z_dot = gather(x_dot, np.roll(index_map(x), shift, axis=axis), x)


@ROLL.adjoint
def _roll(z, x, shift, axis=None):
    x_bar = gather_adjoint(z_bar, np.roll(index_map(x), shift, axis=axis), x)


@ROT90.tangent
def _rot90(z, x, k=1, axes=(0, 1)):
    z_dot = gather(x_dot, np.rot90(index_map(x), k=k, axes=axes), x)


@ROT90.adjoint
def _rot90(z, x, k=1, axes=(0, 1)):
    x_bar = gather_adjoint(z_bar, np.rot90(index_map(x), k=k, axes=axes), x)


@ROLLAXIS.tangent
def _rollaxis(z, x, axis, start=0):
    z_dot = gather(x_dot, np.rollaxis(index_map(x), axis, start=start), x)


@ROLLAXIS.adjoint
def _rollaxis(z, x, axis, start=0):
    x_bar = gather_adjoint(z_bar, np.rollaxis(index_map(x), axis, start=start), x)


@RESIZE.tangent
def _resize(z, a, new_shape):
    z_dot = gather(a_dot, np.resize(index_map(a), new_shape), a)


@RESIZE.adjoint
def _resize(z, a, new_shape):
    a_bar = gather_adjoint(z_bar, np.resize(index_map(a), new_shape), a)


# arr's entries where np.insert keeps them (-1 in the inserted slots, which read 0), values' in those slots
# (as many, and broadcast, as numpy makes them: the same call with positions of values' shape); values
# cast to an integer arr carry no derivative
@INSERT.tangent
def _insert(z, arr, obj, values, axis=None):
    z_dot = gather(arr_dot, np.insert(index_map(arr), obj, np.full(np.shape(values), -1), axis=axis),
                   arr) + if_inexact(gather(
        values_dot, np.insert(np.full(np.shape(arr), -1), obj, index_map(values), axis=axis), values), z)


@INSERT.adjoint
def _insert(z, arr, obj, values, axis=None):
    arr_bar = gather_adjoint(z_bar, np.insert(index_map(arr), obj, np.full(np.shape(values), -1), axis=axis),
                             arr)
    values_bar = gather_adjoint(if_inexact(z_bar, z), np.insert(np.full(np.shape(arr), -1), obj,
                                                                index_map(values), axis=axis), values)


@CROSS.tangent
def _cross(z, a, b):
    z_dot = np.cross(a_dot, b) + np.cross(a, b_dot)


# a batch of operands lined up as numpy lines up a and b (not as z: two 2-vectors give a number)
@CROSS.batched_tangent
def _cross(z, a, b):
    z_dot = np.cross(batch_align(a_dot, a, b), b) + np.cross(a, batch_align(b_dot, a, b))


@CROSS.adjoint
def _cross(z, a, b):  # z_bar . (a_dot x b) = a_dot . (b x z_bar), in 3-vectors (two 2-vectors give numbers)
    g = cross_cotangent(z_bar, np.shape(a), np.shape(b))
    a_bar = unbroadcast(cross_part(np.cross(cross_padded(b, np.shape(b)[-1]), g), np.shape(a)[-1]), a)
    b_bar = unbroadcast(cross_part(np.cross(g, cross_padded(a, np.shape(a)[-1])), np.shape(b)[-1]), b)


@CROSS.batched_adjoint
def _cross(z, a, b):
    g = cross_cotangent(z_bar, np.shape(a), np.shape(b))
    a_bar = batch_unbroadcast(cross_part(np.cross(cross_padded(b, np.shape(b)[-1]), g), np.shape(a)[-1]), a)
    b_bar = batch_unbroadcast(cross_part(np.cross(g, cross_padded(a, np.shape(a)[-1])), np.shape(b)[-1]), b)


@PAD.tangent
def _pad(z, x, pad_width, mode="constant", constant_values=0):
    index = pad_map(x, pad_width, mode=mode)
    z_dot = gather(x_dot, index, x) + pad_fill(constant_values_dot, index, c=constant_values)


@PAD.adjoint
def _pad(z, x, pad_width, mode="constant", constant_values=0):
    index = pad_map(x, pad_width, mode=mode)
    x_bar = gather_adjoint(z_bar, index, x)
    constant_values_bar = pad_fill_adjoint(z_bar, index, c=constant_values)


@SORT.tangent
def _sort(z, x, axis=-1, kind=None):
    z_dot = gather(x_dot, sorted_map(x, axis=axis), x)


@SORT.adjoint
def _sort(z, x, axis=-1, kind=None):
    x_bar = gather_adjoint(z_bar, sorted_map(x, axis=axis), x)


@PARTITION.tangent
def _partition(z, x, kth, axis=-1):
    z_dot = gather(x_dot, sorted_map(x, axis=axis, kth=kth), x)


@PARTITION.adjoint
def _partition(z, x, kth, axis=-1):
    x_bar = gather_adjoint(z_bar, sorted_map(x, axis=axis, kth=kth), x)


@DIFF.tangent
def _diff(z, x, n=1, axis=-1):
    z_dot = diff_along(x_dot, x, n=n, axis=axis)


@DIFF.adjoint
def _diff(z, x, n=1, axis=-1):
    x_bar = diff_adjoint(z_bar, x, n=n, axis=axis)


@CONJ.tangent
def _conj(z, x):
    z_dot = np.conj(x_dot)


@CONJ.adjoint
def _conj(z, x):
    x_bar = np.conj(z_bar)


@REAL_IF_CLOSE.tangent
def _real_if_close(z, x):
    z_dot = np.real(x_dot) if np.isrealobj(z) else x_dot


@REAL_IF_CLOSE.adjoint
def _real_if_close(z, x):
    x_bar = z_bar


@elementwise("numpy.logaddexp2")
def _logaddexp2(z, x, y):
    return np.exp2(x - z), np.exp2(y - z)


@elementwise("numpy.nan_to_num")
def _nan_to_num(z, x):  # finite values pass through; nan and infinities become constants
    return np.where(np.isfinite(x), 1.0, 0.0)


# The helpers are linear in the derivative they move, and each is the other's adjoint.
linear(runtime.gather, "t", batched=SAFE, transpose="gather_adjoint")
linear(runtime.gather_adjoint, "g", batched=SAFE, transpose="gather")
linear(runtime.diff_along, "t", batched=SAFE, transpose="diff_adjoint")
linear(runtime.pad_fill, "t", batched=SAFE, transpose="pad_fill_adjoint")
linear(runtime.pad_fill_adjoint, "g", batched=SAFE, transpose="pad_fill")
linear(runtime.diff_adjoint, "g", batched=SAFE, transpose="diff_along")
linear(runtime.cross_padded, "t", batched=SAFE, transpose="cross_part")
linear(runtime.cross_part, "g", batched=SAFE, transpose="cross_padded")
linear(runtime.cross_cotangent, "g", batched=SAFE, transpose="cross_cotangent_adjoint")
linear(runtime.cross_cotangent_adjoint, "h", batched=SAFE, transpose="cross_cotangent")
helper("index_map", "pad_map", "sorted_map", "interp_slope")  # read primal values only
nondiff(RUNTIME + "interp_slope", RUNTIME + "index_map", RUNTIME + "pad_map", RUNTIME + "sorted_map",
        "numpy.angle")


primitive("numpy.interp", batch=SAFE)


def _interp_signature(x, xp, fp, left=None, right=None):
    pass


def _interp_slope(site) -> ast.expr:
    for name in ("xp", "fp", "left", "right"):
        node = site.bound.get(name)
        if node is not None and not is_zero(site.dot(node)):
            raise RuleError(f"sct differentiates np.interp in x only, not in its argument {name}",
                            hint=f"pass {name} as a constant (not computed from the inputs differentiated)")
    args = [site.arg(n) for n in ("x", "xp", "fp")]
    return _call("interp_slope", *args)


@generator("numpy.interp", mode="tangent", signature=_interp_signature)
def _interp_tangent(site) -> list:
    slope = _interp_slope(site)
    return tangent_assignment(site, ast.BinOp(left=slope, op=ast.Mult(), right=site.dot(site.bound["x"])))


@generator("numpy.interp", mode="adjoint", signature=_interp_signature)
def _interp_adjoint(site) -> list:
    slope = _interp_slope(site)
    z_bar = _name(site.bar(site.targets[0]))
    return [Contribution(site.bound["x"], ast.BinOp(left=z_bar, op=ast.Mult(), right=slope))]
