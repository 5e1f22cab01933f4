"""Reverse-mode derivatives of loglik.py, emitted by sct. Do not edit.

    diff_gmm_objective(alphas, means, icf, x, wishart_gamma, wishart_m, seed=1.0) -> (value, (alphas_bar, means_bar, icf_bar))
        derivative of gmm_objective with respect to alphas, means, icf
    diff_gmm_objective_no_prior(alphas, means, icf, x, seed=1.0) -> (value, (alphas_bar, means_bar, icf_bar))
        derivative of gmm_objective_no_prior with respect to alphas, means, icf

Source: loglik.py; mode: reverse.
Regenerate with: sct transform loglik.py --function gmm_objective,gmm_objective_no_prior --mode reverse --wrt alphas,means,icf -o _generated/gmm_objective_grad.py  (in the folder of loglik.py)
"""
from __future__ import annotations
import math
import numpy as np


def icf_size(d: int) -> int:
    """Number of ``icf`` entries per component in dimension ``d``: ``d + d(d-1)/2``."""
    return d * (d + 1) // 2


def _factor_index(d: int, k: int) -> np.ndarray:
    """Constant gather index that lays out all K factors side by side, transposed.

    Row k of the per-component table ``[0, exp(logdiag_k), lower_k]`` (width ``1 + icf_size(d)``),
    flattened over k, gathered with this (d, k*d) index gives ``qt[b, j*d + a] = Q_j[a, b]``, so
    ``x @ qt`` holds ``Q_j x_i`` for every point and component as one matrix product.  Entries above
    the diagonal pick the leading 0 of their row.  Only integer arithmetic on ``d`` and ``k``.
    """
    a = np.arange(d)[:, None]  # row of Q
    b = np.arange(d)[None, :]  # column of Q
    # Strict lower entry (a, b), a > b, is number b*(d-1) - b*(b-1)/2 + (a-b-1) in ADBench's order.
    lower = 1 + d + b * (d - 1) - b * (b - 1) // 2 + (a - b - 1)
    within = (a > b) * lower + (a == b) * (1 + a)  # (d, d): position inside one table row
    row_start = (1 + icf_size(d)) * np.arange(k)
    return (row_start[None, :, None] + within.T[:, None, :]).reshape(d, k * d)


def _log_wishart_normalizer(d: int, wishart_gamma: float, wishart_m: int) -> float:
    """Per-component constant C of ADBench's ``log_wishart_prior`` (its prior subtracts ``K * C``).

    ``C = n_w d (log gamma - log(2)/2) - log Gamma_d(n_w / 2)`` with ``n_w = d + m + 1`` and
    ``Gamma_d`` the multivariate gamma function.  Depends on constants only; no derivative flows here.
    """
    n_w = d + wishart_m + 1
    log_multigamma = 0.25 * d * (d - 1) * math.log(math.pi) + sum(
        math.lgamma(0.5 * (n_w - j)) for j in range(d)
    )
    return n_w * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - log_multigamma


def _axes_of(ndim, axis=None):
    """The axes ``axis`` names in an ``ndim``-dimensional array, as a tuple of non-negative ints.

    None names every axis; an int or a sequence of ints counts from the end when negative. A 0-d array
    takes axis 0 or -1 (an int) as naming no axis, as numpy's reductions and scans do."""
    if axis is None:
        return tuple(range(ndim))
    if np.ndim(axis) == 0:
        if ndim == 0 and int(axis) in (0, -1):
            return ()
        axis = (axis,)
    axes = tuple(int(a) + ndim if int(a) < 0 else int(a) for a in axis)
    for given, a in zip(axis, axes):
        if not 0 <= a < ndim:
            raise ValueError(f"axis {given} is out of bounds for array of dimension {ndim}")
    return axes


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


def accumulate_at(target, index, value):
    """``target[index] += value`` that also adds up repeated fancy indices (in place)."""
    flat_integers = isinstance(index, np.ndarray) and index.dtype.kind in "iu" and target.ndim == 1
    if flat_integers and np.isrealobj(value):
        target += np.bincount(index.ravel(), weights=np.broadcast_to(value, index.shape).ravel(),
                              minlength=target.size)
    elif _is_fancy(index):
        np.add.at(target, index, value)
    else:
        target[index] += value


def _is_fancy(index):
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, (list, np.ndarray)) for p in parts)


