"""Indexing, reductions, shapes and rearrangements, splits, scans, ``np.select``, ``np.gradient`` and the
helpers their derivatives call."""
from __future__ import annotations

from typing import Dict, List

from rule_inputs.cases import ARRAY, BINARY, FWD, PAIR, REDUCED, RT, SCALAR, UNARY, Case, binary, extend

INPUTS: Dict[str, List[Case]] = {}
INPUTS["op.Subscript"] = [Case("x[0]", ARRAY), Case("x[1:]", ARRAY[1:]), Case("x[::-1]", ARRAY),
                          Case("x[[0, 0, 2]]", [((3,),)]), Case("x[:, 0]", [((2, 3),)]),
                          Case("x[1, 1:]", [((2, 3),)]), Case("x[x > 0]", ARRAY, ("nonzero",))]
for _name in ("sum", "mean", "prod", "max", "min", "amax", "amin"):
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x)", UNARY), Case(f"np.{_name}(x, axis=0)", REDUCED),
                                Case(f"np.{_name}(x, axis=-1, keepdims=True)", REDUCED)]
for _name in ("sum", "mean", "prod", "max", "min"):
    INPUTS[f"method.{_name}"] = [Case(f"x.{_name}()", ARRAY), Case(f"x.{_name}(axis=0)", REDUCED)]
for _name in ("std", "var"):
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x)", [((3,),), ((2, 3),)]),
                                Case(f"np.{_name}(x, axis=0, ddof=1)", [((2, 3),)])]
    INPUTS[f"method.{_name}"] = [Case(f"x.{_name}(axis=1)", [((2, 3),)])]
INPUTS["numpy.cumsum"] = [Case("np.cumsum(x)", ARRAY), Case("np.cumsum(x, axis=1)", [((2, 3),)])]
INPUTS["method.cumsum"] = [Case("x.cumsum(axis=0)", REDUCED)]
INPUTS["numpy.resize"] = [Case("np.resize(x, (2, 5))", UNARY), Case("np.resize(x, 2)", [((3,),), ((2, 3),)])]
INPUTS["numpy.insert"] = [Case("np.insert(x, 1, y)", [((3,), ()), ((3,), (2,)), ((2, 3), (1,))], PAIR),
                          Case("np.insert(x, [0, 2], y, axis=1)", [((2, 3), (2,)), ((2, 3), (2, 1))], PAIR),
                          Case("np.insert(x, -1, y, axis=0)", [((2, 3), (3,)), ((2, 3), (2, 3))], PAIR)]
for _name in ("maximum", "minimum"):
    INPUTS[f"numpy.{_name}.accumulate"] = [Case(f"np.{_name}.accumulate(x)", ARRAY),
                                           Case(f"np.{_name}.accumulate(x, axis=1)", [((2, 3),)]),
                                           Case(f"np.{_name}.accumulate(x, -1)", [((2, 1, 3),)])]

