"""numpy.linalg and scipy.linalg (decomposition_rules.py and the linear-algebra rules) and their helpers."""
from __future__ import annotations

from typing import Dict, List

from rule_inputs.cases import ARRAY, FWD, PAIR, RT, SQUARE, Case, extend

INPUTS: Dict[str, List[Case]] = {}
INPUTS["numpy.linalg.cholesky"] = [Case("np.linalg.cholesky(x)", SQUARE, matrix="spd")]
INPUTS["numpy.linalg.det"] = [Case("np.linalg.det(x)", SQUARE, matrix="general")]
INPUTS["numpy.linalg.inv"] = [Case("np.linalg.inv(x)", SQUARE, matrix="general")]
_SLOGDET = "sign, logdet = np.linalg.slogdet(x)"
INPUTS["numpy.linalg.slogdet"] = [Case("logdet", SQUARE, matrix="general", setup=_SLOGDET),
                                  Case("sign * logdet", SQUARE[:1], matrix="general", setup=_SLOGDET)]
INPUTS["numpy.linalg.solve"] = [Case("np.linalg.solve(x, y)", [((3, 3), (3,)), ((3, 3), (3, 2))],
                                     ("real", "real"), matrix="general")]
INPUTS["numpy.linalg.norm"] = [Case("np.linalg.norm(x)", ARRAY, ("nonzero",)),
                               Case("np.linalg.norm(x, axis=0)", [((2, 3),)], ("nonzero",))]
# More arguments, axes and shapes per rule: N-d batches, tuples of axes, keyword spellings.
_MORE: Dict[str, List[Case]] = {
    "numpy.linalg.norm": [Case("np.linalg.norm(x, 'fro')", [((2, 3),)], ("nonzero",)),
                          Case("np.linalg.norm(x, axis=1, keepdims=True)", [((2, 3),)], ("nonzero",)),
                          Case("np.linalg.norm(x, ord=2)", [((3,),)], ("nonzero",)),
                          Case("np.linalg.norm(x, axis=(0, 1))", [((2, 3),)], ("nonzero",))],
    "numpy.linalg.solve": [Case("np.linalg.solve(x, y)", [((2, 3, 3), (2, 3, 1))], PAIR, matrix="general")],
    "numpy.linalg.inv": [Case("np.linalg.inv(x) @ y", [((3, 3), (3,))], PAIR, matrix="general")],
}
extend(INPUTS, _MORE)
# numpy.linalg and scipy.linalg decompositions (decomposition_rules.py): at generic points (distinct
# eigenvalues and singular values), where the derivatives are defined
_EIGH = "lam, vec = np.linalg.eigh(x)"
INPUTS["numpy.linalg.eigh"] = [Case("lam", SQUARE, matrix="spd", setup=_EIGH),
                               Case("vec * vec[..., :1, :]", SQUARE, matrix="spd", setup=_EIGH),
                               Case("lam[-1] + vec * vec[:1, :]", [((3, 3),)], matrix="general", setup=_EIGH),
                               Case("lam[0] * vec * vec[-1:, :]", [((3, 3),)], matrix="general",
                                    setup="lam, vec = np.linalg.eigh(x, UPLO='U')")]
INPUTS["sct.runtime.symmetric_part"] = [
    Case("symmetric_part(x)", [((3, 3),), ((2, 3, 3),)], imports=RT + "symmetric_part"),
    Case("symmetric_part(x, UPLO='U')", [((3, 3),)], imports=RT + "symmetric_part")]
INPUTS["sct.runtime.symmetric_part_adjoint"] = [
    Case("symmetric_part_adjoint(x)", [((3, 3),), ((2, 3, 3),)], imports=RT + "symmetric_part_adjoint"),
    Case("symmetric_part_adjoint(x, UPLO='U')", [((3, 3),)], imports=RT + "symmetric_part_adjoint")]
_SLA = "from scipy import linalg"
INPUTS["scipy.linalg.solve_triangular"] = [
    Case("linalg.solve_triangular(x, y)", [((3, 3), (3,)), ((3, 3), (3, 2))], PAIR, matrix="general",
         imports=_SLA),
    Case("linalg.solve_triangular(x, y, lower=True, trans='T')", [((3, 3), (3,))], PAIR, matrix="general",
         imports=_SLA),
    Case("linalg.solve_triangular(x, y, trans=1, unit_diagonal=True)", [((3, 3), (3, 2))], PAIR,
         matrix="general", imports=_SLA)]
