"""Rules for the full convolution's windows that ``np.convolve`` and ``np.correlate`` are lowered to
(sct/rules/lowering.py, sct/runtime/convolution.py): bilinear, its adjoints windows of the convolution of
the output's adjoint with the other operand reversed."""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from ..runtime import convolve_along, unbroadcast  # noqa: F401
from .core import RUNTIME, SAFE, helper, nondiff, primitive

# offset and length are read as integers (int()): the result is constant in them, whatever carries them
# (in second-order code, a tape tuple that is differentiated as a whole)
CONVOLVE = primitive(RUNTIME + "convolve_along", batch=SAFE)
# its operands are vectors in the code sct emits (np.convolve's are), their derivatives vectors or batches
# of vectors (a leading axis), which it broadcasts: batched code calls it as it is
helper("convolve_along")
nondiff(RUNTIME + "convolve_window")  # of shapes and the mode


@CONVOLVE.tangent
def _(z, a, v, offset, length):
    z_dot = convolve_along(a_dot, v, offset, length) + convolve_along(a, v_dot, offset, length)


@CONVOLVE.adjoint
def _(z, a, v, offset, length):  # z_k = sum_i a_i v_(k + offset - i)
    a_bar = unbroadcast(convolve_along(z_bar, np.flip(v, -1), np.shape(v)[-1] - 1 - offset, np.shape(a)[-1]),
                        a)
    v_bar = unbroadcast(convolve_along(z_bar, np.flip(a, -1), np.shape(a)[-1] - 1 - offset, np.shape(v)[-1]),
                        v)
