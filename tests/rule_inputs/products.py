"""Products and contractions: ``@``, ``np.dot``, ``np.outer``, ``np.einsum``, ``np.tensordot`` and the
helpers ``np.einsum`` is computed by."""
from __future__ import annotations

from typing import Dict, List

from rule_inputs.cases import PAIR, RT, TRIPLE, Case, extend

INPUTS: Dict[str, List[Case]] = {}
INPUTS["op.MatMult"] = [Case("x @ y", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 2)),
                                       ((2, 2, 3), (3, 2))], ("real", "real"))]
INPUTS["numpy.matmul"] = [Case("np.matmul(x, y)", [((2, 3), (3,)), ((2, 3), (3, 2))], ("real", "real"))]
INPUTS["numpy.dot"] = [Case("np.dot(x, y)", [((), (3,)), ((3,), (3,)), ((2, 3), (3,)), ((2, 3), (3, 2))],
                            ("real", "real"))]
INPUTS["method.dot"] = [Case("x.dot(y)", [((3,), (3,)), ((2, 3), (3, 2))], ("real", "real"))]
INPUTS["numpy.outer"] = [Case("np.outer(x, y)", [((3,), (2,)), ((1,), (3,))], ("real", "real"))]
INPUTS["numpy.einsum"] = [Case("np.einsum('ij,j->i', x, y)", [((2, 3), (3,))], ("real", "real")),
                          Case("np.einsum('ij->', x)", [((2, 3),)]),
                          Case("np.einsum('ij,kj->ik', x, y)", [((2, 3), (1, 3))], ("real", "real"))]
# More arguments, axes and shapes per rule: N-d batches, tuples of axes, keyword spellings.
_MORE: Dict[str, List[Case]] = {
    "numpy.dot": [Case("np.dot(x, y)", [((2, 3), ())], PAIR)],
    "op.MatMult": [Case("x @ y", [((3,), (2, 3, 2)), ((2, 2, 3), (1, 3, 2))], PAIR)],
    "numpy.einsum": [Case("np.einsum('ij,ij->', x, y)", [((2, 3), (2, 3))], PAIR),
                     Case("np.einsum('i,j->ij', x, y)", [((3,), (2,))], PAIR)],
    "numpy.outer": [Case("np.outer(x, y)", [((2, 3), (2,))], PAIR)],
}
extend(INPUTS, _MORE)
INPUTS["numpy.dot"] = INPUTS["numpy.dot"] + [Case("np.dot(x, y)", [((2, 3), (2, 3, 4)), ((3,), (2, 3, 2)),
                                                                   ((2, 2, 3), (3,))], PAIR)]
INPUTS["method.dot"] = INPUTS["method.dot"] + [Case("x.dot(y)", [((2, 3), (2, 3, 4))], PAIR)]
INPUTS["numpy.einsum"] = INPUTS["numpy.einsum"] + [  # implicit output, repeated indices, a leading ellipsis
    Case("np.einsum('ii->i', x)", [((3, 3),)]),
    Case("np.einsum('ii', x)", [((3, 3),)]),
    Case("np.einsum('ij,jk', x, y)", [((2, 3), (3, 2))], PAIR),
    Case("np.einsum('iij->j', x)", [((2, 2, 3),)]),
    Case("np.einsum('ij,jj->i', x, y)", [((2, 3), (3, 3))], PAIR),
    Case("np.einsum('...ij,...j->...i', x, y)", [((2, 3, 3), (2, 3)), ((2, 3, 3), (3,)), ((3, 3), (2, 1, 3))],
         PAIR),
    Case("np.einsum('...ii->...i', x)", [((2, 3, 3),)]),
    Case("np.einsum('...ii->...', x)[..., None] + np.einsum('...ij->...i', x)", [((2, 3, 3),), ((3, 3),)]),
    Case("np.einsum('...i,i', x, y)", [((2, 3), (3,))], PAIR),
    Case("np.einsum('...j,ij->...i', x, y)", [((2, 2, 3), (2, 3))], PAIR)]
