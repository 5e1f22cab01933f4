"""Names of the runtime helpers emitted code may call (kept apart so that importing them is cheap)."""
import inspect

from . import higher_runtime, runtime

RUNTIME_NAMES = tuple(name for name, obj in vars(runtime).items()
                      if inspect.isfunction(obj) and obj.__module__ == runtime.__name__)
# Every name sct's emitted code may call besides the user's: a user identifier spelled like one of these
# is set apart before transforming (see sct.source.protect_names).
HELPER_NAMES = frozenset(RUNTIME_NAMES) | {name for name, obj in vars(higher_runtime).items()
                                           if inspect.isfunction(obj)
                                           and obj.__module__ == higher_runtime.__name__}