def split_like(g, parts, axis=0):
    """Adjoint of ``np.concatenate(parts, axis)``: pieces of ``g`` shaped like each part."""
    if axis is None:  # the parts were flattened
        pieces = np.split(g, np.cumsum([np.size(p) for p in parts])[:-1])
        return [np.reshape(piece, np.shape(p)) for piece, p in zip(pieces, parts)]
    # slices (views, as np.split gives) taken directly: np.split's own bookkeeping costs more than the
    # copy-free split itself
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    ndim = g.ndim
    if type(axis) is int and -ndim <= axis < ndim:  # the usual case, without _axes_of's general bookkeeping
        lead = (slice(None),) * (axis % ndim)
    else:
        lead = (slice(None),) * _axes_of(ndim, axis)[0]
    pieces, start = [], 0
    for p in parts:
        stop = start + (p.shape if type(p) is np.ndarray else np.shape(p))[axis]
        pieces.append(g[lead + (slice(start, stop),)] if lead else g[start:stop])
        start = stop
    return pieces


def shape_of(value):
    """What a tape keeps of ``value`` when the reverse sweep reads only its shape (and dtype): an array
    stands in as one zero seen through zero strides (read-only), so the tape holds none of its entries
    (one of 64 entries or fewer as zeros, made faster and hardly larger); a number as a zero of its type;
    a name not bound yet (None) as None. The value is zero: no derivative flows through it."""
    kind = type(value)
    if kind is np.ndarray and value.dtype.kind in "biufc":  # zero bytes are a zero of these
        if value.size <= 64:
            return np.zeros(value.shape, value.dtype)
        return np.ndarray(value.shape, value.dtype, bytes(value.itemsize), strides=(0,) * value.ndim)
    if kind is float or kind is int or kind is complex or isinstance(value, np.generic):
        return kind(0)
    if value is None:
        return None
    return np.zeros_like(value)


def contract(subscripts, *operands):
    """``np.einsum(subscripts, *operands)`` (same values up to rounding, dtype and shape), computed by
    ``np.matmul`` on transposed views of the operands where it can be planned."""
    arrays = [np.asarray(op) for op in operands]
    plan = _contraction_plan(subscripts, tuple(a.shape for a in arrays), tuple(a.dtype for a in arrays))
    if plan is None:
        return np.einsum(subscripts, *operands)
    dtype, prepares, pairs, order = plan
    for i, (diagonal, shape, summed) in enumerate(prepares):
        a = arrays[i] if arrays[i].dtype == dtype else arrays[i].astype(dtype)
        if diagonal is not None:
            a = np.einsum(diagonal, a)
        if shape is not None:
            a = a.reshape(shape)
        arrays[i] = np.sum(a, axis=summed) if summed else a
    for i, j, perm_a, shape_a, perm_b, shape_b, inner, shape in pairs:
        a = arrays[i].transpose(perm_a).reshape(shape_a)
        b = arrays[j].transpose(perm_b).reshape(shape_b)
        del arrays[j], arrays[i]  # j > i
        arrays.append(((a @ b) if inner else (a * b)).reshape(shape))
    result = arrays[0] if order is None else arrays[0].transpose(order)
    return result[()] if result.ndim == 0 else result


def _contraction_plan(subscripts, shapes, dtypes, _plans={}):  # noqa: B006 (the cache of plans)
    """The plan ``contract`` follows for these operands (None: ``np.einsum`` computes it), made once."""
    key = (subscripts, shapes, dtypes)
    if key in _plans:
        return _plans[key]
    plan = _einsum_plan(subscripts, shapes, dtypes)
    if len(_plans) >= 256:  # the oldest goes (pop: another thread may have taken it already)
        _plans.pop(next(iter(_plans), None), None)
    _plans[key] = plan
    return plan


