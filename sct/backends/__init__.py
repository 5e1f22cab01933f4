"""Backends that run a derivative's emitted code: ``"numpy"`` (the default, the code as Python runs it)
and ``"numba"`` (the same code compiled by numba, which must be installed; see
:mod:`sct.backends.numba_jit`). numba is imported only when a derivative asks for it."""
from __future__ import annotations

import importlib
import importlib.util
from typing import Callable, Dict

from ..errors import SCTError

BACKENDS = ("numpy", "numba")


def check_backend(backend: str) -> str:
    """``backend``, if it names one; else a ValueError listing them."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, not {backend!r}")
    return backend


def run_by(backend: str, functions: Dict[str, Callable], main: str) -> Callable:
    """The emitted function ``main`` as ``backend`` runs it (``functions``: the emitted ones by name)."""
    if backend == "numpy":
        return functions[main]
    if importlib.util.find_spec("numba") is None:
        raise SCTError("backend='numba' needs numba, which is not installed",
                       hint="pip install numba, or use the numpy backend (the default)")
    return importlib.import_module(".numba_jit", __name__).compiled(functions, main)
