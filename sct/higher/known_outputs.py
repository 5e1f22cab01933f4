"""The output's shape a reverse-mode Jacobian makes its seeds for, known from an earlier call.

A reverse-mode Jacobian pulls back one seed per entry of the output, so it must know the output's shape
before it sweeps; it used to run the function once for it on every call. :class:`KnownOutputs` keeps the
shape (and whether the output is a list or tuple of arrays) found for the last call's
:func:`call_signature` (the arguments' types, each array's shape and dtype, other numbers and strings
themselves): a call of the same signature sweeps with seeds of that shape at once. The sweep computes the
output too, and the guess stands only if that output has the shape and kind guessed: otherwise (an output
whose shape depends on the values, or a sweep the wrong seeds made fail) the call goes the way that runs
the function first. A guess can therefore only save the function's run, never change a result.
"""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np

Output = Tuple[tuple, bool]  # (shape, a list or tuple of arrays)
_BY_VALUE = (int, bool, str, type(None))


def call_signature(args: tuple, kwargs: dict) -> Optional[tuple]:
    """What the output's shape may depend on besides the numbers the arrays hold, or None for arguments
    of other kinds (lists, tuples, dicts, objects: no guess is kept for them)."""
    parts = []
    for value in (*args, *kwargs.values()):
        kind = type(value)
        if kind is np.ndarray:
            parts.append((value.shape, value.dtype))
        elif kind is float or isinstance(value, np.floating):
            parts.append(kind)
        elif kind in _BY_VALUE:
            parts.append((kind, value))
        else:
            return None
    return tuple(parts) + tuple(kwargs)


def output_shape(value) -> tuple:
    """``np.shape(value)``, without its dispatch for arrays and numpy scalars."""
    return value.shape if isinstance(value, (np.ndarray, np.generic)) else np.shape(value)


class KnownOutputs:
    """The output found for the last signature of a call (see the module docstring)."""

    def __init__(self) -> None:
        self.signature: Optional[tuple] = None
        self.output: Optional[Output] = None

    def guess(self, signature: Optional[tuple]) -> Optional[Output]:
        """The output found for ``signature``, if it was the last one kept."""
        return self.output if signature is not None and signature == self.signature else None

    def keep(self, signature: Optional[tuple], output: Output) -> None:
        if signature is not None:
            self.signature, self.output = signature, output
