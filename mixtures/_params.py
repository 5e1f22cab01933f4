"""``get_params``/``set_params`` for estimators whose constructors only store arguments."""

import inspect
from typing import Any


class ParamsMixin:
    """Parameter access in the style of scikit-learn's ``BaseEstimator``.

    The parameters are the keyword arguments of ``__init__``, which must store each
    one unchanged on an attribute of the same name.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(
            name
            for name, p in signature.parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor parameters as a dict (``deep`` is accepted for compatibility)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> "ParamsMixin":
        """Set constructor parameters by name and return the estimator."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for {type(self).__name__}; valid parameters are {valid}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = inspect.signature(type(self).__init__).parameters
        changed = []
        for name, value in self.get_params().items():
            default = defaults[name].default
            if not (value is default or (_is_scalar(value) and value == default)):
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))
