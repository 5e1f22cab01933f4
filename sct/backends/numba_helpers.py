"""Compiled forms of the runtime helpers, for the numba backend (imported only when it is asked for).

Each helper of :mod:`sct.runtime` that emitted code may call under numba gets an ``overload``: numba types
the call and picks the branch the numpy helper would take at run time, so the compiled helper computes
the same values (sums may round differently: numba adds in order, numpy pairwise). Argument types the
numpy helper handles and these do not (tuples, dicts, 0-d arrays, a split along another axis) are refused
when numba compiles the call: the error names the helper and the types, before anything runs.
"""
from __future__ import annotations

from functools import lru_cache, wraps

import numba
import numpy as np
from numba import types
from numba.core.errors import TypingError
from numba.extending import overload

from .. import runtime

_NUMBER = (types.Float, types.Integer, types.Boolean)
_SHAPE_MISMATCH = "the seed's shape is not the output's: pass a seed of the output's shape (or a scalar)"
COMPILED_HELPERS = frozenset({"float_input", "array_input", "seed_like", "accumulate", "zeros_of",
                              "owned_adjoint", "unbroadcast", "unreduce", "product_into", "split_like",
                              "shape_of", "unbroadcast_product", "sum_along"})


def _refuse(helper: str, *given) -> TypingError:
    described = ", ".join(str(t) for t in given)
    return TypingError(f"sct's runtime helper {helper} has no compiled form for ({described}); "
                       "use the numpy backend for this function")


def _value_type(t):
    """The type of the value ``t`` holds: an optional value (a tape's, None before the first write) is
    read by emitted code only once written, and numba checks that it is not None where it is read."""
    return t.type if isinstance(t, types.Optional) else t


def _values(typing):
    """The overload ``typing``, told the types of the values its optional arguments hold."""
    @wraps(typing)
    def told(*args, **kwargs):
        return typing(*map(_value_type, args), **{k: _value_type(v) for k, v in kwargs.items()})
    return told


def _is_array(t) -> bool:
    return isinstance(t, types.Array) and t.ndim > 0


def _is_number(t) -> bool:
    return isinstance(t, _NUMBER)


def _float_dtype(t):
    """The dtype numpy's helper gives a result made from an array of ``t``: its own if float, else float64."""
    return t.dtype if isinstance(t.dtype, types.Float) else types.float64


@overload(reversed)
def _reversed(seq):
    if isinstance(seq, types.RangeType):
        def impl(seq):
            n = len(seq)
            return range(seq.start + (n - 1) * seq.step, seq.start - seq.step, -seq.step)
        return impl
    return None


@overload(runtime.float_input)
@_values
def _float_input(x, name="x"):
    if isinstance(x, types.Float) or _is_array(x) and isinstance(x.dtype, types.Float):
        return lambda x, name="x": x
    if isinstance(x, (types.Integer, types.Boolean)):
        return lambda x, name="x": float(x)
    if _is_array(x) and isinstance(x.dtype, (types.Integer, types.Boolean)):
        return lambda x, name="x": x.astype(np.float64)
    raise _refuse("float_input", x)


@overload(runtime.array_input)
@_values
def _array_input(x, name="x", why=""):
    if _is_array(x) or _is_number(x):
        return lambda x, name="x", why="": x
    raise _refuse("array_input", x)


@overload(runtime.seed_like)
@_values
def _seed_like(seed, value):
    if isinstance(seed, types.Array) and seed.ndim == 0 and (_is_number(value) or _is_array(value)):
        dtype = _float_dtype(seed)  # a 0-d seed: its one number, as a scalar seed
        if _is_number(value):
            return lambda seed, value: dtype(seed.item())
        return lambda seed, value: np.full(value.shape, seed.item(), _float_dtype(value))
    if _is_number(seed) and _is_number(value):
        return lambda seed, value: seed
    if _is_number(seed) and _is_array(value):
        dtype = _float_dtype(value)
        return lambda seed, value: np.full(value.shape, seed, dtype)
    if _is_array(seed) and _is_array(value) and seed.ndim == value.ndim:
        dtype = _float_dtype(seed)

        def copy(seed, value):
            if seed.shape != value.shape:
                raise ValueError(_SHAPE_MISMATCH)
            return seed.astype(dtype)  # a copy: the sweep may update an adjoint in place
        return copy
    raise _refuse("seed_like", seed, value)


