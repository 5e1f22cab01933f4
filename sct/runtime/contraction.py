"""``contract``: ``np.einsum`` computed by BLAS-backed ``np.matmul`` on transposed views, planned once.

numpy's own einsum loops over the index space in C without BLAS; ``np.einsum(..., optimize=True)`` plans
every call again. ``contract`` plans the contraction once per (subscripts, shapes, dtypes) and keeps the
plan in a small dict: each operand has its diagonals taken (repeated labels), its broadcast axes of length 1
dropped and the labels no other operand nor the output has summed; then pairs of operands are contracted
(the pair that shrinks the intermediate most first, as opt_einsum's greedy path) by one ``np.matmul``
over their shared kept labels (a batch), their shared summed labels (the inner dimension) and the rest;
the last result is transposed to the output's order. Subscripts it cannot plan (one operand, integer or
object dtypes, sizes that do not broadcast) go to ``np.einsum``, which also raises numpy's errors.
"""
import numpy as np


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


def batch_einsum_fit(g, x):
    """``einsum_fit`` of a batch of adjoints ``g`` (a leading axis of directions)."""
    return _fit_shape(g, np.shape(x), 1)


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
