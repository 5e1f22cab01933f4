"""The fast path of a derivative's call: arguments that no check and no conversion changes.

Before the emitted code runs, a derivative reads each differentiated argument as floats (integers cast,
checking that the function computes the same from them), refuses complex numbers, checks a list or tuple
item by item (joined by ``+``, written item by item, stackable) and copies what the emitted code writes
into. For most calls none of this changes anything: a differentiated argument that is a Python float or
a float ``ndarray`` is read as it is, and so is an argument not differentiated that is a number, a
string, ``None`` or a real ``ndarray``. :class:`PlainCall` tells, from each call's own values (their exact
types and dtype kinds, looked at anew every call, so that no earlier call decides for a later one), that
a call is of that kind; it then hands the emitted code the arguments with only the copies it needs. Any
other call — an integer, a list, a subclass of ``ndarray``, a complex value — goes the general way, with
every check.
"""
from __future__ import annotations

import operator
from typing import Optional, Sequence

import numpy as np

from .runtime.inputs import owned_input

_KEPT = (float, int, bool, str, type(None))  # an argument not differentiated, of these types, is passed as is


class PlainCall:
    """The fast path for calls of an emitted function whose first parameters are ``params`` (the
    original's), ``wrt`` of them differentiated, followed by ``extras`` (a forward derivative's tangents),
    the emitted code writing into those ``written``."""

    def __init__(self, params: Sequence[str], wrt: Sequence[str], extras: Sequence[str], written):
        self.differentiated = tuple(p in wrt for p in params)
        self.floats = (float,) * len(self.differentiated)
        self.copied = tuple(i for i, p in enumerate(list(params) + list(extras)) if p in written)
        self.positions = tuple(list(params).index(w) for w in wrt)
        # the differentiated ones of the original's arguments, as a tuple in the order of wrt
        if len(self.positions) == 1:
            (position,) = self.positions
            self.differentiated_arguments = operator.itemgetter(slice(position, position + 1))
        elif self.positions:
            self.differentiated_arguments = operator.itemgetter(*self.positions)
        else:
            self.differentiated_arguments = lambda primal: ()

    def arguments(self, primal: tuple, given: tuple) -> Optional[Sequence]:
        """The emitted function's arguments for the original's ``primal`` ones and the tangents ``given``,
        or None when some argument needs the general path's checks or conversions."""
        if tuple(map(type, primal)) != self.floats and not self._plain(primal):  # not all Python floats
            return None
        for value in given:  # tangents: read as floats
            kind = type(value)
            if kind is not float and (kind is not np.ndarray or value.dtype.kind != "f"):
                return None
        if not self.copied:
            return primal + given
        args = list(primal + given)
        for i in self.copied:
            args[i] = owned_input(args[i])
        return args

    def _plain(self, primal: tuple) -> bool:
        for value, differentiated in zip(primal, self.differentiated):
            kind = type(value)
            if kind is float:
                continue
            if kind is np.ndarray:
                dtype = value.dtype.kind
                if dtype == "f" or not differentiated and dtype != "c":
                    continue
            elif not differentiated and kind in _KEPT:
                continue
            return False
        return True