@overload(runtime.accumulate)
@_values
def _accumulate(total, term):
    if _is_array(total) and total.mutable:
        if _is_array(term) and term.ndim == total.ndim and term.dtype == total.dtype:
            def into(total, term):
                if term.shape == total.shape:
                    total += term
                    return total
                return total + term
            return into
        if _is_number(term) and isinstance(total.dtype, types.Float):
            def add_number(total, term):
                total += term
                return total
            return add_number
    if (_is_array(total) or _is_number(total)) and (_is_array(term) or _is_number(term)):
        return lambda total, term: total + term
    raise _refuse("accumulate", total, term)


@overload(runtime.zeros_of)
@_values
def _zeros_of(x):
    if _is_array(x):
        return lambda x: np.zeros(x.shape, x.dtype)
    if _is_number(x):
        zero = x(0) if isinstance(x, (types.Float, types.Integer)) else types.boolean(False)
        return lambda x: zero
    raise _refuse("zeros_of", x)


@overload(runtime.owned_adjoint)
@_values
def _owned_adjoint(term, x):
    if _is_array(x) and _is_array(term) and term.ndim == x.ndim and term.dtype == x.dtype and term.mutable:
        def kept(term, x):
            if term.shape == x.shape:
                return term
            total = np.zeros(x.shape, x.dtype)
            total += term
            return total
        return kept
    if _is_array(x) and (_is_array(term) and term.ndim <= x.ndim or _is_number(term)):
        def added(term, x):
            total = np.zeros(x.shape, x.dtype)
            total += term
            return total
        return added
    raise _refuse("owned_adjoint", term, x)


@lru_cache(maxsize=None)
def _summed_to(g_ndim: int, x_ndim: int):
    """A compiled ``unbroadcast`` of an array of ``g_ndim`` axes onto one of ``x_ndim`` (fewer or as many):
    ``g``'s entries added, in order, into the entry of ``x`` each was broadcast from."""
    extra = g_ndim - x_ndim

    @numba.njit
    def summed(g, x):
        total = np.zeros(x.size, g.dtype)
        flat = np.ascontiguousarray(g).ravel()
        for k in range(flat.size):
            rest, target, scale = k, 0, 1
            for axis in range(g_ndim - 1, extra - 1, -1):
                rest, i = divmod(rest, g.shape[axis])
                n = x.shape[axis - extra]
                if n != 1:
                    target += i * scale
                scale *= n
            total[target] += flat[k]
        return total.reshape(x.shape)
    return summed


@overload(runtime.unbroadcast)
@_values
def _unbroadcast(g, x):
    if _is_number(x):
        if _is_number(g):
            return lambda g, x: g
        if _is_array(g):
            return lambda g, x: g.sum()
    if _is_array(x) and _is_array(g) and g.ndim >= x.ndim:
        summed = _summed_to(g.ndim, x.ndim)
        if g.ndim == x.ndim:
            def same_axes(g, x):
                if g.shape == x.shape:
                    return g
                return summed(g, x)
            return same_axes
        return lambda g, x: summed(g, x)
    raise _refuse("unbroadcast", g, x)


def _is_zero(axis) -> bool:
    """Is the argument ``axis`` (its numba type, or its default value when omitted) the literal 0?"""
    if isinstance(axis, types.Omitted):
        axis = axis.value
    if isinstance(axis, types.IntegerLiteral):
        axis = axis.literal_value
    return type(axis) is int and axis == 0


def _is_none(axis) -> bool:
    """Is the argument ``axis`` None (given, or its default value)?"""
    if isinstance(axis, types.Omitted):
        axis = axis.value
    return axis is None or isinstance(axis, types.NoneType)


