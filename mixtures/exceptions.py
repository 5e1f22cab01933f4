"""Warnings and exceptions raised by :mod:`mixtures`.

When scikit-learn is installed they derive from its classes of the same name, so
``warnings.filterwarnings("ignore", category=sklearn.exceptions.ConvergenceWarning)`` and
``except sklearn.exceptions.NotFittedError`` cover this package's too.
"""

try:
    from sklearn.exceptions import ConvergenceWarning as _BaseConvergenceWarning
    from sklearn.exceptions import NotFittedError as _BaseNotFittedError
except ImportError:  # scikit-learn is optional
    _BaseConvergenceWarning = UserWarning

    class _BaseNotFittedError(ValueError, AttributeError):
        pass


class ConvergenceWarning(_BaseConvergenceWarning):
    """Issued when an iterative fit stops at ``max_iter`` before meeting ``tol``."""


class NotFittedError(_BaseNotFittedError):
    """Raised when a method that needs fitted parameters is called before ``fit``.

    It derives from both :class:`ValueError` and :class:`AttributeError`, so callers
    that catch either (as with scikit-learn's class of the same name) keep working.
    """