INPUTS["scipy.linalg._basic.solve_triangular"] = [
    Case("solve_triangular(x, y, lower=True)", [((3, 3), (3,))], PAIR, matrix="general",
         imports="from scipy.linalg._basic import solve_triangular")]
_TRI = "from sct.runtime import triangular_operator, triangular_tangent, triangular_adjoint"
INPUTS["sct.runtime.triangular_operator"] = [
    Case("triangular_operator(x, unit_diagonal=True)", [((3, 3),)], imports=_TRI),
    Case("triangular_operator(x, trans='T', lower=True)", [((3, 3),)], imports=_TRI)]
INPUTS["sct.runtime.triangular_tangent"] = [Case("triangular_tangent(x, trans=1, lower=True)", [((3, 3),)],
                                                 imports=_TRI)]
INPUTS["sct.runtime.triangular_adjoint"] = [Case("triangular_adjoint(x, trans=2, unit_diagonal=True)",
                                                 [((3, 3),)], imports=_TRI)]
INPUTS["numpy.linalg.matrix_power"] = [Case("np.linalg.matrix_power(x, 3)", SQUARE, matrix="general"),
                                       Case("np.linalg.matrix_power(x, -2)", SQUARE[1:], matrix="general"),
                                       Case("np.linalg.matrix_power(x, 1) + np.linalg.matrix_power(x, 0)",
                                            [((3, 3),)], matrix="general")]
INPUTS["scipy.linalg.expm"] = [Case("linalg.expm(0.5 * x)", SQUARE, matrix="general", imports=_SLA)]
INPUTS["scipy.linalg._matfuncs.expm"] = [Case("expm(x)", [((3, 3),)], matrix="general",
                                              imports="from scipy.linalg._matfuncs import expm")]
_BLK = "from sct.runtime import block_pair, upper_block, matrix_exp"
INPUTS["sct.runtime.matrix_exp"] = [Case("matrix_exp(x)", SQUARE, imports=_BLK)]
INPUTS["sct.runtime.block_pair"] = [Case("block_pair(x, y)", [((3, 3), (3, 3)), ((2, 3, 3), (3, 3))], PAIR,
                                         imports=_BLK)]
INPUTS["sct.runtime.upper_block"] = [Case("upper_block(x)", [((4, 4),), ((2, 4, 4),)], imports=_BLK)]
_SVD = "u, s, vt = np.linalg.svd(x, full_matrices=False)"
INPUTS["numpy.linalg.svd"] = [
    Case("s", [((3, 3),), ((2, 3),), ((3, 2),), ((2, 3, 3),)], setup=_SVD),
    Case("u * u[..., :1, :]", [((3, 3),), ((2, 3),), ((3, 2),)], setup=_SVD),
    Case("vt * vt[..., :, :1]", [((3, 3),), ((2, 3),), ((3, 2),)], setup=_SVD),
    Case("u[..., :, :1] * vt[..., :1, :] + s[..., -1:, None]", [((2, 3, 3),), ((3, 2),)], setup=_SVD),
    Case("s[0] * u * vt.T", [((3, 3),)], setup="u, s, vt = np.linalg.svd(x)")]
INPUTS["sct.runtime.reduced_factor"] = [Case("reduced_factor(x, np.ones((3, 2)), False)", [((3, 2),)],
                                             imports=RT + "reduced_factor")]
INPUTS["numpy.linalg.pinv"] = [Case("np.linalg.pinv(x)", [((3, 3),), ((2, 3),), ((3, 2),), ((2, 3, 2),)]),
                               Case("np.linalg.pinv(x, hermitian=False)", [((2, 3),)])]
_QR = "q, r = np.linalg.qr(x)"
INPUTS["numpy.linalg.qr"] = [Case("r", SQUARE, matrix="general", setup=_QR),
                             Case("q", SQUARE, matrix="general", setup=_QR),
                             Case("q * np.diagonal(r, axis1=-2, axis2=-1)[..., None, :]",
                                  [((3, 2),), ((2, 3, 2),)],
                                  setup=_QR),
                             Case("r * r[..., :, :1]", [((3, 2),)],
                                  setup="q, r = np.linalg.qr(x, mode='reduced')")]