def _einsum_plan(subscripts, shapes, dtypes):
    """``(dtype, prepares, pairs, order)``: per operand (diagonal einsum, reshape dropping broadcast
    axes, axes to sum), the pairwise products, the final transpose; or None when it cannot be planned."""
    if len(shapes) < 2 or not isinstance(subscripts, str):
        return None
    dtype = np.result_type(*dtypes)
    if dtype.kind not in "fc" or any(d.kind not in "biufc" for d in dtypes):
        return None
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"  # in the function: it is copied alone
    inputs, arrow, output = subscripts.replace(" ", "").partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes) or any(c not in letters + "." for c in "".join(terms) + output):
        return None
    if not all(_ellipsis_ok(t) for t in terms + [output]):
        return None
    spare = [c for c in letters if c not in subscripts]
    extra = [len(shape) - len(t.replace("...", "")) if "..." in t else 0 for t, shape in zip(terms, shapes)]
    width = max(extra)
    if min(extra) < 0 or width > len(spare) or (arrow and width and "..." not in output):
        return None
    broadcast = "".join(spare[:width])
    labels = [t.replace("...", broadcast[width - n:]) for t, n in zip(terms, extra)]
    if not arrow:
        counts = {c: inputs.count(c) for c in inputs if c not in ".,"}
        output = broadcast + "".join(sorted(c for c, n in counts.items() if n == 1))
    output = output.replace("...", broadcast)
    if any(len(t) != len(s) for t, s in zip(labels, shapes)) or len(set(output)) != len(output) \
            or not set(output) <= set("".join(labels)):
        return None
    size = {}
    for term, shape in zip(labels, shapes):
        for c, n in zip(term, shape):
            if n != 1 and size.setdefault(c, n) != n:
                return None  # sizes that do not broadcast: np.einsum raises
    prepares, operands = [], []
    for term, shape in zip(labels, shapes):
        unique = "".join(dict.fromkeys(term))
        first = {c: shape[term.index(c)] for c in unique}
        if any(n != first[c] for c, n in zip(term, shape)):
            return None
        diagonal = term + "->" + unique if unique != term else None
        kept = "".join(c for c in unique if first[c] != 1 or size.get(c, 1) == 1)
        reshape = tuple(first[c] for c in kept) if kept != unique else None
        prepares.append([diagonal, reshape, ()])
        operands.append(kept)
    for i, term in enumerate(operands):
        elsewhere = set(output).union(*(t for j, t in enumerate(operands) if j != i))
        prepares[i][2] = tuple(k for k, c in enumerate(term) if c not in elsewhere)
        operands[i] = "".join(c for c in term if c in elsewhere)
    pairs = []
    while len(operands) > 1:
        i, j = _cheapest_pair(operands, output, size)
        step, operands = _pair_step(operands, i, j, output, size)
        pairs.append(step)
    order = tuple(operands[0].index(c) for c in output)
    return dtype, tuple(tuple(p) for p in prepares), tuple(pairs), None if order == tuple(
        range(len(order))) else order


def _ellipsis_ok(term):
    """No dot in ``term`` but one ellipsis at most."""
    return term.replace("...", "", 1).count(".") == 0


def _cheapest_pair(operands, output, size):
    """The pair to contract next: sharing a label if any pair does, then the one whose product is
    smallest against its operands (the greedy rule)."""
    best, choice = None, None
    for i in range(len(operands)):
        for j in range(i + 1, len(operands)):
            a, b = operands[i], operands[j]
            kept = set(output).union(*(t for k, t in enumerate(operands) if k not in (i, j)))
            result = [c for c in dict.fromkeys(a + b) if c in kept or not (c in a and c in b)]
            cost = _count(result, size) - _count(a, size) - _count(b, size)
            rank = (not set(a) & set(b), cost)
            if best is None or rank < best:
                best, choice = rank, (i, j)
    return choice


def _count(labels, size):
    """The number of elements of an array with these labels."""
    total = 1
    for c in labels:
        total *= size.get(c, 1)
    return total


def _pair_step(operands, i, j, output, size):
    """One product: ``a`` as (batch, rows, inner), ``b`` as (batch, inner, columns), the result as
    batch + rows + columns; and the labels of the operands left."""
    a, b = operands[i], operands[j]
    kept = set(output).union(*(t for k, t in enumerate(operands) if k not in (i, j)))
    batch = [c for c in a if c in b and c in kept]
    inner = [c for c in a if c in b and c not in kept]
    rows = [c for c in a if c not in b]
    columns = [c for c in b if c not in a]
    lead = (_count(batch, size),) if batch else ()
    shape_a = lead + (_count(rows, size), _count(inner, size) if inner else 1)
    shape_b = lead + (_count(inner, size) if inner else 1, _count(columns, size))
    perm_a = tuple(a.index(c) for c in batch + rows + inner)
    perm_b = tuple(b.index(c) for c in batch + inner + columns)
    result = "".join(batch + rows + columns)
    shape = tuple(size.get(c, 1) for c in result)
    rest = [t for k, t in enumerate(operands) if k not in (i, j)] + [result]
    return (i, j, perm_a, shape_a, perm_b, shape_b, bool(inner), shape), rest