INPUTS["numpy.reshape"] = [Case("np.reshape(x, (-1,))", ARRAY), Case("np.reshape(x, (3, 2))", [((2, 3),)])]
INPUTS["method.reshape"] = [Case("x.reshape(-1)", ARRAY), Case("x.reshape(3, 2)", [((2, 3),)])]
INPUTS["numpy.ravel"] = [Case("np.ravel(x)", UNARY)]
INPUTS["method.ravel"] = [Case("x.ravel()", ARRAY)]
INPUTS["method.flatten"] = [Case("x.flatten()", ARRAY)]
INPUTS["numpy.squeeze"] = [Case("np.squeeze(x)", [((1,),), ((1, 3),)])]
INPUTS["method.squeeze"] = [Case("x.squeeze()", [((1, 3),)])]
INPUTS["numpy.expand_dims"] = [Case("np.expand_dims(x, 0)", ARRAY), Case("np.expand_dims(x, -1)", ARRAY)]
INPUTS["numpy.atleast_1d"] = [Case("np.atleast_1d(x)", UNARY)]
INPUTS["numpy.atleast_2d"] = [Case("np.atleast_2d(x)", UNARY)]
INPUTS["numpy.atleast_3d"] = [Case("np.atleast_3d(x)", UNARY)]
INPUTS["numpy.broadcast_to"] = [Case("np.broadcast_to(x, (2, 3))", [((),), ((3,),), ((1, 3),)])]
INPUTS["numpy.transpose"] = [Case("np.transpose(x)", ARRAY), Case("np.transpose(x, (1, 0))", [((2, 3),)])]
INPUTS["method.transpose"] = [Case("x.transpose()", [((2, 3),)])]
INPUTS["attr.T"] = [Case("x.T", ARRAY)]
INPUTS["attr.mT"] = [Case("x.mT", [((2, 3),), ((2, 2, 3),)])]
INPUTS["attr.real"] = [Case("x.real", UNARY[1:])]
INPUTS["numpy.swapaxes"] = [Case("np.swapaxes(x, 0, 1)", [((2, 3),)])]
INPUTS["method.swapaxes"] = [Case("x.swapaxes(0, 1)", [((2, 3),)])]
INPUTS["numpy.moveaxis"] = [Case("np.moveaxis(x, 0, -1)", [((2, 3),), ((2, 1, 3),)])]
INPUTS["numpy.flip"] = [Case("np.flip(x)", ARRAY), Case("np.flip(x, 1)", [((2, 3),)])]
INPUTS["numpy.concatenate"] = [Case("np.concatenate([x, y])", [((1,), (3,)), ((2, 3), (1, 3))],
                                    ("real", "real")),
                               Case("np.concatenate((x, y), axis=1)", [((2, 3), (2, 1))], ("real", "real"))]
INPUTS["numpy.stack"] = [Case("np.stack([x, y])", BINARY[:4], ("real", "real")),
                         Case("np.stack([x, y], axis=-1)", [((2, 3), (2, 3))], ("real", "real"))]
INPUTS["numpy.diag"] = [Case("np.diag(x)", [((3,),), ((2, 2),), ((2, 3),)]),
                        Case("np.diag(x, 1)", [((3,),), ((3, 3),)])]
INPUTS["numpy.diagonal"] = [Case("np.diagonal(x)", [((2, 3),), ((3, 3),)])]
INPUTS["method.diagonal"] = [Case("x.diagonal()", [((2, 3),)])]
INPUTS["numpy.trace"] = [Case("np.trace(x)", [((2, 3),), ((3, 3),), ((2, 3, 3),)]),
                        Case("np.trace(x, 1)", [((3, 3),)]),
                        Case("np.trace(x, axis1=1, axis2=2)", [((2, 3, 3),)])]
