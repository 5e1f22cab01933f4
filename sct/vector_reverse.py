"""Vector reverse mode: a batch of K seeds pulled back through one reverse sweep.

``diff_f(*params, seed)`` with ``seed`` of shape ``(K,) + value.shape`` returns ``(value, x_bar)`` with
``x_bar`` of shape ``(K,) + x.shape``: the forward sweep runs once, and every adjoint carries the batch as a
leading axis, so the identity as seed gives a whole Jacobian, one row per output.

The emitted code is that of :mod:`sct.reverse_mode` with batch-aware pieces: the shape helpers become
their batched forms (``unbroadcast`` -> ``batch_unbroadcast``, ``unreduce`` -> ``batch_unreduce``...),
adjoints of indexing keep the batch axis (``x_bar[:, i] += ...``), and the rules where the batch axis
matters (reshapes, transposes, products, solves, einsum) have batched templates below. A rule that is
neither listed as batch-safe nor given a batched form makes the transformation fail with an SCTError, and
``sct.jacobian`` then falls back to one reverse sweep per output (and says so).
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from __future__ import annotations

import ast
import copy
from typing import Callable, Dict, List

import numpy as np  # noqa: F401

from .builders import derivative
from .reverse_ast import index_value as _index_value
from .reverse_ast import static_index as _static_index
from .reverse_mode import ReverseTransformer
from .rules.numpy_rules import RESHAPES
from .rules.registry import Rule, _parse_template
from .rules.structural_rules import _parse_subscripts
from .splice import Contribution, instantiate, is_zero
from .vector_rules import unbatched_helpers

ADJOINTS: Dict[str, Rule] = {}
BATCHED = {"unbroadcast": "batch_unbroadcast", "unreduce": "batch_unreduce", "unstack": "batch_unstack",
           "split_like": "batch_split_like", "scatter": "batch_scatter",
           "transpose_adjoint": "batch_untranspose", "cumsum_adjoint": "batch_cumsum_adjoint",
           "diagonal_adjoint": "batch_diagonal_adjoint", "extremum_adjoint": "batch_extremum_adjoint",
           "written_adjoint": "batch_written_adjoint"}
# Adjoint rules whose code broadcasts over a leading batch axis once the helpers above are batched.
BATCH_SAFE = {
    "op.Add", "numpy.add", "op.Sub", "numpy.subtract", "op.Mult", "numpy.multiply", "op.Div", "numpy.divide",
    "numpy.true_divide", "op.USub", "numpy.negative", "op.UAdd", "numpy.positive", "builtins.float",
    "method.astype", "numpy.where", "numpy.sum", "method.sum", "numpy.mean", "method.mean", "numpy.prod",
    "method.prod", "numpy.max", "numpy.amax", "method.max", "numpy.min", "numpy.amin", "method.min",
    "numpy.broadcast_to", "method.copy", "numpy.copy", "numpy.concatenate", "numpy.stack", "op.Subscript",
    "numpy.triu", "numpy.tril",
    "numpy.linalg.inv", "numpy.linalg.det", "numpy.linalg.slogdet", "numpy.linalg.cholesky",
    "scipy.special.logsumexp", "scipy.special._logsumexp.logsumexp", "builtins.sum", "numpy.cumsum",
    "method.cumsum", "numpy.diagonal", "method.diagonal", "numpy.linalg.norm",
}


def vadjoint(*qualnames: str, outputs: int = 1) -> Callable:
    """Register a batched adjoint template (each ``<arg>_bar = ...`` is a contribution)."""
    def decorate(fn: Callable) -> Callable:
        fn._n_outputs = outputs
        template = _parse_template(fn)
        for qualname in qualnames:
            ADJOINTS[qualname] = Rule(qualname, signature=template.params, outputs=template.outputs,
                                      adjoint=template)
        return fn
    return decorate


@vadjoint(*RESHAPES)
def _reshape(z, x, shape=None):
    x_bar = batch_reshape(z_bar, x)


@vadjoint("numpy.array", "numpy.asarray")
def _array(z, x, dtype=None):  # a nested list's adjoint keeps its structure, each item a batch
    x_bar = batch_unstack_like(if_inexact(z_bar, z), x)


@vadjoint("attr.T")
def _dot_t(z, x):
    x_bar = batch_transpose(z_bar)


@vadjoint("numpy.transpose", "method.transpose")
def _transpose(z, x, axes=None):
    x_bar = batch_untranspose(z_bar, axes=axes)


@vadjoint("numpy.swapaxes", "method.swapaxes")
def _swapaxes(z, x, axis1, axis2):
    x_bar = np.swapaxes(z_bar, batch_axis(x, axis=axis1), batch_axis(x, axis=axis2))


@vadjoint("numpy.moveaxis")
def _moveaxis(z, x, source, destination):
    x_bar = np.moveaxis(z_bar, batch_axis(x, axis=destination), batch_axis(x, axis=source))


@vadjoint("numpy.trace", "method.trace")
def _trace(z, x, offset=0, axis1=0, axis2=1):
    diagonal = np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)
    spread = np.broadcast_to(np.expand_dims(z_bar, -1), np.shape(z_bar) + np.shape(diagonal)[-1:])
    x_bar = batch_diagonal_adjoint(spread, x, offset=offset, axis1=axis1, axis2=axis2)


@vadjoint("op.MatMult", "numpy.matmul")
def _matmul(z, a, b):
    a_bar = batch_matmul_adjoint(z_bar, a, b, 0, 0)
    b_bar = batch_matmul_adjoint(z_bar, a, b, 1, 0)


@vadjoint("numpy.dot", "method.dot")
def _dot(z, a, b):
    a_bar = batch_unbroadcast(z_bar * b, a) if np.ndim(a) == 0 or np.ndim(b) == 0 else \
        dot_adjoint(z_bar, a, b, 0, 1)
    b_bar = batch_unbroadcast(a * z_bar, b) if np.ndim(a) == 0 or np.ndim(b) == 0 else \
        dot_adjoint(z_bar, a, b, 1, 1)


@vadjoint("numpy.outer")
def _outer(z, a, b):
    a_bar = batch_reshape(z_bar @ np.ravel(b), a)
    b_bar = batch_reshape(np.ravel(a) @ z_bar, b)


@vadjoint("numpy.linalg.solve")
def _solve(z, a, b):
    g = np.linalg.solve(np.swapaxes(a, -1, -2), as_columns(z_bar, z, a))
    a_bar = batch_unbroadcast(-g @ np.swapaxes(as_columns(z, z, a), -1, -2), a)
    b_bar = batch_unbroadcast(from_columns(g, z, a), b)


def _einsum_adjoint(site) -> list:
    """Like the scalar rule, with a fresh index letter for the batch leading the adjoint and the result."""
    terms, output = _parse_subscripts(site)
    free = next(c for c in "zyxwvutsrqponmlkjihgfedcba" if c not in "".join(terms) + output)
    z_bar = ast.Name(id=site.bar(site.targets[0]), ctx=ast.Load())
    result = []
    for i, operand in enumerate(site.varargs):
        others = [t for j, t in enumerate(terms) if j != i]
        other_ops = [copy.deepcopy(o) for j, o in enumerate(site.varargs) if j != i]
        present = set(output).union(*others)
        kept = "".join(c for c in terms[i] if c in present)
        spec = ",".join([free + output] + others) + "->" + free + kept
        keywords = [ast.keyword(arg="optimize", value=ast.Constant(True))] if len(other_ops) > 1 else []
        value: ast.expr = ast.Call(func=site.np_attr("einsum"), args=[ast.Constant(spec), z_bar] + other_ops,
                                   keywords=keywords)
        if kept != terms[i]:
            axes = tuple(k + 1 for k, c in enumerate(terms[i]) if c not in present)
            value = ast.Call(func=ast.Name(id="lift", ctx=ast.Load()), args=[
                ast.Call(func=site.np_attr("expand_dims"), args=[value, ast.Constant(axes)], keywords=[]),
                copy.deepcopy(operand)], keywords=[])
        result.append(Contribution(operand, value))
    return result


ADJOINTS["numpy.einsum"] = Rule("numpy.einsum", adjoint_generator=_einsum_adjoint)


class _Batched(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in BATCHED:
            node.func = ast.Name(id=BATCHED[node.func.id], ctx=ast.Load())
        return node


def batched(items: list) -> list:
    """Rename the shape helpers in emitted adjoint code to their batched forms."""
    for item in items:
        if isinstance(item, Contribution):
            item.value = _Batched().visit(item.value)
        else:
            _Batched().visit(item)
    return items


class VectorReverseTransformer(ReverseTransformer):
    """Emits ``diff_f(*params, seed)`` whose adjoints carry the leading batch axis of ``seed``."""

    def seed_statements(self, ret: ast.Return, seed: str):
        def start():  # the batch of seeds is built by sct.jacobian, already shaped
            return self.seed_contributions(ret.value, ast.Name(id=seed, ctx=ast.Load()))
        size = ast.Assign(targets=[ast.Name(id=self.p.batch, ctx=ast.Store())],
                          value=ast.Call(func=ast.Name(id="batch_size", ctx=ast.Load()),
                                         args=[ast.Name(id=seed, ctx=ast.Load())], keywords=[]), lineno=0)
        return lambda: [size] + start()

    def adjoint_of(self, stmt: ast.Assign, targets: List[str]) -> list:
        p = self.p
        operation = p.operation(stmt.value)
        if operation is None and isinstance(stmt.value, (ast.List, ast.Tuple)):  # items of a batch of lists
            z_bar = ast.Name(id=p.bar_name(targets[0]), ctx=ast.Load())
            return [Contribution(e, ast.Call(func=ast.Name(id="batch_item", ctx=ast.Load()),
                                             args=[z_bar, ast.Constant(i)], keywords=[]))
                    for i, e in enumerate(stmt.value.elts)]
        if operation is None or operation.kind != "primitive":
            return batched(super().adjoint_of(stmt, targets))
        rule = p.rule_for(operation, stmt.value)
        if rule is None:
            return []
        site = p.call_site(rule, operation, targets, stmt.value)
        qualname = site.rule.qualname
        vector = ADJOINTS.get(qualname)
        if vector is not None:
            if vector.adjoint_generator is not None:
                return vector.adjoint_generator(site)
            return instantiate(vector.adjoint, site, "adjoint")
        if site.rule.partials is None and qualname not in BATCH_SAFE:
            raise p.context.error(stmt, f"no batched adjoint for '{qualname}'",
                                  hint="vector reverse mode needs a batched rule (sct/vector_reverse.py)")
        produced = batched(super().adjoint_of(stmt, targets))
        unknown = unbatched_helpers(produced)
        if unknown:
            raise p.context.error(stmt, f"no batched form of the helper '{unknown[0]}' ('{qualname}')",
                                  hint="vector reverse mode needs a batched rule (sct/vector_reverse.py)")
        return produced

    def _batch_target(self, bar: str, index: ast.expr) -> ast.Subscript:
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        return ast.Subscript(value=ast.Name(id=bar, ctx=ast.Load()),
                             slice=ast.Tuple(elts=[ast.Slice()] + [copy.deepcopy(e) for e in parts],
                                             ctx=ast.Load()), ctx=ast.Load())

    def written_adjoint(self, base: str, index: ast.expr, value: ast.expr) -> ast.expr:
        """As in scalar reverse mode, with the batched helpers."""
        return _Batched().visit(super().written_adjoint(base, index, value))

    @staticmethod
    def adjoint_item(bar: str, index: ast.expr) -> ast.expr:
        """``x_bar[:, i]`` for the whole batch of adjoints."""
        args = [ast.Name(id=bar, ctx=ast.Load()), _index_value(copy.deepcopy(index))]
        return ast.Call(func=ast.Name(id="batch_item", ctx=ast.Load()), args=args, keywords=[])

    @staticmethod
    def clear_adjoint_item(bar: str, index: ast.expr) -> ast.stmt:
        """``x_bar[:, i] = 0.0`` for the whole batch of adjoints."""
        clear = ast.Call(func=ast.Name(id="batch_setitem", ctx=ast.Load()), keywords=[],
                         args=[ast.Name(id=bar, ctx=ast.Load()), _index_value(copy.deepcopy(index)),
                               ast.Constant(0.0)])
        return ast.Expr(value=clear)

    def contribute(self, item: Contribution) -> List[ast.stmt]:
        """As in scalar reverse mode; indexed contributions address the batch (``x_bar[:, i]``)."""
        if item.index is None or not self.p.is_active(item.arg) or is_zero(item.value):
            return super().contribute(item)
        p = self.p
        name = item.arg.id
        bar = p.bar_name(name)
        out: List[ast.stmt] = []
        if name in self.in_place:
            if name not in self.live:
                out.append(derivative(ast.Assign(targets=[ast.Name(id=bar, ctx=ast.Store())],
                                                 value=p.zeros_like(name), lineno=0)))
                self.live.add(name)
            static = _static_index(item.index, self.int_names)
            if static:
                target = self._batch_target(bar, item.index)
                target.ctx = ast.Store()
                add: ast.stmt = ast.AugAssign(target=target, op=ast.Add(), value=item.value)
            else:
                add = ast.Expr(value=ast.Call(func=ast.Name(id="batch_add_at", ctx=ast.Load()), args=[
                    ast.Name(id=bar, ctx=ast.Load()), _index_value(item.index), item.value], keywords=[]))
            out.append(derivative(add))
            return out
        value: ast.expr = ast.Call(func=ast.Name(id="batch_scatter", ctx=ast.Load()), args=[
            item.value, copy.deepcopy(item.arg), _index_value(item.index)], keywords=[])
        if name in self.live:
            value = ast.BinOp(left=ast.Name(id=bar, ctx=ast.Load()), op=ast.Add(), right=value)
        self.live.add(name)
        out.append(derivative(ast.Assign(targets=[ast.Name(id=bar, ctx=ast.Store())], value=value, lineno=0)))
        return out