def einsum_fit(g, x):
    """An einsum operand's adjoint ``g`` given ``x``'s shape: summed over the leading axes ``x`` lacks and
    the axes where ``x`` has length 1 and ``g`` not (``x`` broadcast), and broadcast along the axes where
    ``g`` has length 1 and ``x`` not (a label the other operands carry at length 1)."""
    return _fit_shape(g, np.shape(x), 0)


def _fit_shape(g, shape, lead):
    """``g`` (with ``lead`` leading batch axes kept) summed and broadcast to ``shape`` as einsum does."""
    g = np.asarray(g)
    if g.shape[lead:] == shape:
        return g
    extra = g.ndim - lead - len(shape)
    if extra > 0:
        g = np.sum(g, axis=tuple(range(lead, lead + extra)))
    elif extra < 0:
        g = g.reshape(g.shape[:lead] + (1,) * -extra + g.shape[lead:])
    axes = tuple(lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return np.broadcast_to(g, g.shape[:lead] + shape)


def matmul_adjoint(g, a, b, position):
    """Adjoint of ``a @ b`` with respect to ``a`` (position 0) or ``b`` (position 1).

    Vectors are promoted to matrices as ``np.matmul`` does; batch axes broadcast back by summing.
    """
    a2 = np.asarray(a)[None, :] if np.ndim(a) == 1 else np.asarray(a)
    b2 = np.asarray(b)[:, None] if np.ndim(b) == 1 else np.asarray(b)
    g2 = np.asarray(g)
    if np.ndim(a) == 1:
        g2 = np.expand_dims(g2, -2 if np.ndim(b) != 1 else 0)
    if np.ndim(b) == 1:
        g2 = np.expand_dims(g2, -1)
    if position == 0:
        return unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2).reshape(np.shape(a))
    return unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2).reshape(np.shape(b))


def sum_along(x, axis=None, keepdims=False):
    """``np.sum(x, axis=axis, keepdims=keepdims)``; over the last axis of a float array by ``x @ ones``."""
    if type(x) is np.ndarray and type(axis) is int and x.ndim >= 2 and axis in (-1, x.ndim - 1) \
            and x.dtype in (np.float64, np.float32) and 0 < x.shape[-1] <= 128 and x.size >= 64:
        sums = x @ np.ones(x.shape[-1], dtype=x.dtype)
        if not (sums == 0).any():
            return sums[..., None] if keepdims else sums
    return np.sum(x, axis=axis, keepdims=keepdims)


def float_input(x, name="x"):
    """A differentiated input as its derivative reads it: integers and booleans become floats (derivatives
    are real), tuples, lists and dicts item by item; complex numbers are refused, naming the argument."""
    if isinstance(x, float):
        return x
    if isinstance(x, (tuple, list)):
        return type(x)([float_input(item, name) for item in x])
    if isinstance(x, dict):
        return {key: float_input(item, f"{name}[{key!r}]") for key, item in x.items()}
    kind = np.asarray(x).dtype.kind
    if kind == "c":
        raise TypeError(f"argument '{name}' is complex: derivatives of complex inputs are not supported; "
                        "pass the real and imaginary parts as two real arguments")
    if kind in "biu":
        return np.asarray(x, dtype=float) if isinstance(x, np.ndarray) else float(x)
    if kind == "O" and callable(x):
        raise TypeError(f"argument '{name}' is a function: sct differentiates with respect to numbers and "
                        "arrays; differentiate with respect to another parameter (a function passed for a "
                        "parameter not differentiated is fine)")
    return x


def array_input(x, name="x", why=""):
    """An input that must not be a list or tuple (the derivative would be of another function, or wrong
    item by item): ``x`` itself, or a TypeError naming the argument and saying ``why``."""
    if isinstance(x, (tuple, list)):
        raise TypeError(f"argument '{name}' is a {type(x).__name__}: {why}")
    return x