INPUTS["sct.runtime.tall_factor"] = [Case("tall_factor(x, np.ones((3, 2)))", [((3, 2),)],
                                          imports=RT + "tall_factor")]
_EIG = "lam, vec = np.linalg.eig(0.1 * x + np.diag(np.arange(1.0, np.shape(x)[-1] + 1)))"  # real, distinct
INPUTS["numpy.linalg.eig"] = [Case("lam", SQUARE, setup=_EIG),
                              Case("vec * vec[..., :1, :]", SQUARE, setup=_EIG),
                              Case("lam[..., :1, None] * vec * vec[..., -1:, :]", [((2, 3, 3),)], setup=_EIG)]
INPUTS["sct.runtime.real_eigenvectors"] = [Case("real_eigenvectors(x, np.ones(3))", [((3, 3),)],
                                                imports=RT + "real_eigenvectors")]
_SV_ORDS = ("'nuc'", "2", "-2")  # matrix norms of singular values: second derivatives refused when run
INPUTS["numpy.linalg.norm"] = INPUTS["numpy.linalg.norm"] + [  # every ord, at points where it is smooth
    Case(f"np.linalg.norm(x, {o})", [((3, 3),), ((2, 3),)], ("nonzero",), second_order=o not in _SV_ORDS)
    for o in ("'nuc'", "2", "-2", "1", "-1", "np.inf", "-np.inf")] + [
    Case(f"np.linalg.norm(x, {o})", [((3,),), ((4,),)], ("nonzero",)) for o in ("1", "3", "np.inf", "-np.inf",
                                                                                  "-1", "0.5")]
INPUTS["numpy.linalg.svd:values"] = [
    Case("np.linalg.svd(x, compute_uv=False)", [((3, 3),), ((2, 3),), ((3, 2),), ((2, 3, 2),), ((1, 3),)]),
    Case("np.linalg.svd(x, full_matrices=False, compute_uv=False) ** 2", [((3, 3),)])]
_CHO = "from scipy.linalg import cho_factor, cho_solve"
INPUTS["scipy.linalg.cho_factor"] = [
    Case("c", [((3, 3),), ((1, 1),)], matrix="spd", imports=_CHO, setup="c, low = cho_factor(x)"),
    Case("c * 2.0", [((3, 3),)], matrix="spd", imports=_CHO, setup="c, low = cho_factor(x, lower=True)"),
    Case("f[0]", [((2, 2),)], matrix="spd", imports=_CHO, setup="f = cho_factor(x)")]
INPUTS["scipy.linalg.cho_solve"] = [
    Case("cho_solve(cho_factor(x), y)", [((3, 3), (3,)), ((3, 3), (3, 2)), ((1, 1), (1,))], PAIR,
         matrix="spd", imports=_CHO),
    Case("cho_solve((c, low), y) * c[0, 0]", [((3, 3), (3,)), ((2, 2), (2, 1))], PAIR, matrix="spd",
         imports=_CHO, setup="c, low = cho_factor(x, lower=True)"),
    Case("cho_solve(f, y) + cho_solve(f, y * y)", [((3, 3), (3, 2))], PAIR, matrix="spd", imports=_CHO,
         setup="f = cho_factor(x, lower=False)")]
INPUTS["scipy.linalg._decomp_cholesky.cho_factor"] = [
    Case("f[0]", [((2, 2),)], matrix="spd", setup="f = cho_factor(x)",
         imports="from scipy.linalg._decomp_cholesky import cho_factor")]
INPUTS["scipy.linalg._decomp_cholesky.cho_solve"] = [
    Case("cho_solve((x, False), y)", [((2, 2), (2,))], PAIR, matrix="spd",
         imports="from scipy.linalg._decomp_cholesky import cho_solve")]
_CHR = RT + "cho_lower, cho_lower_adjoint, cho_rest, cho_rest_adjoint, cho_read, cho_read_adjoint"
INPUTS["sct.runtime.cho_lower"] = [Case("cho_lower([x, 0.0], (x, True)) + cho_lower([x], (x, False))",
                                        [((3, 3),)], imports=_CHR)]
INPUTS["sct.runtime.cho_lower_adjoint"] = [Case("cho_lower_adjoint(x, (x, False))[0]", [((3, 3),)],
                                                imports=_CHR)]
