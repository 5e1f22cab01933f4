"""Names of the runtime helpers emitted code may call (kept apart so that importing them is cheap)."""
import inspect

from . import runtime

RUNTIME_NAMES = tuple(name for name, obj in vars(runtime).items()
                      if inspect.isfunction(obj) and obj.__module__ == runtime.__name__)
