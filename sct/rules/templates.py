"""Instantiate rule templates at a call site: substitute names, drop omitted keywords, fold zeros."""
from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from typing import Callable, Collection, Dict, List, Optional, Set, Union

from ..ir import annotations as anno
from ..ir.astutil import MARKERS, clone, walk
from ..ir.builders import assign, attribute
from ..ir.transformer import Transformer
from .core import Rule, Template

ZERO = "__sct_zero__"
OMIT = "__sct_omit__"
_NODES = (ast.AST, list)


def zero() -> ast.Name:
    """The symbolic zero tangent/adjoint, folded away before emission."""
    return ast.Name(id=ZERO, ctx=ast.Load())


def is_zero(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == ZERO


@dataclass
class Contribution:
    """``value`` is to be added to the adjoint of the argument expression ``arg``."""

    arg: ast.expr
    value: ast.expr
    index: Optional[ast.expr] = None


@dataclass
class CallSite:
    """One primal statement ``targets = primitive(args)`` as the rules see it."""

    rule: Rule
    targets: List[str]
    bound: Dict[str, ast.expr]
    varargs: List[ast.expr]
    numpy: str
    dot: Callable[[ast.expr], ast.expr]
    bar: Callable[[str], str]
    dot_name: Callable[[str], str]
    fresh: Callable[[str], str]
    derivative_names: Collection[str] = ()  # the tangent and adjoint names of the function

    def arg(self, name: str) -> Optional[ast.expr]:
        node = self.bound.get(name)
        return clone(node) if node is not None else None

    def np_attr(self, *path: str) -> ast.expr:
        return attribute(self.numpy, *path)


class _Substitute:
    """Copies of a template's statements with the site's names and expressions put in, in one pass (what
    cloning a statement and then transforming its names would make)."""

    def __init__(self, site: CallSite, template: Template, mode: str):
        self.site = site
        self.mode = mode
        self.params = set(template.params.parameters)
        self.filled, self.defaults = set(template.filled), template.params.parameters
        self.outputs = dict(zip(template.outputs, site.targets))
        self.locals: Dict[str, str] = {}
        self.carried: Set[str] = set()  # the template's own names holding a derivative: read as carrying one
        self.unpassed: List[ast.AST] = []  # the defaults put in for parameters the site does not pass
        for name in stored_names(template):
            if not self._special(name):
                self.locals.setdefault(name, site.fresh(name))

    def _special(self, name: str) -> bool:
        base, _, suffix = name.rpartition("_")
        return (name in self.params or name in self.outputs
                or (suffix in ("dot", "bar") and (base in self.params or base in self.outputs)))

    def visit_Name(self, node: ast.Name) -> ast.expr:
        name = node.id
        site = self.site
        if name in self.locals:
            return ast.Name(id=self.locals[name], ctx=node.ctx)
        if name in self.outputs:
            return ast.Name(id=self.outputs[name], ctx=node.ctx)
        if name in self.params:
            found = site.arg(name)
            if found is not None:
                return found
            if name in self.filled:
                return ast.Constant(value=self.defaults[name].default)
            return self._omitted(name)
        base, _, suffix = name.rpartition("_")
        if suffix == "dot" and base in self.params:
            found = site.bound.get(base)
            return site.dot(found) if found is not None else zero()
        if suffix == "dot" and base in self.outputs:
            return carrying(ast.Name(id=site.dot_name(self.outputs[base]), ctx=node.ctx))
        if suffix == "bar" and base in self.outputs:
            return carrying(ast.Name(id=site.bar(self.outputs[base]), ctx=node.ctx))
        if suffix == "bar" and base in self.params:
            return ast.Name(id="__sct_bar__" + base, ctx=node.ctx)
        if name == "np":
            return ast.Name(id=site.numpy, ctx=node.ctx)
        return node

    def _omitted(self, name: str) -> ast.expr:
        """A parameter the site does not pass: as a keyword argument it is dropped (the callee's default
        applies); anywhere else it reads as the template's literal default."""
        default = self.defaults[name].default
        if default is inspect.Parameter.empty or not _is_literal(default):
            return ast.Name(id=OMIT, ctx=ast.Load())
        node = ast.Constant(value=default)
        node._sct_unpassed = True  # an attribute, not id(node): ids of dropped nodes are reused
        self.unpassed.append(node)
        return node

    def _marked(self, node: ast.AST) -> ast.AST:
        """``node`` (what a name became) with its names that hold a derivative marked: the site's tangents
        and adjoints (those its callables build too, ``batch_member(x_dot, k)``), the ``carried`` ones."""
        for part in (node,) if node.__class__ is ast.Name else walk(node):
            if isinstance(part, ast.Name) and (part.id in self.site.derivative_names
                                               or isinstance(part.ctx, ast.Load) and part.id in self.carried):
                carrying(part)
        return node

    def copy(self, node: ast.AST) -> ast.AST:
        """The copy of ``node``: its fields substituted in the order a NodeTransformer visits them, its
        other attributes (locations, marks) as they are."""
        if node.__class__ in MARKERS:  # shared, as clone shares them
            return node
        if node.__class__ is ast.Name:  # a name has no nodes below it but its marker
            copied = ast.Name.__new__(ast.Name)
            copied.__dict__.update(node.__dict__)
            return self._marked(self.visit_Name(anno.copy_marks(node, copied)))
        made = {}
        for field in node._fields:
            value = node.__dict__.get(field)
            if isinstance(value, ast.AST):
                made[field] = self.copy(value)
            elif isinstance(value, list):
                made[field] = [self.copy(item) if isinstance(item, ast.AST) else item for item in value]
        new = node.__class__.__new__(node.__class__)
        fields = new.__dict__
        for name, value in node.__dict__.items():
            if name in made:
                fields[name] = made[name]
            else:  # locations, marks (copied below)
                fields[name] = clone(value) if isinstance(value, _NODES) else value
        anno.copy_marks(node, new)
        if isinstance(new, ast.Call):
            new.keywords = [k for k in new.keywords
                            if not (_is_omit(k.value) or getattr(k.value, "_sct_unpassed", False))]
        return new


_STORED_NAMES: Dict[int, tuple] = {}


def stored_names(template: Template) -> List[str]:
    """The names a template's body assigns, once per assignment, in the order a walk of its statements
    meets them (a template's body is fixed once parsed: found once per template)."""
    known = _STORED_NAMES.get(id(template))
    if known is None or known[0] is not template:
        names = [n.id for stmt in template.body for n in walk(stmt)
                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        known = _STORED_NAMES[id(template)] = (template, names)
    return known[1]


_TANGENT_PARAMETERS: Dict[int, tuple] = {}


def tangent_parameters(template: Template) -> Set[str]:
    """The parameters of a tangent template whose tangent (``<param>_dot``) it reads."""
    known = _TANGENT_PARAMETERS.get(id(template))
    if known is None or known[0] is not template:
        names = {n.id for stmt in template.body for n in walk(stmt) if isinstance(n, ast.Name)}
        used = {p for p in template.params.parameters if f"{p}_dot" in names}
        known = _TANGENT_PARAMETERS[id(template)] = (template, used)
    return known[1]


def tangent_assignment(site: CallSite, value: ast.expr, output: int = 0) -> List[ast.stmt]:
    """``<output>_dot = value``: the statement a tangent generator returns."""
    return [assign(site.dot_name(site.targets[output]), value)]


def _is_omit(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == OMIT


def _is_literal(value) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def instantiate(template: Template, site: CallSite, mode: str) -> List[Union[ast.stmt, Contribution]]:
    """Splice ``template`` at ``site``; adjoint assignments to ``<arg>_bar`` become Contributions."""
    substitute = _Substitute(site, template, mode)
    result: List[Union[ast.stmt, Contribution]] = []
    local_names = set(substitute.locals.values())
    zeros: Set[str] = set()  # the template's own names that hold a zero derivative: read as zero
    carried = substitute.carried  # and those that hold a derivative (marked as the copy is made)
    for stmt in template.body:
        new = substitute.copy(stmt)
        if zeros:  # (without them the visit changes nothing)
            new = _LocalDerivatives(zeros).visit(new)
        for node in substitute.unpassed:  # a default left standing is an ordinary constant
            node.__dict__.pop("_sct_unpassed", None)
        substitute.unpassed.clear()
        local = _assigned_local(new, local_names)
        if local is not None:
            fold_statement(new)
            zeros.discard(local)
            carried.discard(local)
            if is_zero(new.value):
                zeros.add(local)
                continue
            if _carries_derivative(new.value):
                carried.add(local)
        if (mode == "adjoint" and isinstance(new, ast.Assign) and isinstance(new.targets[0], ast.Name)
                and new.targets[0].id.startswith("__sct_bar__")):
            param = new.targets[0].id[len("__sct_bar__"):]
            arg = site.bound.get(param)
            if arg is not None:
                result.append(Contribution(arg, fold(new.value)))
            continue
        result.append(fold_statement(new))
    return result


class _LocalDerivatives(Transformer):
    """Reads of a template's own names that hold a zero derivative, as the symbolic zero."""

    def __init__(self, zeros: Set[str]):
        self.zeros = zeros

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return zero() if isinstance(node.ctx, ast.Load) and node.id in self.zeros else node


def _assigned_local(stmt: ast.stmt, local_names: Set[str]) -> Optional[str]:
    """The template's own name ``stmt`` assigns (``m_dot = ...``, renamed at the site), if it is one."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
            and stmt.targets[0].id in local_names:
        return stmt.targets[0].id
    return None


def sum_terms(terms: List[ast.expr]) -> ast.expr:
    """``t1 + t2 + ...`` of the terms that are not symbolic zeros (zero when none is left)."""
    terms = [t for t in terms if not is_zero(t)]
    if not terms:
        return zero()
    total = terms[0]
    for term in terms[1:]:
        total = ast.BinOp(left=total, op=ast.Add(), right=term)
    return total


def fold_statement(stmt: ast.stmt) -> ast.stmt:
    if isinstance(stmt, ast.Assign):
        stmt.value = fold(stmt.value)
    return stmt


def fold(node: ast.expr) -> ast.expr:
    """Fold symbolic zeros: ``0 + a -> a``, ``0 * a -> 0``, ``f(0) -> 0`` for linear templates."""
    if isinstance(node, ast.BinOp):
        left, right = fold(node.left), fold(node.right)
        if isinstance(node.op, ast.Add):
            if is_zero(left):
                return right
            if is_zero(right):
                return left
        elif isinstance(node.op, ast.Sub):
            if is_zero(right):
                return left
            if is_zero(left):
                return zero() if is_zero(right) else ast.UnaryOp(op=ast.USub(), operand=right)
        elif is_zero(left) or is_zero(right):
            return zero()
        node.left, node.right = left, right
        return _simplify(node)
    if isinstance(node, ast.UnaryOp):
        operand = fold(node.operand)
        if is_zero(operand):
            return zero()
        node.operand = operand
        return node
    if isinstance(node, (ast.Subscript, ast.Attribute)):
        node.value = fold(node.value)
        return zero() if is_zero(node.value) else node
    if isinstance(node, ast.Compare):
        return _fold_compare(node)
    if isinstance(node, ast.Call):
        node.args = [fold(a) for a in node.args]
        for keyword in node.keywords:
            keyword.value = fold(keyword.value)
        chosen = _fold_where(node)
        if chosen is not None:
            return chosen
        power = _fold_power(node)
        if power is not node:
            return power
        values = node.args + [k.value for k in node.keywords]
        if any(is_zero(v) for v in values):
            carrying = [v for v in values if is_zero(v) or _carries_derivative(v)]
            if all(is_zero(v) for v in carrying):
                return zero()
            node.args = [_literal_zero() if is_zero(a) else a for a in node.args]
            for keyword in node.keywords:
                if is_zero(keyword.value):
                    keyword.value = _literal_zero()
        return node
    if isinstance(node, (ast.Tuple, ast.List)):
        node.elts = [fold(e) for e in node.elts]
        return node
    return node


def _fold_compare(node: ast.Compare) -> ast.expr:
    """``2 == 0 -> False``: rules guard special exponents with comparisons that literals decide."""
    left, right = _number(node.left), _number(node.comparators[0]) if len(node.comparators) == 1 else None
    if left is not None and right is not None and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
        return ast.Constant(value=(left == right) == isinstance(node.ops[0], ast.Eq))
    return node


def _fold_where(node: ast.Call):
    """``np.where(True, a, b) -> a`` (and ``b`` for False), else None."""
    if (isinstance(node.func, ast.Attribute) and node.func.attr == "where" and len(node.args) == 3
            and not node.keywords and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, bool)):
        return node.args[1] if node.args[0].value else node.args[2]
    return None


def _fold_power(node: ast.Call) -> ast.expr:
    """``np.power(e, 1) -> e``, ``np.power(e, 3) -> e ** 3``: a positive integer power never fails, while
    ``0.0 ** -0.5`` raises where ``np.power`` gives inf."""
    if (isinstance(node.func, ast.Attribute) and node.func.attr == "power" and len(node.args) == 2
            and not node.keywords and not is_zero(node.args[0])):
        exponent = _number(node.args[1])
        if exponent == 1:
            return node.args[0]
        if isinstance(exponent, int) and exponent > 1:
            return ast.BinOp(left=node.args[0], op=ast.Pow(), right=node.args[1])
    return node


def _number(node: ast.AST):
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


_ARITHMETIC = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}


def _simplify(node: ast.BinOp) -> ast.expr:
    """Fold arithmetic on literals and the identities ``e ** 1``, ``1 * e``, ``(1 / a) * b``."""
    left, right = _number(node.left), _number(node.right)
    op = type(node.op)
    if left is not None and right is not None and op in _ARITHMETIC:
        return ast.Constant(value=_ARITHMETIC[op](left, right))
    if op is ast.Pow and right == 1:
        return node.left
    if op is ast.Mult and left == 1:
        return node.right
    if op is ast.Mult and right == 1:
        return node.left
    if op is ast.Mult and isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.Div) \
            and _number(node.left.left) == 1:
        return ast.BinOp(left=node.right, op=ast.Div(), right=node.left.right)
    if op is ast.Mult and isinstance(node.right, ast.BinOp) and isinstance(node.right.op, ast.Div) \
            and _number(node.right.left) == 1:
        return ast.BinOp(left=node.left, op=ast.Div(), right=node.right.right)
    return node


def carrying(node: ast.Name) -> ast.Name:
    """Mark a tangent or adjoint name, so zero folding knows the expression carries a derivative."""
    anno.mark(node, "carries")
    return node


def _carries_derivative(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and anno.get(n, "carries", False) for n in walk(node))


def _literal_zero() -> ast.expr:
    return ast.Constant(value=0.0)
