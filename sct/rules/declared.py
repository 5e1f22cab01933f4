"""What sct knows of the primitives users declare (``sct.primitive``) beside their rules: a version that
changes with every declaration, so that derivatives made before are made again, and the handles whose
rules were removed, which stand for their function again."""
from __future__ import annotations

from typing import Callable

_VERSION = [0]


def user_rules_version() -> int:
    """A number that changes whenever a user rule is declared, replaced or removed (caches key on it)."""
    return _VERSION[0]


def user_rules_changed() -> None:
    _VERSION[0] += 1


class PrimitiveHandle:
    """Base of the objects ``sct.primitive`` returns; one whose rules were removed (``removed``) stands for
    its function again (see :func:`plain_function`)."""

    func: Callable
    removed: bool = False


def plain_function(obj):
    """The function a removed ``sct.primitive`` declaration wraps (calls are differentiated through it
    again), else ``obj``."""
    return obj.func if isinstance(obj, PrimitiveHandle) and obj.removed else obj