INPUTS["method.trace"] = [Case("x.trace()", [((3, 3),)])]
INPUTS["numpy.tril"] = [Case("np.tril(x)", [((2, 3),), ((3, 3),)]), Case("np.tril(x, -1)", [((3, 3),)])]
INPUTS["numpy.triu"] = [Case("np.triu(x)", [((2, 3),), ((3, 3),)]), Case("np.triu(x, 1)", [((3, 3),)])]
INPUTS["method.copy"] = [Case("x.copy()", ARRAY)]
INPUTS["method.astype"] = [Case("x.astype(float)", ARRAY)]
# More arguments, axes and shapes per rule: N-d batches, tuples of axes, keyword spellings.
_MORE: Dict[str, List[Case]] = {
    "op.Subscript": [Case("x[-1]", ARRAY), Case("x[..., 0]", [((2, 3),)]), Case("x[None, :]", [((3,),)]),
                     Case("x[:, [0, 2]]", [((2, 3),)]), Case("x[[0, 1], [1, 2]]", [((2, 3),)]),
                     # views of every element: the adjoint is z_bar reshaped, summed first where broadcast
                     Case("x[None, ...]", ARRAY), Case("x[None]", ARRAY), Case("x[...]", [((2, 1),)]),
                     Case("x[:, None]", ARRAY), Case("x[None, :, None]", ARRAY), Case("x[:, :]", [((2, 3),)]),
                     Case("x[:, None] * y", [((3,), (3, 2)), ((1,), (2, 3)), ((2, 1), (2, 4, 1))], PAIR),
                     Case("x[None, ...] - y[:, None]", [((3,), (2, 3)), ((1, 3), (1, 1))], PAIR),
                     Case("x[None] + x[:, None] + x[0]", [((3,),), ((1,),)]),
                     Case("v[None, :] * x[0]", [((3,),)], setup="v = x * 1.0; v[1] = x[2] ** 2")],
    "numpy.concatenate": [Case("np.concatenate([x, y], axis=None)", [((2, 3), (3,))], PAIR),
                          Case("np.concatenate([x, y, x], axis=-1)", [((2, 3), (2, 1))], PAIR)],
    "numpy.stack": [Case("np.stack([x, y, x], axis=1)", [((3,), (3,)), ((2, 3), (2, 3))], PAIR)],
    "numpy.cumsum": [Case("np.cumsum(x)", [((2, 3),)]), Case("np.cumsum(x, axis=-1)", [((2, 3),)])],
    "numpy.std": [Case("np.std(x, axis=(0, 1))", [((2, 3),)]),
                  Case("np.std(x, axis=1, keepdims=True)", [((2, 3),)])],
    "numpy.var": [Case("np.var(x, axis=-1, keepdims=True)", [((2, 3),)])],
    "numpy.sum": [Case("np.sum(x, axis=(0, 1))", [((2, 3),)]),
                  Case("np.sum(x, axis=(0,), keepdims=True)", [((2, 3),)])],
    "numpy.mean": [Case("np.mean(x, axis=(0, 1), keepdims=True)", [((2, 3),)])],
    "numpy.prod": [Case("np.prod(x, axis=(0, 1))", [((2, 3),)]),
                   Case("np.prod(x, axis=1)", [((2, 3),)], ("nonzero",))],
    "numpy.max": [Case("np.max(x, axis=(0, 1))", [((2, 3),)]),
                  Case("np.max(x, axis=1, keepdims=True)", [((2, 3),)])],
    "numpy.transpose": [Case("np.transpose(x, (2, 0, 1))", [((2, 1, 3),)]),
                        Case("np.transpose(x, axes=[1, 0])", [((2, 3),)])],
    "numpy.moveaxis": [Case("np.moveaxis(x, [0, 1], [1, 0])", [((2, 3),)])],
    "numpy.diag": [Case("np.diag(x, -1)", [((3,),), ((3, 3),)]), Case("np.diag(x)", [((1,),)])],
    "numpy.tril": [Case("np.tril(x)", [((2, 3, 3),)])],
    "numpy.triu": [Case("np.triu(x, -1)", [((2, 3, 3),)])],
    "numpy.atleast_2d": [Case("np.atleast_2d(x)", [((2, 3),)])],
    "numpy.broadcast_to": [Case("np.broadcast_to(x, (2, 2, 3))", [((1, 3),), ((2, 1, 3),)])],
    "numpy.expand_dims": [Case("np.expand_dims(x, (0, 2))", [((3,),)])],
    "numpy.squeeze": [Case("np.squeeze(x, axis=0)", [((1, 3),)])],
    "numpy.reshape": [Case("np.reshape(x, (3, -1))", [((2, 3),)]), Case("np.reshape(x, ())", [((1,),)])],
    "method.reshape": [Case("x.reshape((1, 3))", [((3,),)])],
    "numpy.flip": [Case("np.flip(x, (0, 1))", [((2, 3),)])],
    "numpy.diagonal": [Case("np.diagonal(x, 1)", [((3, 3),)]),
                       Case("np.diagonal(x, axis1=1, axis2=2)", [((2, 3, 3),)])],
    "method.sum": [Case("x.sum(axis=1, keepdims=True)", [((2, 3),)])],
    "method.mean": [Case("x.mean(axis=(0, 1))", [((2, 3),)])],
    "method.max": [Case("x.max(axis=1)", [((2, 3),)])],
    "method.transpose": [Case("x.transpose(1, 0)", [((2, 3),)]), Case("x.transpose((1, 0))", [((2, 3),)])],
    "method.diagonal": [Case("x.diagonal(1)", [((3, 3),)])],
    "method.astype": [Case("x.astype(np.float64)", ARRAY)],
    "attr.T": [Case("x.T", [((2, 1, 3),)])],
}
extend(INPUTS, _MORE)
# Rearrangements, np.diff and elementwise functions (sct/rules/manipulation_rules.py). Sorts are walked at
# distinct values: at ties their derivative is one of the one-sided ones.
_M = "from sct.runtime import "
_MANIPULATION = {
    "numpy.repeat": [Case("np.repeat(x, 2)", UNARY), Case("np.repeat(x, [1, 0, 2], axis=1)", [((2, 3),)]),
                     Case("np.repeat(x, 2, axis=-2)", [((2, 3),)])],
    "method.repeat": [Case("x.repeat(3)", ARRAY), Case("x.repeat(2, axis=0)", [((2, 3),)])],
    "numpy.tile": [Case("np.tile(x, 2)", UNARY), Case("np.tile(x, (2, 1, 2))", [((3,),), ((2, 3),)])],
    "numpy.roll": [Case("np.roll(x, 1)", ARRAY), Case("np.roll(x, -1, axis=1)", [((2, 3),)]),
                   Case("np.roll(x, (1, 2), axis=(0, 1))", [((2, 3),)])],
    "numpy.rot90": [Case("np.rot90(x)", [((2, 3),)]), Case("np.rot90(x, 3, axes=(1, 2))", [((2, 1, 3),)]),
                    Case("np.rot90(x, k=2)", [((2, 3),)])],
    "numpy.pad": [Case("np.pad(x, 1)", ARRAY), Case("np.pad(x, ((0, 1), (2, 0)), constant_values=1.5)",
                                                    [((2, 3),)]),
                  Case("np.pad(x, 2, constant_values=y)", [((3,), ()), ((2, 3), ())], PAIR),
                  Case("np.pad(x, (1, 2), mode='edge')", ARRAY),
                  Case("np.pad(x, 1, mode='reflect')", [((3,),), ((2, 3),)]),
                  Case("np.pad(x, (2, 1), 'symmetric')", [((3,),)]),
                  Case("np.pad(x, 2, mode='wrap')", [((2, 3),)])],
    "numpy.sort": [Case("np.sort(x)", ARRAY), Case("np.sort(x, axis=0)", [((2, 3),)]),
                   Case("np.sort(x, axis=None)", [((2, 3),)])],
    "numpy.partition": [Case("np.partition(x, 1)", [((3,),), ((2, 3),)]),
                        Case("np.partition(x, 0, axis=0)", [((2, 3),)])],
    "numpy.diff": [Case("np.diff(x)", ARRAY), Case("np.diff(x, axis=0)", [((2, 3),)]),
                   Case("np.diff(x, n=2)", [((3,),), ((2, 3),)])],
    "numpy.conj": [Case("np.conj(x)", UNARY)],
    "numpy.conjugate": [Case("np.conjugate(x)", UNARY)],
    "method.conj": [Case("x.conj()", ARRAY)],
    "method.conjugate": [Case("x.conjugate()", ARRAY)],
    "numpy.real_if_close": [Case("np.real_if_close(x)", UNARY)],
    "numpy.logaddexp2": binary("np.logaddexp2(x, y)", analytic=False),
    "numpy.nan_to_num": [Case("np.nan_to_num(x)", UNARY)],
    "sct.runtime.gather": [Case("gather(x, np.array([[2, 0], [-1, 2]]), np.ones(3))", [((3,),)],
                                imports=_M + "gather")],
    "sct.runtime.gather_adjoint": [Case("gather_adjoint(x, np.array([2, 0, -1, 2]), np.ones((1, 3)))",
                                        [((4,),)], imports=_M + "gather_adjoint")],
    "sct.runtime.pad_fill": [Case("pad_fill(x, np.array([-1, 0, -1]))", SCALAR, imports=_M + "pad_fill")],
    "sct.runtime.pad_fill_adjoint": [Case("pad_fill_adjoint(x, np.array([[-1, 0, -1]]))", [((1, 3),)],
                                          imports=_M + "pad_fill_adjoint")],
    "sct.runtime.diff_along": [Case("diff_along(x, np.ones((2, 3)), n=2)", [((2, 3),)],
                                    imports=_M + "diff_along")],
    "sct.runtime.diff_adjoint": [Case("diff_adjoint(x, np.ones((2, 3)), axis=0)", [((1, 3),)],
                                      imports=_M + "diff_adjoint")],
    "sct.runtime.cross_padded": [Case("cross_padded(x, 2)", [((2,),), ((3, 2),)],
                                      imports=_M + "cross_padded"),
                                 Case("cross_padded(x, 3)", [((3,),)], imports=_M + "cross_padded")],
    "sct.runtime.cross_cotangent": [Case("cross_cotangent(x, (2,), (4, 2))", [((4,),)],
                                         imports=_M + "cross_cotangent"),
                                    Case("cross_cotangent(x, (2,), (3,))", [((3,),)],
                                         imports=_M + "cross_cotangent")],
    "sct.runtime.cross_part": [Case("cross_part(x, 2)", [((3,),), ((2, 3),)], imports=_M + "cross_part")],
    "sct.runtime.cross_cotangent_adjoint": [Case("cross_cotangent_adjoint(x, (2,), (4, 2))", [((4, 3),)],
                                                 imports=_M + "cross_cotangent_adjoint"),
                                            Case("cross_cotangent_adjoint(x, (3,), (2,))", [((3,),)],
                                                 imports=_M + "cross_cotangent_adjoint")],
}
INPUTS.update(_MANIPULATION)
INPUTS["numpy.rollaxis"] = [Case("np.rollaxis(x, 1)", [((2, 3),)]),
                            Case("np.rollaxis(x, 2, start=1)", [((2, 1, 3),)]),
                            Case("np.rollaxis(x, 0, 3)", [((2, 1, 3),)])]
