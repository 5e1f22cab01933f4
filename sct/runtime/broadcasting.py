"""Broadcasting and reductions undone: unbroadcast, unreduce, seeds, dtype guards."""
import numpy as np

from .axes import _axes_of


def unbroadcast(g, x):
    """Sum the adjoint ``g`` over the axes along which ``x`` was broadcast, giving ``x``'s shape."""
    # shapes read without np.shape (which makes an array of a float) where they are known at once
    shape = x.shape if isinstance(x, np.ndarray) else () if isinstance(x, (float, int)) else np.shape(x)
    given = g.shape if isinstance(g, np.ndarray) else () if isinstance(g, (float, int)) else np.shape(g)
    if given == shape:
        return g
    g = np.asarray(g)
    if not shape:  # a scalar's adjoint: every axis summed (np.sum's dispatch costs more than the sum)
        return g.sum()
    extra = g.ndim - len(shape)
    if extra > 0:
        g = np.sum(g, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return g.reshape(shape) if shape != g.shape else g


def seed_like(seed, value):
    """The adjoint a reverse sweep starts from: ``seed`` with the shape (and container) of ``value``.

    A scalar seed on an array output stands for every entry (the gradient of ``seed`` times the sum of
    the entries); any other seed must have the output's shape. A tuple (or list) output takes a sequence of
    seeds, one per element, or one scalar for all of them; a dict output a dict of seeds with its keys.
    """
    if isinstance(value, dict):
        if not isinstance(seed, dict) and np.ndim(seed) == 0:
            seed = dict.fromkeys(value, seed)
        if not isinstance(seed, dict) or set(seed) != set(value):
            raise ValueError(f"the function returns a dict with keys {sorted(value, key=repr)}: pass a "
                             "dict of seeds with those keys, or a scalar")
        return {key: seed_like(seed[key], item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        if not isinstance(seed, (tuple, list)) and np.ndim(seed) == 0:
            seed = (seed,) * len(value)
        if len(seed) != len(value):
            raise ValueError(f"the seed has {len(seed)} entries but the function returns "
                             f"{len(value)} outputs (pass one seed per output, or a scalar)")
        return tuple(seed_like(s, v) for s, v in zip(seed, value))
    scalar = isinstance(seed, (float, int))
    if scalar and isinstance(value, (float, int)):  # a scalar output's seed, as it is
        return seed
    shape = np.shape(value)
    if (() if scalar else np.shape(seed)) == shape:
        if not shape and not isinstance(seed, np.ndarray):
            return seed
        seed = np.array(seed)  # a copy: the sweep may update an adjoint in place
        return seed if seed.dtype.kind in "fc" else seed.astype(float)
    if not scalar and np.ndim(seed) != 0:
        raise ValueError(f"the seed has shape {np.shape(seed)} but the output has shape {shape}; pass a seed "
                         f"of the output's shape (or a scalar, for every entry)")
    dtype = np.asarray(value).dtype
    return np.full(shape, seed, dtype=dtype if dtype.kind in "fc" else float)


def broadcast_like(t, z):
    """Give the tangent ``t`` the full shape of the primal value ``z`` it belongs to."""
    shape = np.shape(z)
    if np.shape(t) == shape:
        return t
    return np.broadcast_to(t, shape)


def if_inexact(g, z):
    """The derivative ``g`` carried through a cast to ``z``'s dtype: ``g`` for a float (or complex) ``z``,
    zero for an integer or boolean one (rounding is piecewise constant)."""
    if np.asarray(z).dtype.kind in "fc":
        return g
    return np.zeros(np.shape(g))


def unreduce(g, x, axis=None, keepdims=False):
    """Spread the adjoint of a reduction ``f(x, axis, keepdims)`` back over ``x``'s shape."""
    shape = x.shape if type(x) is np.ndarray else np.shape(x)
    g = np.asarray(g)
    if axis is not None and not keepdims:
        g = np.expand_dims(g, _axes_of(len(shape), axis))
    if g.ndim == 0 and g.dtype.kind in "fc":  # np.broadcast_to's view, built directly (its checks cost more)
        spread = np.ndarray(shape, g.dtype, g, strides=(0,) * len(shape))
        spread.flags.writeable = False
        return spread
    return np.broadcast_to(g, shape)


def reduced_size(x, axis=None):
    """Number of elements that a reduction over ``axis`` combines into one."""
    shape = np.shape(x)
    return int(np.prod([shape[a] for a in _axes_of(len(shape), axis)]))


def sum_adjoint(g, x):
    """Adjoint of the builtin ``sum(x)``: ``g`` for each item of a list, or along an array's first axis."""
    if isinstance(x, list):
        return list(map(unbroadcast, [g] * len(x), x))
    return unreduce(g, x, 0)



def adjoint_shape(g, x, rule):
    """The contribution ``g`` of a user's adjoint rule to the adjoint of ``x``, checked to have ``x``'s shape
    (a rule that forgets ``unbroadcast`` would otherwise give the adjoint of another shape)."""
    if np.shape(g) != np.shape(x):
        raise ValueError(f"the adjoint rule of {rule} gives an adjoint of shape {np.shape(g)} for an "
                         f"argument of shape {np.shape(x)}: sum it over the broadcast axes, "
                         "unbroadcast(..., argument)")
    return g


def tangent_shape(t, z, rule):
    """The tangent ``t`` a user's tangent rule gives for the output ``z``, with ``z``'s shape: broadcast to
    it when the rule gives a tangent constant along some axes (``x_dot + y_dot`` with ``y`` inactive),
    checked otherwise."""
    shape = np.shape(z)
    if np.shape(t) == shape:
        return t
    if len(np.shape(t)) <= len(shape) and all(n in (1, m) for n, m in zip(np.shape(t)[::-1], shape[::-1])):
        return np.array(np.broadcast_to(t, shape))
    raise ValueError(f"the tangent rule of {rule} gives a tangent of shape {np.shape(t)} for an output of "
                     f"shape {np.shape(z)}")


def accumulate(total, term):
    """``total + term``, added into ``total``'s own memory when that gives the same value: ``total`` a
    writeable array of one axis or more that nothing else reads (the emitted code makes sure of that) and
    ``term`` an array of its shape, dtype and memory order, or a Python number added to a contiguous float
    array. (A sum of 0-d arrays is a numpy scalar, not an array: it is left to ``+``.)"""
    if type(total) is np.ndarray and total.ndim and total.flags.writeable:
        kind = type(term)
        if kind is np.ndarray and term.shape == total.shape and term.dtype == total.dtype \
                and _same_layout(total, term) \
                or (kind is float or kind is int) and total.dtype.kind in "fc" and total.flags.c_contiguous:
            total += term
            return total
    return total + term


def _same_layout(a, b):
    """Are both arrays contiguous in one order? (Adding into ``a`` through strides that differ from
    ``b``'s, or into a transposed view, is slower than a new sum laid out for both.)"""
    return a.flags.c_contiguous and b.flags.c_contiguous or a.flags.f_contiguous and b.flags.f_contiguous


def zeros_of(x):
    """``np.zeros_like(x)``; of an array, ``np.zeros`` of its shape and dtype, which takes memory already
    zeroed instead of filling it (the layout is C order: the values are the same)."""
    if type(x) is np.ndarray:
        return np.zeros(x.shape, x.dtype)
    return np.zeros_like(x)


def owned_adjoint(term, x):
    """``zeros_of(x)`` with ``term`` added in (``+=``): ``term`` itself when it is a writeable array of
    ``x``'s shape and dtype, which emitted code passes only when no other name holds that array (a new
    sum, a contraction), so that writing into the result later changes no other value; the sum into new
    zeros otherwise (a read-only broadcast, a number, another shape or dtype)."""
    if type(term) is np.ndarray and type(x) is np.ndarray and term.flags.writeable \
            and term.shape == x.shape and term.dtype == x.dtype:
        return term
    total = zeros_of(x)
    total += term
    return total


def unbroadcast_product(a, b, x):
    """``unbroadcast(a * b, x)``; by one ``np.einsum``, without the product's array, when ``a`` and ``b``
    are float arrays of one shape that ``x``'s shape ends with (only leading axes summed)."""
    if type(a) is np.ndarray and type(b) is np.ndarray and type(x) is np.ndarray and a.shape == b.shape:
        extra = a.ndim - x.ndim
        if extra == 0 and a.shape == x.shape:
            return a * b
        if 0 < extra and a.ndim <= 26 and a.shape[extra:] == x.shape and a.dtype == b.dtype \
                and a.dtype.kind == "f":
            axes = "abcdefghijklmnopqrstuvwxyz"[:a.ndim]
            return np.einsum(f"{axes},{axes}->{axes[extra:]}", a, b)
    return unbroadcast(a * b, x)


def product_into(view, a, b, x):
    """``view[...] = unbroadcast(a * b, x)``, as ``np.multiply(a, b, out=view)`` when ``a``, ``b`` and ``x``
    are arrays of ``view``'s shape and ``a`` and ``b`` of its dtype (nothing to sum or cast)."""
    arrays = type(a) is np.ndarray and type(b) is np.ndarray and type(x) is np.ndarray
    if arrays and type(view) is np.ndarray and a.shape == b.shape == x.shape == view.shape \
            and a.dtype == b.dtype == view.dtype:
        np.multiply(a, b, out=view)
    else:
        view[...] = unbroadcast(a * b, x)
