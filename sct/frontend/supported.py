"""Which Python constructs sct accepts in a differentiated function: an allow-list of node types.

Anything not on the list is refused at transform time with file:line:col, so a construct no pass
knows can never be skipped silently (an ignored statement would lose its derivative). The constructs
sct knows to refuse carry their own message and hint; any other gets a generic one naming it.
"""
from __future__ import annotations

import ast

from ..errors import SCTError, SourceContext
from ..ir.astutil import breadth_first
from .dicts import check_dict

_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.If, ast.For, ast.While, ast.Return,
               ast.Break, ast.Continue, ast.Pass, ast.Raise)
_EXPRESSIONS = (ast.Name, ast.Constant, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call,
                ast.Attribute, ast.Subscript, ast.Slice, ast.Tuple, ast.List, ast.Dict, ast.IfExp,
                ast.ListComp, ast.GeneratorExp, ast.JoinedStr, ast.FormattedValue)
_PARTS = (ast.keyword, ast.comprehension, ast.arguments, ast.arg, ast.expr_context, ast.operator,
          ast.unaryop, ast.boolop, ast.cmpop)
_ALLOWED = _STATEMENTS + _EXPRESSIONS + _PARTS

# the docstring of a checkpointed loop's forward half (sct.modes.checkpoint_halves), then file:line
CHECKPOINT_HALF = "The forward half of the checkpointed loop at "

_KNOWN_REFUSALS = {
    ast.Try: ("try/except", "move error handling out of the differentiated function"),
    ast.With: ("a with-block", "move the context manager outside the differentiated function"),
    ast.ClassDef: ("a class definition", "define classes at module level and pass arrays in"),
    ast.Lambda: ("a lambda", "define a helper function with `def` at module level"),
    ast.Global: ("`global`", "pass the value as an argument instead"),
    ast.Nonlocal: ("`nonlocal`", "pass the value as an argument instead"),
    ast.Yield: ("a generator (yield)", "return an array or a list instead"),
    ast.YieldFrom: ("a generator (yield from)", "return an array or a list instead"),
    ast.Await: ("await", "differentiate synchronous code"),
    ast.AsyncFor: ("async for", "differentiate synchronous code"),
    ast.AsyncWith: ("async with", "differentiate synchronous code"),
    ast.FunctionDef: ("a nested function (closure)", "define the helper at module level"),
    ast.AsyncFunctionDef: ("an async function", "differentiate synchronous code"),
    ast.SetComp: ("a set comprehension", "write a for loop"),
    ast.DictComp: ("a dict comprehension", "write a for loop"),
    ast.NamedExpr: ("an assignment expression (:=)", "assign on its own line"),
    ast.Delete: ("del", "leave the variable alone or reassign it"),
    ast.Starred: ("star-unpacking (*args)", "pass the arguments one by one"),
    ast.Match: ("a match statement", "use if/elif/else"),
    ast.Set: ("a set literal", "use a list or tuple"),
    ast.Import: ("an import inside the function", "import at module level (`import numpy as np`)"),
    ast.ImportFrom: ("an import inside the function", "import at module level"),
    ast.Assert: ("assert", "check the inputs before calling the differentiated function, or raise in an if"),
}


def check_parameters(func: ast.FunctionDef, context: SourceContext) -> None:
    """Raise SCTError when ``func`` takes ``*args``, ``**kwargs`` or positional-only parameters: sct binds
    a call's arguments to named parameters only."""
    args = func.args
    if args.vararg or args.kwarg or args.posonlyargs:
        raise context.error(func, "*args, **kwargs and positional-only parameters are not supported",
                            hint="name every parameter", construct="parameters")


def check_supported(func: ast.FunctionDef, context: SourceContext) -> None:
    """Raise SCTError at the first construct sct cannot differentiate."""
    check_parameters(func, context)
    for node in breadth_first(func):
        if node is func:
            continue
        if not isinstance(node, _ALLOWED):
            _refuse_checkpoint_half(func, node)
            _refuse(node, context)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in getattr(node, "targets", None) or [node.target]:
                _check_target(target, context)
        if isinstance(node, ast.Call):
            _check_splats(node, context)
        if isinstance(node, ast.Dict):
            check_dict(node, context)


def _refuse_checkpoint_half(func: ast.FunctionDef, node: ast.AST) -> None:
    """A checkpointed loop's reverse sweep runs through local functions: refused where the user wrote it."""
    doc = ast.get_docstring(func, clean=False) or ""
    if not (isinstance(node, ast.FunctionDef) and doc.startswith(CHECKPOINT_HALF)):
        return
    filename, _, line = doc[len(CHECKPOINT_HALF):].rpartition(":")
    raise SCTError("the reverse sweep of this checkpointed loop cannot be differentiated again in this "
                   "mode (forward over its reverse sweep, or reverse over it)", filename, int(line),
                   hint="sct.hessian and sct.hvp differentiate it; "
                   "or write the loop without sct.checkpointed", construct="checkpointed loop")


def _refuse(node: ast.AST, context: SourceContext) -> None:
    known = next((v for k, v in _KNOWN_REFUSALS.items() if isinstance(node, k)), None)
    if known is None:
        written = ast.unparse(node).splitlines()[0] if isinstance(node, (ast.stmt, ast.expr)) else ""
        known = (f"`{written}` ({type(node).__name__})",
                 "rewrite it with assignments, if/else, for/while loops and calls")
    what, hint = known
    raise context.error(node, f"{what} is not supported by sct", hint=hint, construct=what)


def _check_splats(node: ast.Call, context: SourceContext) -> None:
    """``f(**options)``: the values in the dict would reach the callee without their derivatives."""
    for keyword in node.keywords:
        if keyword.arg is None:
            what = f"`**{ast.unparse(keyword.value)}`"
            raise context.error(keyword.value, f"keyword splat {what} in a call is not supported by sct",
                                construct="a keyword splat (**kwargs) in a call",
                                hint="pass each keyword by name: f(x, scale=options['scale'])")


def _check_target(target: ast.expr, context: SourceContext) -> None:
    """A write goes into a name or ``name[index]``: sct follows arrays by name, so a write into an
    expression (``y[0][1]``, ``y.T[0]``, ``y.flat[0]``, ``obj.attr``) would change a value it does not see."""
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _check_target(element, context)
        return
    if isinstance(target, (ast.Name, ast.Attribute)):
        return  # an attribute write (``y.shape = ...``) is refused by sct.analysis.aliasing
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        return
    written = ast.unparse(target)
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Subscript):
        inner = target.value
        hint = (f"index once: {ast.unparse(inner.value)}[{ast.unparse(inner.slice)}, "
                f"{ast.unparse(target.slice)}] = ... for an array, or bind the row to its own copy first")
    else:
        hint = "write into the array by name (y[i, j] = v), or build the new value and assign it to a name"
    raise context.error(target, f"cannot differentiate the write into `{written}`: sct follows arrays by "
                        "name and would not see what this changes", construct="assignment to an expression",
                        hint=hint)