INPUTS["numpy.cross"] = [Case("np.cross(x, y)", [((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3)), ((2,), (2,)),
                                                  ((4, 2), (2,)), ((2,), (3,)), ((3, 3), (2,))], PAIR)]
_KNOTS = "np.array([-2.0, -0.5, 0.3, 1.0, 2.5]), np.array([1.0, 2.0, -1.0, 0.5, 0.0])"
INPUTS["numpy.interp"] = [Case(f"np.interp(x, {_KNOTS})", UNARY),  # no point at a knot: a kink there
                          Case("np.interp(x, [-1.0, 1.0], [2.0, -1.0], left=0.5, right=3.0)", UNARY)]
# Round two of numpy and scipy (sct/rules/splitting_rules.py, products_rules.py, ...): every output used,
# some only, by unpacking, by index and by iteration; size-1 axes; unsorted (overlapping) split points
_SPLIT = "a, b = np.split(x, 2)"
INPUTS["numpy.split"] = [
    Case("a * b[::-1] + a", [((2,),), ((4,),), ((2, 3),), ((2, 1),)], setup=_SPLIT),
    Case("np.sin(b)", [((4,),), ((2, 3),)], setup=_SPLIT),
    Case("a * c[..., :1]", [((1, 4),), ((3, 4),)], setup="a, b, c = np.split(x, [1, 3], axis=-1)"),
    Case("a ** 2 + c[:3]", [((5,),), ((5, 2),)], setup="a, b, c = np.split(x, [3, 1])"),
    Case("np.split(x, 3, axis=1)[2] * np.split(x, 3, axis=1)[0]", [((2, 3),), ((1, 6),)])]