def zero_where_undefined(factor, term):
    """``term`` (a product with ``factor``), 0 where ``factor`` is exactly 0 and the product is NaN (``0 *
    inf``, ``0 * nan``): the exact derivative there is 0. Elsewhere ``term`` itself, so that a derivative
    of the guarded term (second order) is the derivative of the product."""
    if not np.isnan(term).any():  # the common case, in one pass (np.any's dispatch costs more than the mask)
        return term
    undefined = np.isnan(term) & (factor == 0)
    return np.where(undefined, 0.0, term) if np.any(undefined) else term


def diff_gmm_objective_no_prior_forward(alphas: np.ndarray, means: np.ndarray, icf: np.ndarray, x: np.ndarray):
    n, d = x.shape
    k = alphas.shape[0]
    logdiag = icf[:, :d]
    _t1 = np.zeros((k, 1))
    _t2 = np.exp(logdiag)
    _t3 = icf[:, d:]
    table = np.concatenate([_t1, _t2, _t3], axis=1)
    _t4 = table.reshape(-1)
    _i1 = _factor_index(d, k)
    qt = _t4[_i1]
    _t5 = qt.reshape(d, k, d)
    qmu = contract('bja,jb->ja', _t5, means)
    xa = np.concatenate([x, np.ones((n, 1))], axis=1)
    _t6 = qmu.reshape(1, k * d)
    _t7 = -_t6
    _t8 = np.concatenate([qt, _t7], axis=0)
    _t9 = xa @ _t8
    z = _t9.reshape(n, k, d)
    _t10 = sum_along(logdiag, axis=1)
    _t11 = alphas + _t10
    _t12 = contract('ija,ija->ij', z, z)
    _t13 = 0.5 * _t12
    logits = _t11 - _t13
    mx = np.max(logits, axis=1, keepdims=True)
    _t15 = np.exp(logits - mx)
    _t16 = sum_along(_t15, axis=1)
    _t17 = np.log(_t16)
    lse_points = _t17 + mx[:, 0]
    amx = np.max(alphas)
    _t20 = np.exp(alphas - amx)
    _t21 = np.sum(_t20)
    lse_alphas = np.log(_t21) + amx
    _t25 = -0.5 * n * d * np.log(2 * np.pi) + np.sum(lse_points)
    return _t25 - n * lse_alphas, (_i1, shape_of(_t1), shape_of(_t10), shape_of(_t11), shape_of(_t13), _t15, _t16, shape_of(_t17), _t2, _t20, _t21, _t3, shape_of(_t4), _t5, shape_of(_t7), _t8, shape_of(_t9), alphas, d, icf, logdiag, shape_of(logits), shape_of(lse_points), means, n, shape_of(qmu), qt, shape_of(table), xa, z)


def diff_gmm_objective_no_prior_backward(tape, seed=1.0):
    _i1, _t1, _t10, _t11, _t13, _t15, _t16, _t17, _t2, _t20, _t21, _t3, _t4, _t5, _t7, _t8, _t9, alphas, d, icf, logdiag, logits, lse_points, means, n, qmu, qt, table, xa, z = tape
    lse_alphas_bar = n * -seed  # line 101
    lse_points_bar = unreduce(seed, lse_points)  # line 101
    _t20_bar = unreduce(lse_alphas_bar / _t21, _t20)  # line 100
    alphas_bar = _t20_bar * _t20  # line 100
    _t15_bar = unreduce(unbroadcast(lse_points_bar, _t17) / _t16, _t15, axis=1)  # line 98
    logits_bar = unbroadcast_product(_t15_bar, _t15, logits)  # line 98
    _t11_bar = unbroadcast(logits_bar, _t11)  # line 96
    z_bar = einsum_fit(contract('ij,ija->ija', -unbroadcast(logits_bar, _t13), z), z)  # line 96
    alphas_bar = accumulate(alphas_bar, unbroadcast(_t11_bar, alphas))  # line 96
    logdiag_bar = unreduce(unbroadcast(_t11_bar, _t10), logdiag, axis=1)  # line 96
    _t8_bar = matmul_adjoint(np.reshape(z_bar, np.shape(_t9)), xa, _t8, 1)  # line 95
    pieces1 = split_like(_t8_bar, [qt, _t7], axis=0)  # line 95
    qt_bar = pieces1[0]  # line 95
    qmu_bar = np.reshape(-pieces1[1], np.shape(qmu))  # line 95
    _t5_bar = einsum_fit(contract('ja,jb->bja', qmu_bar, means), _t5)  # line 92
    means_bar = einsum_fit(contract('ja,bja->jb', qmu_bar, _t5), means)  # line 92
    qt_bar = qt_bar + np.reshape(_t5_bar, np.shape(qt))  # line 92
    _t4_bar = zeros_of(_t4)  # line 91
    accumulate_at(_t4_bar, _i1, qt_bar)  # line 91
    table_bar = np.reshape(_t4_bar, np.shape(table))  # line 91
    pieces2 = split_like(table_bar, [_t1, _t2, _t3], axis=1)  # line 90
    _t2_bar = pieces2[1]  # line 90
    _t3_bar = pieces2[2]  # line 90
    icf_bar = zeros_of(icf)  # line 90
    icf_bar[:, d:] = _t3_bar  # line 90
    logdiag_bar = logdiag_bar + zero_where_undefined(_t2_bar, _t2_bar * _t2)  # line 90
    icf_bar[:, :d] += logdiag_bar  # line 88
    return alphas_bar, means_bar, icf_bar


