"""How a primal call's arguments bind: to a rule's parameters (a :class:`~sct.rules.templates.CallSite`),
or to a user helper's, with what the helper's derivative must be told of them (the functions, containers
and items passed)."""
from __future__ import annotations

import ast
import dataclasses
from typing import Dict, List

from ..analysis.joined_parameters import element_written_parameters, joined_parameters
from ..frontend.calls import Operation
from ..frontend.resolver import Binding
from ..frontend.supported import check_parameters
from ..rules import registry
from ..rules.core import Rule
from ..rules.templates import CallSite


class CallBinding:
    """The argument binding of :class:`~sct.modes.program.Program` (its context, resolver, activity,
    containers, names and module)."""

    def _is_sequence(self, node: ast.expr) -> bool:
        if isinstance(node, (ast.List, ast.Tuple, ast.ListComp)):
            return True
        return isinstance(node, ast.Name) and node.id in self.sequences

    def call_site(self, rule: Rule, operation: Operation, targets: List[str], node: ast.AST) -> CallSite:
        """Bind the call's arguments to the rule's parameter names."""
        args = list(operation.args)
        if rule.refuses_sequences and any(self._is_sequence(a) for a in args):
            raise self.context.error(node, "`+` or `*` on a list or tuple joins or repeats it; sct would "
                                     "differentiate it as arithmetic", construct=ast.unparse(node),
                                     hint="join arrays with np.concatenate or np.stack, or build the list "
                                     "with append")
        if rule.packs_varargs and len(args) > 2:
            args = [args[0], ast.Tuple(elts=args[1:], ctx=ast.Load())]
        literal_list = bool(args) and isinstance(args[0], (ast.List, ast.Tuple))
        if rule.literal_list and literal_list:
            rule = registry.lookup(rule.literal_list)
        if len(rule.outputs) > 1 and len(targets) != len(rule.outputs):
            outputs = ", ".join(rule.outputs)
            raise self.context.error(node, f"'{operation.qualname}' returns {len(rule.outputs)} values "
                                     f"({outputs}): unpack them into as many names",
                                     hint=f"write `{outputs} = {ast.unparse(node)}`",
                                     construct=operation.qualname)
        keywords = {k.arg: k.value for k in operation.keywords}
        varargs: List[ast.expr] = []
        try:
            bound = rule.signature.bind(*args, **keywords)
        except TypeError as exc:
            raise self.context.error(node, f"unsupported arguments to '{operation.qualname}': {exc}",
                                     hint="pass the arguments the way numpy documents them") from None
        mapping = {}
        for name, value in bound.arguments.items():
            if rule.signature.parameters[name].kind == rule.signature.parameters[name].VAR_POSITIONAL:
                varargs = list(value)
            else:
                mapping[name] = value
        constant = [n for n in rule.extra.get("constant", ()) if n in mapping and self.is_active(mapping[n])]
        if constant:  # the rules give no derivative with respect to it
            hint = (f"pass {constant[0]} as a constant (not computed from the inputs differentiated)"
                    if not rule.user else "give that argument a derivative in the rules instead of declaring "
                    "it nondiff")
            raise self.context.error(node, f"the rules of '{operation.qualname}' declare its argument "
                                     f"{constant[0]} constant, but it changes with the differentiated input "
                                     "here", hint=hint)
        return CallSite(rule, targets, mapping, varargs, self.numpy, self.dot_of, self.bar_name,
                        self.dot_name, self.namer.temp, self.derivative_names)

    def helper_binding(self, operation: Operation, node: ast.AST) -> tuple:
        """(helper source, its parameters that are active here, parameter -> argument expression)."""
        helper = operation.helper()
        if any(self.is_active(v) for v in operation.args + [k.value for k in operation.keywords]):
            # an argument bound to *args or **kwargs would have no parameter to carry its derivative
            check_parameters(helper.node, helper.context)
        params = [a.arg for a in helper.node.args.args + helper.node.args.kwonlyargs]
        bound = dict(zip(params, operation.args))
        bound.update({k.arg: k.value for k in operation.keywords})
        joined = joined_parameters(helper.node, helper.resolver)
        passed = next((p for p in params if p in joined and p in bound and self.containers.holds(bound[p])
                       and self.is_active(bound[p])), None)
        if passed is not None:
            raise self.context.error(node, f"'{helper.name}' adds or multiplies its parameter '{passed}', "
                                     "and this call passes it a list or tuple: Python joins or repeats it "
                                     "there, which sct would differentiate as arithmetic",
                                     construct=ast.unparse(node),
                                     hint="pass an array (np.array or np.stack of the items), or join with "
                                     "np.concatenate in the helper")
        written = element_written_parameters(helper.node, helper.resolver)
        passed = next((p for p in params if p in written and p in bound and self.containers.holds(bound[p])
                       and self.is_active(bound[p])), None)
        if passed is not None:  # the helper's derivative holds its parameter's adjoint as one array
            raise self.context.error(node, f"'{helper.name}' writes an element of its parameter '{passed}', "
                                     "and this call passes it a list or tuple: an element written with "
                                     "another shape would spread its derivative over a whole row",
                                     construct=ast.unparse(node),
                                     hint=f"copy the items into a new list in the helper ({passed}_items = "
                                     f"list({passed})) and write into that")
        helper = self.module.specialise(helper, self._functions_passed(bound))
        wrt = tuple(name for name in params if name in bound and self.is_active(bound[name]))
        # the helper cannot tell a parameter given a list, tuple or dict from one given an array: told so,
        # it makes that parameter's adjoint and tangent item by item (its items may not stack)
        containers = tuple(name for name in params if name in bound and self.containers.holds(bound[name]))
        if containers:
            helper = dataclasses.replace(helper, extra={**helper.extra, "containers": containers})
        # ... and an item of one may be a container or an array: its adjoint starts as zeros_items
        items = tuple(name for name in wrt
                      if name not in containers and self.containers.holds_item(bound[name]))
        if items:
            helper = dataclasses.replace(helper, extra={**helper.extra, "container items": items})
        return helper, wrt, bound

    def _functions_passed(self, bound: Dict[str, ast.expr]) -> Dict[str, Binding]:
        """Parameter -> what the argument names, for the arguments of a helper call that name functions
        (a global function, or a parameter of this function bound to one)."""
        found = {}
        for param, value in bound.items():
            named = isinstance(value, (ast.Name, ast.Attribute))
            binding = self.resolver.qualname_of(value) if named else None
            if binding is not None and binding.kind in ("function", "helper", "opaque"):
                found[param] = binding
        return found