INPUTS["numpy.array_split"] = [
    Case("a * c[:1] + b[-1] ** 2", [((5,),), ((4, 2),), ((3,),)], setup="a, b, c = np.array_split(x, 3)"),
    Case("r * x", [((4,),), ((2, 3),)],
         setup="r = sum(np.sum(p ** 2) for p in np.array_split(x, 3, axis=-1))"),
    Case("np.cos(np.array_split(x, 2, axis=0)[1])", [((3, 2),), ((1, 2),)])]
INPUTS["sct.runtime.split_adjoint"] = [
    Case("split_adjoint([x, y], np.ones((5, 2)), [2])", [((2, 2), (3, 2))], PAIR,
         imports=RT + "split_adjoint"),
    Case("split_adjoint([x, y], np.ones((2, 3)), [1], axis=1)", [((2, 1), (2, 2))], PAIR,
         imports=RT + "split_adjoint")]
INPUTS["numpy.cumprod"] = [
    Case("np.cumprod(x)", UNARY + [((2, 1, 2),)]),
    Case("np.cumprod(x, axis=1)", [((2, 3),), ((1, 4),), ((2, 1),)]),
    Case("np.cumprod(x, -2)", [((3, 2),), ((2, 3, 2),)], ("positive",)),
    Case("np.cumprod(x * (x > 0.5), axis=-1)", [((6,),), ((2, 4),)])]  # zeros inside the scan
