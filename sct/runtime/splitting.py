"""Adjoints of ``np.split`` and ``np.array_split``: each piece's adjoint added back where it was cut from.

``np.split`` cuts the same pieces as ``np.array_split`` whenever it succeeds (it only refuses an unequal
division), so one helper serves both. Pieces cut by an unsorted list of indices may overlap; their
adjoints add up there.
"""
import numpy as np

from .axes import _axes_of


def split_adjoint(g, x, sections, axis=0):
    """Adjoint of ``np.array_split(x, sections, axis)`` from ``g``, one adjoint per piece."""
    out = np.zeros(np.shape(x), dtype=np.result_type(float, *g))
    view = np.moveaxis(out, axis, 0)
    for where, piece in zip(np.array_split(np.arange(view.shape[0]), sections), g):
        view[where] += np.moveaxis(np.asarray(piece), axis, 0)
    return out


def batch_split_adjoint(g, x, sections, axis=0):
    """A batch of adjoints of ``np.array_split(x, sections, axis)``: each piece's adjoint has a leading
    batch axis."""
    size = len(np.asarray(g[0]))
    out = np.zeros((size,) + np.shape(x), dtype=np.result_type(float, *g))
    moved = _axes_of(np.ndim(x), axis)[0] + 1
    view = np.moveaxis(out, moved, 0)
    for where, piece in zip(np.array_split(np.arange(view.shape[0]), sections), g):
        view[where] += np.moveaxis(np.asarray(piece), moved, 0)
    return out
