"""Warnings and exceptions raised by :mod:`mixtures`."""


class ConvergenceWarning(UserWarning):
    """Issued when an iterative fit stops at ``max_iter`` before meeting ``tol``."""


class NotFittedError(ValueError, AttributeError):
    """Raised when a method that needs fitted parameters is called before ``fit``.

    It derives from both :class:`ValueError` and :class:`AttributeError`, so callers
    that catch either (as with scikit-learn's class of the same name) keep working.
    """
