"""Shared state of one transformation: the function being differentiated, names, activity, rule lookup."""
from __future__ import annotations

import ast
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Set, Tuple

from ..analysis.containers import ContainerNames
from ..analysis.joined_parameters import element_written_parameters, joined_parameters
from ..analysis.written_dtype import FLOAT
from ..errors import SCTError
from ..frontend.calls import Operation, operation_of
from ..frontend.names import Namer
from ..frontend.resolver import Binding, rebound
from ..frontend.source import FunctionSource, rule_libraries
from ..frontend.supported import check_parameters
from ..ir.astutil import clone
from ..ir.builders import attribute, call, load
from ..rules import registry
from ..rules.core import Rule
from ..rules.structural_rules import RuleError
from ..rules.templates import CallSite, carrying, zero
from .guards import ExactZeros
from .halves import call_halves

LOCAL_CALL = "call of a parameter or local variable"  # the refusal that a function argument may lift


class Program:
    """A function prepared for one mode: what the passes of :func:`sct.pipeline.derive` made of it (the
    normalized ``func``, its activity) and the names and rules its transformation uses."""

    def __init__(self, source: FunctionSource, wrt: Tuple[str, ...], mode: str, module: "ModuleBuilder",
                 namer: Namer, func: ast.FunctionDef, sequences: Set[str], varied: Set[str], active: Set[str],
                 written: Dict[str, str]):
        self.source = source
        self.context = source.context
        self.resolver = source.resolver
        self.mode = mode
        self.module = module
        self.params = [a.arg for a in source.node.args.args + source.node.args.kwonlyargs]
        self.wrt = wrt
        self.namer = namer
        self.func = func
        self.sequences = sequences
        self.varied = varied
        self.active = active
        self.written = written
        self.numpy = module.numpy_alias
        self._dots: Dict[str, str] = {}
        self._bars: Dict[str, str] = {}
        self.derivative_names: Set[str] = set()  # every tangent and adjoint name made: never told by suffix
        self.exact_zeros = ExactZeros(self)  # which derivative terms need guarded_term
        told = source.extra.get("container items", ())  # parameters given a container or an array
        self.containers = ContainerNames(func, sequences, self.operation, told)  # which names hold containers

    def dot_name(self, name: str) -> str:
        if name not in self._dots:
            self._dots[name] = self._derivative_name(f"{name}_dot")
        return self._dots[name]

    def bar_name(self, name: str) -> str:
        if name not in self._bars:
            self._bars[name] = self._derivative_name(f"{name}_bar")
        return self._bars[name]

    def _derivative_name(self, base: str) -> str:
        made = self.namer.fresh(base)
        self.derivative_names.add(made)
        return made

    def is_active(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id in self.active

    def dot_of(self, node: ast.expr) -> ast.expr:
        if self.is_active(node):
            return carrying(ast.Name(id=self.dot_name(node.id), ctx=ast.Load()))
        return zero()

    def np_call(self, func: str, *args: ast.expr, **keywords: ast.expr) -> ast.Call:
        return call(attribute(self.numpy, func), *args, **keywords)

    def guarded_term(self, factor: ast.expr, term: ast.expr) -> ast.Call:
        """``zero_where_undefined(factor, term)``: a term of a guarded partial, exactly zero where the tangent
        or adjoint ``factor`` it multiplies is and the partial is not finite (``0 * inf``), ``term`` itself
        elsewhere (so that its own derivative, at second order, is the product's)."""
        return call("zero_where_undefined", copy_node(factor), term)

    def zeros_like(self, name: str) -> ast.Call:
        """Zeros like ``name``; floats also where an array written by index may hold integers."""
        if not self.holds_floats(name):
            return self.np_call("zeros_like", load(name), dtype=load("float"))
        return self.np_call("zeros_like", load(name))

    def holds_floats(self, name: str) -> bool:
        """Is ``name``, written by index, known to hold floats? (Otherwise its writes check the dtype.)"""
        return self.written.get(name, FLOAT) == FLOAT

    def operation(self, node: ast.expr) -> Optional[Operation]:
        return operation_of(node, self.resolver)

    def rule_for(self, operation: Operation, node: ast.AST) -> Optional[Rule]:
        """The rule for a primitive operation; None for non-differentiable ones; errors for unknown ones."""
        if operation.kind != "primitive":
            what = f"'{operation.qualname}'"
            hint = ("call numpy/math/scipy.special functions sct knows, or a function defined with `def` in "
                    "your module")
            construct = operation.qualname
            if operation.qualname in getattr(self.resolver, "local", ()):
                hint = (f"{what} is a parameter or variable of {self.source.name}: call the function by its "
                        "global name, or pass a function for the parameter (the derivative is then made for "
                        "it, see sct.specialise)")
                construct = LOCAL_CALL
            raise self.context.error(node, f"cannot differentiate through the call to {what}: sct cannot "
                                     "see its source", construct=construct, hint=hint)
        if registry.is_nondiff(operation.qualname):
            return None
        rule = registry.lookup(operation.qualname)
        module = operation.qualname.rpartition(".")[0]
        if rule is None and module not in ("", "method") and module.partition(".")[0] not in rule_libraries():
            raise self.context.error(
                node, f"cannot differentiate through the call to '{operation.qualname}': sct does not read "
                f"the source of the module '{module}' here", construct="call of a function of an imported "
                "module", hint="differentiate through the Python API (sct.grad, sct.reverse...), which reads "
                "the helpers of imported modules, copy the function into this file, or declare its "
                "derivative with sct.primitive")
        if rule is None:
            name = operation.qualname
            what = f"the method '.{name[7:]}'" if module == "method" else f"'{name}'"
            raise self.context.error(node, f"sct has no derivative rule for {what}",
                                     construct=operation.qualname,
                                     hint="rewrite it with supported numpy operations, or add a rule in "
                                     "sct/rules (see sct/rules/core.py), or declare one with sct.primitive")
        return rule

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
            check_parameters(helper.node, helper.context)  # else the arguments bind to no parameter
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

    def rule_error(self, exc: RuleError, node: ast.AST) -> SCTError:
        return self.context.error(node, str(exc), hint=exc.hint)


class ModuleBuilder:
    """Collects the emitted functions of one transformation (the main one and its helpers).

    ``derive`` is the pipeline's :func:`sct.pipeline.derive`, called to differentiate a helper on first use;
    ``batch`` (vector mode) makes every derivative carry a batch of directions; ``stages``, when given, is
    called with each pass's output (see :func:`sct.pipeline.derive`); ``notes`` collects what runs one
    direction at a time in vector mode.
    """

    def __init__(self, numpy_alias: str, reserved: Set[str], derive: Callable[..., List[ast.FunctionDef]],
                 batch: bool = False, stages: Optional[Callable[[str, str, str], None]] = None):
        self.numpy_alias = numpy_alias
        self.reserved = set(reserved)
        self.derive = derive
        self.batch = batch
        self.stages = stages
        self.checkpoints = None  # reverse every outermost loop with this Checkpointing (sct.modes.checkpoint)
        self.notes: List[str] = []
        self.functions: List[ast.FunctionDef] = []
        self.done: Dict[tuple, tuple] = {}
        self.mains: Dict[tuple, ast.FunctionDef] = {}
        self.in_progress: Dict[tuple, Optional[tuple]] = {}  # key -> (name, dot parameters) once known
        self.whole: Dict[tuple, str] = {}  # reverse derivatives made whole, whose recursive calls use halves
        self.cycles: Dict[tuple, Set[str]] = {}  # key -> the functions it calls recursively, itself included
        self.specialisations: Dict[tuple, str] = {}  # helper and the functions bound -> its name so bound
        self._held: List[object] = []  # the objects bound, so that their ids stay theirs
        self.owners: Dict[str, tuple] = {}  # function name -> where it is defined: one function per name

    def claim(self, source: FunctionSource, node: Optional[ast.AST] = None,
              caller: Optional[Program] = None) -> None:
        """Derivatives are keyed by the function's name: refuse a second function of the same name from
        another place (two modules' ``act``), whose calls would otherwise run the first one's derivative."""
        where = (source.context.filename, source.context.line_offset + getattr(source.node, "lineno", 0))
        first = self.owners.setdefault(source.name, where)
        if first != where:
            message = (f"two different functions named '{source.name}' are called ({first[0]}:{first[1]} and "
                       f"{where[0]}:{where[1]})")
            hint = "rename one of the two functions (sct names derivatives after them)"
            if caller is not None:
                raise caller.context.error(node, message, hint=hint, construct="helper")
            raise source.context.error(source.node, message, hint=hint, construct="helper")

    def specialise(self, source: FunctionSource, bound: Dict[str, Binding]) -> FunctionSource:
        """``source`` with its parameters in ``bound`` bound to those functions, under a name of its own
        for each set of functions (``multivariate_argmin__negated_objective``), so that each is derived
        apart; ``source`` itself when nothing is bound."""
        if not bound:
            return source
        items = sorted(bound.items())
        identity = (source.context.filename, source.name,
                    tuple((p, b.kind, b.qualname, id(b.obj)) for p, b in items))
        name = self.specialisations.get(identity)
        if name is None:
            short = [re.sub(r"\W", "_", b.qualname.rsplit(".", 1)[-1]) for _, b in items]
            base = "__".join([source.name] + short)
            name, count = base, 1
            while name in self.specialisations.values():
                count += 1
                name = f"{base}_{count}"
            self.specialisations[identity] = name
            self._held.append([b.obj for _, b in items])
        return dataclasses.replace(source, name=name, resolver=rebound(source.resolver, bound),
                                   extra={**source.extra, "specialised": True})

    def derivative_of_helper(self, source: FunctionSource, wrt: Tuple[str, ...], mode: str, node: ast.AST,
                             caller: Program, zero_seeds: bool = False) -> tuple:
        """(name, derivative parameter names) of a helper's emitted derivative, made on first use.
        ``zero_seeds``: the caller's adjoint of the result may be an exact zero (a variant of its own, see
        sct/modes/guards.py).

        A helper that calls itself, directly or through others, names the derivative still being made: its
        name (and, in forward mode, its tangent parameters, see :meth:`announce`) is in ``in_progress``
        from before its body is transformed."""
        self.claim(source, node, caller)
        if zero_seeds:
            source = dataclasses.replace(source, extra={**source.extra, "zero seeds": True})
        key = derivative_key(source, wrt, mode)
        if key in self.done:
            return self.done[key]
        if key in self.in_progress:
            self._record_cycle(key)
            if any(k[0] in self.specialisations.values() for k in self.cycles):
                raise caller.context.error(node, f"'{source.name}' calls itself, and a helper on the way is "
                                           "called with a function argument", construct="recursion",
                                           hint="rewrite the recursion as a loop, or call the function "
                                           "by its global name rather than through a parameter")
            if self.in_progress[key] is None:
                raise caller.context.error(node, f"'{source.name}' calls itself before its derivative's "
                                           "signature is known", construct="recursion",
                                           hint="rewrite the recursion as a loop")
            return self.in_progress[key]
        if key in self.mains:
            return self._split_main(source, key)
        name = self.whole.get(key) or self._fresh_name(source.name, mode)
        self.in_progress[key] = (name, []) if mode == "reverse" else None
        made = self.derive(source, wrt, mode, self, name, helper=True)
        del self.in_progress[key]
        params = [a.arg for a in made[0].args.args + made[0].args.kwonlyargs]
        self.done[key] = (name, params[len(params) - len(wrt):] if mode == "forward" else [])
        self.functions.extend(made)
        return self.done[key]

    def _fresh_name(self, function: str, mode: str) -> str:
        variants = sum(1 for k in self.done if k[0] == function and k[2] == mode)
        name = f"diff_{function}" + (f"_{variants + 1}" if variants else "")
        while name in self.reserved:
            variants += 1
            name = f"diff_{function}_{variants + 1}"
        self.reserved.add(name)
        return name

    def _record_cycle(self, key: tuple) -> None:
        """``key`` is called again while it is made: it and every derivative made since call each other."""
        stack = list(self.in_progress)  # in the order they were begun
        members = stack[stack.index(key):]
        names = {k[0] for k in members}
        for member in members:
            self.cycles.setdefault(member, set()).update(names)

    def announce(self, program: Program, name: str, dot_params: List[str]) -> None:
        """A forward derivative's signature, known before its body is transformed (for recursive calls)."""
        key = derivative_key(program.source, program.wrt, program.mode)
        if key in self.in_progress:
            self.in_progress[key] = (name, list(dot_params))

    def _split_main(self, source: FunctionSource, key: tuple) -> tuple:
        """A reverse derivative already emitted whole, now also needed by a caller: emit its two halves
        and let the whole one call them, rather than emitting the same sweeps twice."""
        main = self.mains.pop(key)
        self.in_progress[key] = (main.name, [])
        halves = self.derive(source, key[1], "reverse", self, main.name, helper=True)
        del self.in_progress[key]
        self.functions[self.functions.index(main):self.functions.index(main)] = halves
        call_halves(main, halves[0].name, halves[1].name)
        self.done[key] = (main.name, [])
        return self.done[key]


def derivative_key(source: FunctionSource, wrt: Tuple[str, ...], mode: str) -> tuple:
    """What tells one derivative of a function from another: its name, ``wrt`` and mode, and what its
    callers told it (the parameters given containers, seeds that may be exact zeros); the function itself
    is keyed ``(name, wrt, mode)``."""
    told = tuple((what,) + source.extra[what] for what in ("containers", "container items")
                 if what in source.extra)
    return (source.name, wrt, mode) + told + (("zero seeds",) if source.extra.get("zero seeds") else ())


def copy_node(node: ast.AST) -> ast.AST:
    return clone(node)


@dataclass
class Transformed:
    """The emitted derivative of one function, with the helpers' derivatives it calls (``notes``: what
    vector mode runs one direction at a time)."""

    name: str
    mode: str
    wrt: Tuple[str, ...]
    functions: List[ast.FunctionDef]
    numpy_alias: str
    source: FunctionSource
    notes: List[str] = field(default_factory=list)