def diff_gmm_objective_no_prior(alphas: np.ndarray, means: np.ndarray, icf: np.ndarray, x: np.ndarray, seed=1.0):
    alphas = float_input(array_input(alphas, 'alphas', 'the function joins or repeats it with + or *, which the derivative takes for arithmetic: pass an array'), 'alphas')
    means = float_input(means, 'means')
    icf = float_input(icf, 'icf')
    value, tape = diff_gmm_objective_no_prior_forward(alphas, means, icf, x)
    return value, diff_gmm_objective_no_prior_backward(tape, seed_like(seed, value))


def diff_gmm_objective(alphas: np.ndarray, means: np.ndarray, icf: np.ndarray, x: np.ndarray, wishart_gamma: float, wishart_m: int, seed=1.0):
    alphas = float_input(array_input(alphas, 'alphas', 'the function joins or repeats it with + or *, which the derivative takes for arithmetic: pass an array'), 'alphas')
    means = float_input(means, 'means')
    icf = float_input(icf, 'icf')
    d = x.shape[1]
    k = alphas.shape[0]
    logdiag = icf[:, :d]
    _t2 = np.exp(2 * logdiag)
    _t4 = icf[:, d:]
    _t5 = _t4 ** 2
    frobenius = np.sum(_t2) + np.sum(_t5)
    _t7 = 0.5 * wishart_gamma ** 2 * frobenius
    _t8 = np.sum(logdiag)
    _t9 = wishart_m * _t8
    _t10 = _t7 - _t9
    _t11 = k * _log_wishart_normalizer(d, wishart_gamma, wishart_m)
    prior = _t10 - _t11
    _t12, _tape1 = diff_gmm_objective_no_prior_forward(alphas, means, icf, x)
    _t13 = _t12 + prior
    _t10 = shape_of(_t10)
    _t5 = shape_of(_t5)
    _t7 = shape_of(_t7)
    _t9 = shape_of(_t9)
    prior_bar = seed_like(seed, _t13)
    _g1 = diff_gmm_objective_no_prior_backward(_tape1, unbroadcast(prior_bar, _t12))  # line 126
    alphas_bar = _g1[0]  # line 126
    means_bar = _g1[1]  # line 126
    icf_bar = zeros_of(icf)  # line 126
    icf_bar += _g1[2]  # line 126
    _t10_bar = unbroadcast(prior_bar, _t10)  # line 121
    _t7_bar = unbroadcast(_t10_bar, _t7)  # line 122
    logdiag_bar = unreduce(unbroadcast_product(wishart_m, -unbroadcast(_t10_bar, _t9), _t8), logdiag)  # line 123
    frobenius_bar = unbroadcast_product(0.5 * wishart_gamma ** 2, _t7_bar, frobenius)  # line 122
    _t5_bar = unreduce(2 * frobenius_bar, _t5)  # line 120
    _t4_bar = _t5_bar * _t4  # line 120
    icf_bar[:, d:] += _t4_bar  # line 120
    _t2_bar = unreduce(frobenius_bar, _t2)  # line 120
    logdiag_bar = logdiag_bar + 2 * (_t2_bar * _t2)  # line 120
    icf_bar[:, :d] += logdiag_bar  # line 119
    return _t13, (alphas_bar, means_bar, icf_bar)
