"""What ``verbose=`` asks of a derivative: the emitted module, and the source after each pass."""
from __future__ import annotations

import sys
from typing import Optional

from .pipeline import Stages, print_stage


def show_stages(verbose: int) -> Optional[Stages]:
    """What ``verbose`` asks for: 2 and more print the source after each pass (see :mod:`sct.pipeline`)."""
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2, not {verbose!r}")
    return print_stage if verbose >= 2 else None


def show_source(made, verbose: int):
    """``made``, after printing its emitted module to stderr when ``verbose``."""
    if verbose:
        print(made.source, file=sys.stderr)
    return made
