"""Partials of running extrema, ``np.maximum.accumulate`` and ``np.minimum.accumulate``.

Along the scanned axis the running extremum ``z`` is constant on runs that start where it changes; each
``z_i`` is attained by the entries of ``x`` up to ``i`` that equal it, which all lie in ``i``'s run: its
start, and later ties. Ties share the derivative equally, as ``np.max``'s do. The derivatives may carry
leading batch axes (``x`` and ``z`` do not): the axis is counted from the end."""
import numpy as np

from .axes import _axes_of


def running_extremum_tangent(v, x, z, axis=0):
    """Tangent of ``z = np.maximum.accumulate(x, axis)`` (or ``minimum``'s) along ``v``: ``v`` at the start
    of each entry's run, or with ties the mean of ``v`` over the entries attaining it so far."""
    ndim = np.ndim(x)
    axis = _axes_of(ndim, axis)[0] - ndim
    xs, zs, vs = (np.moveaxis(np.asarray(a), axis, -1) for a in (x, z, v))
    start = np.ones(zs.shape, dtype=bool)
    start[..., 1:] = zs[..., 1:] != zs[..., :-1]  # NaN != NaN: every entry from a NaN on starts a run
    first = np.maximum.accumulate(np.where(start, np.arange(zs.shape[-1]), 0), axis=-1)
    hit = xs == zs
    if np.array_equal(hit, start):  # no ties (and no NaN): a gather
        out = np.take_along_axis(vs, np.broadcast_to(first, vs.shape), axis=-1)
    else:
        kept = np.where(hit, vs, 0.0)
        total = np.cumsum(kept, axis=-1)
        counts = np.cumsum(hit, axis=-1)
        before = np.take_along_axis(total - kept, np.broadcast_to(first, kept.shape), axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):  # no entry attains a NaN: 0 / 0, NaN
            out = (total - before) / (counts - np.take_along_axis(counts - hit, first, axis=-1))
    return np.moveaxis(out, -1, axis)


def running_extremum_adjoint(g, x, z, axis=0):
    """Adjoint of ``z = np.maximum.accumulate(x, axis)`` (or ``minimum``'s), the transpose of
    :func:`running_extremum_tangent`: each entry attaining the extremum gets its share of ``g`` from its
    own position to the end of its run."""
    ndim = np.ndim(x)
    axis = _axes_of(ndim, axis)[0] - ndim
    xs, zs, gs = (np.moveaxis(np.asarray(a), axis, -1) for a in (x, z, g))
    n = zs.shape[-1]
    start = np.ones(zs.shape, dtype=bool)
    start[..., 1:] = zs[..., 1:] != zs[..., :-1]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0), axis=-1)
    hit = xs == zs
    if np.array_equal(hit, start):  # no ties: each run's g adds up at its start
        rows = int(np.prod(gs.shape[:-1], dtype=int))
        index = np.arange(rows)[:, None] * n + np.broadcast_to(first, gs.shape).reshape(rows, n)
        out = np.bincount(index.ravel(), weights=gs.ravel().astype(float), minlength=rows * n)
        out = out.reshape(gs.shape)
    else:  # the shares g_i / count_i, summed over i from j to its run's end: a run-wise sum of the
        counts = np.cumsum(hit, axis=-1)  # shares flipped, whose runs start where the runs end
        counts = counts - np.take_along_axis(counts - hit, first, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):  # no entry attains a NaN: nothing to share
            share = np.flip(np.where(counts > 0, gs / np.where(counts > 0, counts, 1), 0.0), -1)
        end = np.ones(zs.shape, dtype=bool)
        end[..., :-1] = start[..., 1:]
        last = np.maximum.accumulate(np.where(np.flip(end, -1), np.arange(n), 0), axis=-1)
        total = np.cumsum(share, axis=-1)
        before = np.take_along_axis(total - share, np.broadcast_to(last, share.shape), axis=-1)
        out = np.where(hit, np.flip(total - before, -1), 0.0)
    return np.moveaxis(out, -1, axis)
