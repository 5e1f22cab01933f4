"""Derivatives of ``np.select``: each choice's derivative where it is the one chosen (the first true
condition), the default's where no condition holds."""
import numpy as np

from .batched import batch_unbroadcast, lift
from .broadcasting import unbroadcast


def select_masks(condlist, shape):
    """Where each choice of ``np.select(condlist, ...)`` is the one chosen (``shape``: the output's), and
    where none is (the default)."""
    taken = np.zeros(shape, dtype=bool)
    masks = []
    for cond in condlist:
        chosen = np.logical_and(np.broadcast_to(cond, shape), ~taken)
        taken = taken | chosen
        masks.append(chosen)
    return masks, ~taken


def select_tangent(condlist, choices, default, z):
    """Tangent of ``z = np.select(condlist, choicelist, default)`` from the tangents of the choices (a list,
    or a scalar zero when no choice is differentiated) and of the default."""
    if not isinstance(choices, (list, tuple)):
        choices = [choices] * len(condlist)
    return np.select(condlist, choices, default)


def batch_select_tangent(condlist, choices, default, z):
    """:func:`select_tangent` for batches of tangents, each aligned with ``z``'s batch."""
    if not isinstance(choices, (list, tuple)):
        choices = [choices] * len(condlist)
    choices = [lift(c, z) if np.ndim(c) else c for c in choices]
    return np.select(condlist, choices, lift(default, z) if np.ndim(default) else default)


def select_adjoint(g, condlist, choicelist):
    """Adjoints of the choices of ``np.select(condlist, choicelist, default)`` from the output's ``g``."""
    masks, _ = select_masks(condlist, np.shape(g))
    return [unbroadcast(np.where(m, g, 0.0), c) for m, c in zip(masks, choicelist)]


def select_default_adjoint(g, condlist, default):
    """Adjoint of the default of ``np.select(condlist, choicelist, default)``."""
    _, none = select_masks(condlist, np.shape(g))
    return unbroadcast(np.where(none, g, 0.0), default)


def batch_select_adjoint(g, condlist, choicelist):
    """:func:`select_adjoint` for a batch of output adjoints."""
    masks, _ = select_masks(condlist, np.shape(g)[1:])
    return [batch_unbroadcast(np.where(m, g, 0.0), c) for m, c in zip(masks, choicelist)]


def batch_select_default_adjoint(g, condlist, default):
    """:func:`select_default_adjoint` for a batch of output adjoints."""
    _, none = select_masks(condlist, np.shape(g)[1:])
    return batch_unbroadcast(np.where(none, g, 0.0), default)
