"""scipy.special: ``logsumexp`` in every form, and special_rules.py."""
from __future__ import annotations

from typing import Dict, List

from rule_inputs.cases import ARRAY, BINARY, LSE, REDUCED, RT, UNARY, Case, extend

INPUTS: Dict[str, List[Case]] = {}
INPUTS["scipy.special.logsumexp"] = [Case("logsumexp(x)", UNARY, imports=LSE),
                                     Case("logsumexp(x, axis=0)", REDUCED, imports=LSE)]
INPUTS["scipy.special._logsumexp.logsumexp"] = [
    Case("logsumexp(x, axis=-1, keepdims=True)", REDUCED,
         imports="from scipy.special._logsumexp import logsumexp")]
# More arguments, axes and shapes per rule: N-d batches, tuples of axes, keyword spellings.
_MORE: Dict[str, List[Case]] = {
    "scipy.special.logsumexp": [Case("logsumexp(x, b=y)", [((3,), (3,)), ((2, 3), (3,))],
                                     ("real", "positive"), imports=LSE),
                                Case("logsumexp(x, axis=(0, 1))", [((2, 3),)], imports=LSE)],
}
extend(INPUTS, _MORE)
# scipy.special (special_rules.py)
_SP = "from scipy import special\nfrom scipy.special import _logsumexp"
_SPECIAL_CASES = {
    "erf": [Case("special.erf(x)", UNARY, analytic=True)],
    "erfc": [Case("special.erfc(x)", UNARY, analytic=True)],
    "expit": [Case("special.expit(x)", UNARY)],
    "logit": [Case("special.logit(0.4 * x + 0.5)", UNARY, ("unit",))],
    "xlogy": [Case("special.xlogy(x, y)", BINARY, ("real", "positive"))],
    "xlog1py": [Case("special.xlog1py(x, y)", BINARY, ("real", "positive"))],
    "gammaln": [Case("special.gammaln(x)", UNARY, ("positive",)),
                Case("special.gammaln(x - 2.55)", [((3,),)], ("unit",))],
    "digamma": [Case("special.digamma(x)", UNARY, ("positive",))],
    "betaln": [Case("special.betaln(x, y)", BINARY, ("positive", "positive")),
               Case("special.betaln(x - 2.55, 2.0 * y + x)", [((3,), (3,)), ((2, 3), (1, 3))],
                    ("unit", "positive"))],
    "ndtr": [Case("special.ndtr(x)", UNARY), Case("special.ndtr(3.0 * x)", [((3,),)], ("nonzero",))],
    "log_ndtr": [Case("special.log_ndtr(x)", UNARY),
                 Case("special.log_ndtr(8.0 * x)", [((3,),)], ("nonzero",)),
                 Case("special.log_ndtr(x - 150.0)", [((3,),)])],  # Mills' ratio
    "log_expit": [Case("special.log_expit(x)", UNARY),
                  Case("special.log_expit(20.0 * x)", [((3,),)], ("nonzero",))],
    "i0": [Case("special.i0(x)", UNARY), Case("special.i0(30.0 * x)", [((3,),)], ("nonzero",))],
    "i1": [Case("special.i1(x)", UNARY), Case("special.i1(30.0 * x)", [((3,),)], ("nonzero",))],
    # exp(-|x|) has a kink at 0: nonzero points
    "i0e": [Case("special.i0e(x)", UNARY, ("nonzero",)),
            Case("special.i0e(30.0 * x)", [((3,),)], ("nonzero",))],
    "i1e": [Case("special.i1e(x)", UNARY, ("nonzero",)),
            Case("special.i1e(30.0 * x)", [((3,),)], ("nonzero",))],
    "psi": [Case("special.psi(x - 2.55)", UNARY, ("unit",))],
    "polygamma": [Case("special.polygamma(2, x)", UNARY, ("positive",))],
    "softmax": [Case("special.softmax(x)", ARRAY), Case("special.softmax(x, axis=1)", [((2, 3),)])],
    "_logsumexp.softmax": [Case("_logsumexp.softmax(x, axis=0)", [((2, 3),)])],
    "log_softmax": [Case("special.log_softmax(x)", ARRAY),
                    Case("special.log_softmax(x, axis=-1)", [((2, 3),)])],
    "_logsumexp.log_softmax": [Case("_logsumexp.log_softmax(x, axis=0)", [((2, 3),)])],
}
for _name, _cases in _SPECIAL_CASES.items():
    INPUTS["scipy.special." + _name] = [Case(c.expr, c.shapes, c.domains, c.analytic, imports=_SP)
                                        for c in _cases]
INPUTS["numpy.i0"] = [Case("np.i0(x)", UNARY)]
INPUTS["sct.runtime.bessel_ie"] = [Case("bessel_ie(0, x) + bessel_ie(3, x)", UNARY, ("nonzero",),
                                        imports=RT + "bessel_ie")]
INPUTS["sct.runtime.polygamma"] = [Case("polygamma(1, x)", UNARY, ("positive",), imports=RT + "polygamma")]
_SIGNED = "v, s = logsumexp(x, b=y, return_sign=True)"
INPUTS["scipy.special.logsumexp:signed"] = [
    Case("v", [((3,), (3,)), ((2, 3), (2, 3)), ((1,), (1,))], ("real", "nonzero"), setup=_SIGNED,
         imports=LSE),
    Case("v * s + x", [((2, 3), (3,)), ((2, 1), (2, 3))], ("real", "nonzero"), imports=LSE,
         setup="v, s = logsumexp(x, axis=-1, b=y, keepdims=True, return_sign=True)"),
    Case("logsumexp(x, axis=0, return_sign=True)[0]", [((3,),), ((2, 3),)], imports=LSE)]
INPUTS["scipy.special.logsumexp"] = INPUTS["scipy.special.logsumexp"] + [  # a broadcast against b
    Case("logsumexp(x, axis=-1, b=y)", [((2, 1), (2, 3))], ("real", "positive"), imports=LSE)]
INPUTS["scipy.special._logsumexp.logsumexp:signed"] = [
    Case("logsumexp(x, b=-1.0, return_sign=True)[0]", [((3,),)],
         imports="from scipy.special._logsumexp import logsumexp")]