INPUTS["sct.runtime.cho_rest"] = [Case("cho_rest(x, (x, True))[0] * 2.0", [((3, 3),)], imports=_CHR)]
INPUTS["sct.runtime.cho_rest_adjoint"] = [Case("cho_rest_adjoint([x, 0.0], (x, False))", [((3, 3),)],
                                               imports=_CHR)]
INPUTS["sct.runtime.cho_read"] = [Case("cho_read(x, (x, False))", [((3, 3),)], imports=_CHR)]
INPUTS["sct.runtime.cho_read_adjoint"] = [Case("cho_read_adjoint(x, (x, True))", [((3, 3),)], imports=_CHR)]
_LSTSQ = "sol, res, rank, sv = np.linalg.lstsq(x, y, rcond=None)"
INPUTS["numpy.linalg.lstsq"] = [
    Case("sol", [((4, 2), (4,)), ((3, 3), (3, 2)), ((2, 3), (2,)), ((3, 1), (3, 2))], PAIR, setup=_LSTSQ),
    Case("sol * 2.0", [((1, 1), (1,)), ((2, 2), (2, 3))], PAIR, matrix="general", setup=_LSTSQ),
    Case("res", [((4, 2), (4,)), ((3, 2), (3, 2))], PAIR, setup=_LSTSQ),
    Case("sv * sol[0] + res[:1]", [((4, 2), (4,)), ((3, 1), (3, 2))], PAIR, setup=_LSTSQ),
    Case("np.linalg.lstsq(x, y)[0] * 2.0", [((3, 2), (3,))], PAIR)]
_LSR = RT + "full_rank, lstsq_residuals, lstsq_residuals_adjoint, residuals_back"
INPUTS["sct.runtime.full_rank"] = [Case("full_rank(x, 2)", [((3, 2),)], imports=_LSR)]
INPUTS["sct.runtime.lstsq_residuals"] = [Case("lstsq_residuals(x, np.ones(2))", [((2,),)], imports=_LSR),
                                         Case("lstsq_residuals(x, np.ones(0))", [((2,),)], imports=_LSR)]
INPUTS["sct.runtime.lstsq_residuals_adjoint"] = [
    Case("lstsq_residuals_adjoint(x, np.ones(2)) * np.ones((3, 1))", [((2,),)], imports=_LSR, modes=FWD)]
INPUTS["sct.runtime.residuals_back"] = [Case("residuals_back(x, np.ones(2), np.ones(2))", [((2,),)],
                                             imports=_LSR, modes=FWD)]
INPUTS["numpy.linalg.eigvalsh"] = [Case("np.linalg.eigvalsh(x)", SQUARE, matrix="spd"),
                                   Case("np.linalg.eigvalsh(x, UPLO='U')", [((3, 3),)], matrix="general")]
INPUTS["sct.runtime.distinct_eigenvalues"] = [
    Case("distinct_eigenvalues(x, np.array([-0.5, 0.0, 2.0]))", imports=RT + "distinct_eigenvalues")]
# adj(a) = det(a) inv(a), also at singular matrices (a column zeroed), and its derivatives along a direction
# (linear in it; a derivative through the fixed matrix is refused: adjugate's own second derivatives are
# det's third, see test_constant_arguments.py)
_FIXED = "np.array([[2.0, 0.3, -0.1], [0.2, 1.5, 0.4], [0.1, -0.3, 1.8]])"
INPUTS["sct.runtime.adjugate"] = [Case("adjugate(x)", SQUARE, matrix="general", imports=RT + "adjugate",
                                       second_order=False),
                                  Case("adjugate(x * np.array([1.0, 1.0, 0.0]))", [((3, 3),), ((2, 3, 3),)],
                                       matrix="general", imports=RT + "adjugate", second_order=False)]
INPUTS["sct.runtime.adjugate_tangent"] = [Case(f"adjugate_tangent({_FIXED}, x)", [((3, 3),), ((2, 3, 3),)],
                                               imports=RT + "adjugate_tangent")]
INPUTS["sct.runtime.adjugate_adjoint"] = [Case(f"adjugate_adjoint({_FIXED}, x)", [((3, 3),), ((2, 3, 3),)],
                                               imports=RT + "adjugate_adjoint")]
