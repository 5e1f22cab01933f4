"""Names of the runtime helpers emitted code may call (kept apart so that importing them is cheap)."""
from typing import Callable

from .. import runtime
from . import higher as higher_runtime

RUNTIME_NAMES = tuple(runtime.__all__)  # in the order of definition, as emitted modules list them
HIGHER_NAMES = tuple(higher_runtime.__all__)  # the batched helpers of vector mode (sct.runtime.higher)
RUNTIME_SET = frozenset(RUNTIME_NAMES)  # for membership: the tuple is read in order
# Every name sct's emitted code may call besides the user's: a user identifier spelled like one of these
# is set apart before transforming (see sct.frontend.source.protect_names).
HELPER_NAMES = RUNTIME_SET | frozenset(HIGHER_NAMES)


def helper_function(name: str) -> Callable:
    """The runtime helper called ``name`` (from :mod:`sct.runtime` or :mod:`sct.runtime.higher`)."""
    return getattr(runtime if name in RUNTIME_SET else higher_runtime, name)
