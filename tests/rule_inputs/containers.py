"""Python containers: list, tuple, sorted, max/min of one sequence, and the helpers their derivatives
call."""
from __future__ import annotations

from typing import Dict, List

from rule_inputs.cases import ARRAY, FWD, RT, UNARY, Case

INPUTS: Dict[str, List[Case]] = {}
# Python containers: list, tuple, sorted, max/min of one sequence, and the helpers their derivatives call
_C3 = "[x[0], x[1] * 2, x[2] - 1]"  # distinct values at the points of "real": (0.0, -1.4, 0.1)
INPUTS["builtins.list"] = [Case("np.stack(list(x))", ARRAY), Case("np.stack(list([x, 2 * x]))", UNARY)]
INPUTS["builtins.tuple"] = [Case("np.stack(tuple(x))", ARRAY), Case("np.stack(tuple([x, np.sin(x)]))", UNARY)]
INPUTS["builtins.sorted"] = [Case(f"np.array(sorted({_C3}))", [((3,),)]),
                             Case("np.array(sorted(x))", [((3,),)]),
                             Case(f"np.array(sorted({_C3}, reverse=True))", [((3,),)]),
                             Case(f"np.array(sorted({_C3}, key=abs))", [((3,),)])]
INPUTS["builtins.max.items"] = [Case(f"max({_C3})", [((3,),)]), Case("max(x)", [((3,),)]),
                                Case(f"max({_C3}, key=abs)", [((3,),)]),
                                Case("max(list(np.sin(x)))", [((3,),)])]
INPUTS["builtins.min.items"] = [Case(f"min({_C3})", [((3,),)]), Case("min(x)", [((3,),)])]
INPUTS["sct.runtime.items_adjoint"] = [Case("items_adjoint([x[0], x[1]], np.ones(2))", [((2,),)], modes=FWD,
                                            imports=RT + "items_adjoint")]
INPUTS["sct.runtime.permute"] = [Case("np.stack(permute(x, [2, 0, 1], np.ones(3)))", [((3,),), ((3, 2),)],
                                      modes=FWD, imports=RT + "permute")]
INPUTS["sct.runtime.unpermute"] = [Case("unpermute([x[0], x[1], x[2]], [2, 0, 1], np.ones(3))", [((3,),)],
                                        modes=FWD, imports=RT + "unpermute")]
INPUTS["sct.runtime.item_adjoint"] = [Case("item_adjoint(x, np.ones(3), 1)", [((),)], modes=FWD,
                                           imports=RT + "item_adjoint"),
                                      Case("np.stack(item_adjoint(x, [1.0, 2.0], 0))", [((),)], modes=FWD,
                                           imports=RT + "item_adjoint")]
INPUTS["sct.runtime.add_items"] = [Case("np.stack(add_items([x, 2 * x, 3 * x], slice(1, None), [x * x, x]))",
                                        UNARY, modes=FWD, imports=RT + "add_items"),
                                   Case("add_items({'a': x, 'b': x}, 'a', np.sin(x))['a']", UNARY, modes=FWD,
                                        imports=RT + "add_items")]
INPUTS["sct.runtime.dict_set"] = [Case("dict_set({'a': x, 'b': 2 * x}, 'a', np.sin(x))['a'] * "
                                       "dict_set({'a': x, 'b': x}, 'b', x * x)['b']", UNARY,
                                       imports=RT + "dict_set"),
                                  Case("dict_set({'a': x}, 'c', np.sin(x))['c'] + "
                                       "dict_set({'a': 1.0}, 'b', x)['b']", UNARY, imports=RT + "dict_set")]
INPUTS["sct.runtime.dict_set_adjoint"] = [Case("dict_set_adjoint({'a': x, 'b': 2 * x}, 'a', {'a': 1.0})['b']",
                                               UNARY, modes=FWD, imports=RT + "dict_set_adjoint")]