INPUTS["numpy.tensordot"] = [
    Case("np.tensordot(x, y)", [((2, 3), (2, 3)), ((1, 2, 3), (2, 3, 2))], PAIR),
    Case("np.tensordot(x, y, 1)", [((3,), (3,)), ((2, 3), (3, 1)), ((3,), (3, 2))], PAIR),
    Case("np.tensordot(x, y, axes=0)", [((), (2,)), ((2,), (3,))], PAIR),
    Case("np.tensordot(x, y, axes=([1, 0], [0, 2]))", [((3, 2), (2, 1, 3)), ((3, 2, 2), (2, 2, 3))], PAIR),
    Case("np.tensordot(x, y, axes=(-1, 0))", [((2, 3), (3, 2))], PAIR)]
INPUTS["numpy.einsum"] = INPUTS["numpy.einsum"] + [  # an ellipsis after labels; the sublist form
    Case("np.einsum('i...j->...', x)", [((2, 3, 4),), ((2, 3),), ((1, 2, 1, 3),)]),
    Case("np.einsum('i...j,j->...i', x, y)", [((2, 3, 4), (4,)), ((2, 1, 3, 2), (2,))], PAIR),
    Case("np.einsum('i...j,...->i...', x, y)", [((2, 1, 4), (2, 3)), ((2, 3, 4), (3,)), ((2, 4), (3,))],
         PAIR),
    Case("np.einsum('...i,i...->i...', x, y)", [((2, 3), (3, 2)), ((3,), (3, 2, 2))], PAIR),
    Case("np.einsum(x, [0, 1], y, [1, 2], [0, 2])", [((2, 3), (3, 2)), ((1, 3), (3, 1))], PAIR),
    Case("np.einsum(x, [Ellipsis, 0, 0], [Ellipsis, 0])", [((2, 3, 3),), ((3, 3),)]),
    Case("np.einsum(x, [1, 0], y, [1, 2])", [((3, 2), (3, 2))], PAIR)]
# gmm's batched product; a chain of three; labels of length 1 in one operand only (numpy broadcasts them)
INPUTS["numpy.einsum"] = INPUTS["numpy.einsum"] + [
    Case("np.einsum('ijk,mik->mij', x, y)", [((2, 3, 2), (3, 2, 2)), ((1, 2, 1), (3, 1, 1))], PAIR),
    Case("np.einsum('ij,jk,kl->il', x, y, z)", [((2, 3), (3, 1), (1, 2)), ((1, 2), (2, 2), (2, 3))], TRIPLE),
    Case("np.einsum('ij,ij,j->', x, y, z, optimize=True)", [((2, 3), (1, 3), (3,))], TRIPLE)]
_CONTRACT = RT + "contract"  # the helper np.einsum is computed by; emitted derivatives call it
INPUTS["sct.runtime.contract"] = [
    Case("contract('ijk,mik->mij', x, y)", [((2, 3, 2), (3, 2, 2)), ((1, 2, 1), (3, 1, 1))], PAIR,
         imports=_CONTRACT),
    Case("contract('ij,jk->ik', x, y)", [((2, 3), (3, 2)), ((1, 3), (3, 1))], PAIR, imports=_CONTRACT),
    Case("contract('ij,jk,k->i', x, y, z)", [((2, 3), (3, 2), (2,))], TRIPLE, imports=_CONTRACT),
    Case("contract('ii,ij->j', x, y)", [((3, 3), (3, 2))], PAIR, imports=_CONTRACT),
    Case("contract('...i,i', x, y)", [((2, 3), (3,)), ((3,), (1,))], PAIR, imports=_CONTRACT),
    Case("contract(',i->i', x, y)", [((), (3,))], PAIR, imports=_CONTRACT),
    Case("contract('ij->', x)", [((2, 3),)], imports=_CONTRACT)]
INPUTS["sct.runtime.einsum_fit"] = [  # summed over leading axes and where the target has length 1, broadcast
    Case("einsum_fit(x, np.ones((2, 1, 3)))", [((1, 3),), ((4, 2, 5, 3),), ((2, 1, 1),), ((2, 1, 3),)],
         imports=RT + "einsum_fit")]