INPUTS["method.cumprod"] = [Case("x.cumprod(axis=0)", [((3,),), ((3, 2),)])]
_PR = RT + "along_last, from_last"
INPUTS["sct.runtime.along_last"] = [Case("along_last(x, 0)", [((2, 3),)], imports=_PR),
                                    Case("along_last(x)", [((2, 3),)], imports=_PR)]
INPUTS["sct.runtime.from_last"] = [Case("from_last(x, np.ones((3, 2)), 0)", [((2, 3),)], imports=_PR),
                                   Case("from_last(x, np.ones((3, 2)))", [((6,),)], imports=_PR)]
INPUTS["numpy.select"] = [
    Case("np.select([x > 0.5, x < -1.0], [x * 2.0, np.sin(x)], default=x ** 2)"),
    Case("np.select([x > 0.1], [y], x)", [((), ()), ((3,), (3,)), ((2, 3), (1, 3)), ((1, 3), (2, 1))], PAIR),
    Case("np.select([x > 0.5, x > 0.1], [x, 3.0])", ARRAY),
    Case("np.select([y > 0.5, y < -1.0], [1.0, x], x * y)", [((3,), (3,)), ((), (2, 3))], PAIR)]
_SEL = RT + "select_tangent, select_adjoint, select_default_adjoint"
INPUTS["sct.runtime.select_tangent"] = [
    Case("select_tangent([x > 0.1, x < -1.0], [x, y], x * y, x)", [((3,), (3,)), ((2, 3), (1, 3))], PAIR,
         imports=_SEL),
    Case("select_tangent([x > 0.1], 0.0, y, x)", [((3,), (3,))], PAIR, imports=_SEL)]
INPUTS["sct.runtime.select_adjoint"] = [Case("select_adjoint(x, [x > 0.1, x < -1.0], [np.ones(3), 1.0])[1]",
                                             [((3,),), ((2, 3),)], modes=FWD, imports=_SEL)]
INPUTS["sct.runtime.select_default_adjoint"] = [Case("select_default_adjoint(x, [x > 0.1], np.ones(3))",
                                                     [((3,),), ((2, 3),)], modes=FWD, imports=_SEL)]
INPUTS["numpy.gradient"] = [
    Case("np.gradient(x)", [((2,),), ((3,),), ((5,),)]),
    Case("np.gradient(x, 0.5, edge_order=2)", [((3,),), ((5,),)]),
    Case("np.gradient(x, axis=1)", [((2, 3),), ((1, 4),)]),
    Case("np.gradient(x, np.array([0.0, 0.5, 1.5, 1.75]), axis=0, edge_order=2)", [((4,),), ((4, 2),)]),
    Case("np.gradient(x, -0.3, axis=-1, edge_order=1) * x", [((3, 3),)]),
    Case("gy", [((3, 2),), ((3, 3),)], setup="gx, gy = [np.gradient(x, 0.5, axis=k) for k in range(2)]")]
_GR = RT + "gradient_along, gradient_adjoint"
INPUTS["sct.runtime.gradient_along"] = [Case("gradient_along(x, 0.2, axis=0, edge_order=2)", [((4, 2),)],
                                             imports=_GR)]
INPUTS["sct.runtime.gradient_adjoint"] = [Case("gradient_adjoint(x, np.ones((3, 4)), axis=1)", [((3, 4),)],
                                               imports=_GR)]
INPUTS["numpy.polyval"] = [Case("np.polyval(x, y)", [((3,), ()), ((1,), (3,)), ((3,), (2, 3)), ((2,), (1,))],
                                ("real", "real")),
                           Case("np.polyval([1.5, -2.0, 0.5], x)"), Case("np.polyval(x, 0.0)", ARRAY[:2])]