@overload(runtime.unreduce)
@_values
def _unreduce(g, x, axis=None, keepdims=False):
    whole = _is_none(axis)
    if whole and _is_array(x) and _is_number(g):
        return lambda g, x, axis=None, keepdims=False: np.broadcast_to(g, x.shape)
    if whole and _is_number(x) and _is_number(g):
        return lambda g, x, axis=None, keepdims=False: g
    raise _refuse("unreduce", g, x, axis, keepdims)


@overload(runtime.product_into)
@_values
def _product_into(view, a, b, x):
    if all(_is_array(t) and t.ndim == view.ndim for t in (view, a, b, x)) \
            and a.dtype == b.dtype == view.dtype and view.mutable:
        def product(view, a, b, x):
            if a.shape == view.shape and b.shape == view.shape and x.shape == view.shape:
                np.multiply(a, b, view)
            else:
                view[...] = runtime.unbroadcast(a * b, x)
        return product
    if _is_array(view) and view.mutable:
        def assigned(view, a, b, x):
            view[...] = runtime.unbroadcast(a * b, x)
        return assigned
    raise _refuse("product_into", view, a, b, x)


@overload(runtime.split_like)
@_values
def _split_like(g, parts, axis=0):
    along_first = _is_zero(axis)
    if along_first and _is_array(g) and isinstance(parts, (types.List, types.UniTuple)) \
            and _is_array(parts.dtype):
        def split(g, parts, axis=0):
            pieces = []
            start = 0
            for p in parts:
                stop = start + p.shape[0]
                pieces.append(g[start:stop])
                start = stop
            return pieces
        return split
    raise _refuse("split_like", g, parts, axis)


@overload(runtime.shape_of)
def _shape_of(value):
    if isinstance(value, types.Optional):  # None (not written yet) stays None
        kept = numba.njit(_shape_of(value.type))

        def optional(value):
            if value is None:
                return None
            return kept(value)
        return optional
    if _is_array(value):  # one zero seen through zero strides, as numpy's helper gives
        return lambda value: np.broadcast_to(np.zeros(1, value.dtype)[0], value.shape)
    if isinstance(value, (types.Float, types.Integer)):
        zero = value(0)
        return lambda value: zero
    if isinstance(value, types.NoneType):
        return lambda value: None
    raise _refuse("shape_of", value)


@overload(np.concatenate)
def _concatenate_list(arrays, axis=0):
    """``np.concatenate`` of a list of arrays along the first axis (numba's own takes tuples only)."""
    along_first = _is_zero(axis)
    if along_first and isinstance(arrays, types.List) and _is_array(arrays.dtype):
        ndim = arrays.dtype.ndim

        def joined(arrays, axis=0):
            first = arrays[0]
            length = 0
            for a in arrays:
                if a.shape[1:] != first.shape[1:]:
                    raise ValueError("np.concatenate: the arrays' shapes differ past the first axis")
                length += a.shape[0]
            shape = (length,) + first.shape[1:]
            out = np.empty(shape, first.dtype)
            start = 0
            for a in arrays:
                out[start:start + a.shape[0]] = a
                start += a.shape[0]
            return out
        return joined if ndim else None
    return None


@overload(runtime.unbroadcast_product)
@_values
def _unbroadcast_product(a, b, x):
    if (_is_array(a) or _is_number(a)) and (_is_array(b) or _is_number(b)):
        return lambda a, b, x: runtime.unbroadcast(a * b, x)
    raise _refuse("unbroadcast_product", a, b, x)


@overload(runtime.sum_along)
@_values
def _sum_along(x, axis=None, keepdims=False):
    kept = keepdims.value if isinstance(keepdims, types.Omitted) else keepdims
    if _is_array(x) and (kept is False or isinstance(kept, types.BooleanLiteral) and not kept.literal_value):
        if _is_none(axis):
            return lambda x, axis=None, keepdims=False: np.sum(x)
        if isinstance(axis, types.Integer):
            return lambda x, axis=None, keepdims=False: np.sum(x, axis=axis)
    raise _refuse("sum_along", x, axis, keepdims)
