"""The faster traversals the passes use find and make what the generic ones do.

Each is checked against its generic counterpart as the oracle: ``all_statements`` against the statements of
``ast.walk`` (and of sct's node walk, in its order), ``StatementTransformer`` and ``Transformer`` against an
``ast.NodeTransformer`` with the same visitors, ``loaded_names`` and ``height`` against their definitions
over ``ast.walk``, ``walk`` against the nodes of ``ast.walk`` but the markers, ``breadth_first`` against
``ast.walk`` itself, ``clone`` against ``ast.dump``, the names a template assigns against a walk of its
body, and the worklist of ``varied_variables`` against the sweep to a fixpoint it replaces. Then a function
going through every rewritten pass is differentiated in every mode, at zero, negative points and on a size-1
axis.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest
from every_mode import check_every_mode

from sct.analysis.activity import appended_list, assigned_names, expression_varied, varied_variables
from sct.frontend.depth import height
from sct.frontend.source import ModuleResolver
from sct.ir import annotations as anno
from sct.ir.astutil import MARKERS, breadth_first, clone, loaded_names, walk
from sct.ir.blocks import StatementTransformer, all_statements, block_nodes
from sct.ir.transformer import Transformer
from sct.rules import registry
from sct.rules.templates import stored_names

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from transform import make_function  # noqa: E402

BLOCKS = '''
def blocks(x, n):
    """docstring"""
    a: float = 1.0
    for i in range(n):
        if x[i] > 0:
            a = a * x[i]
        elif x[i] < -1:
            while a > 1:
                a = a / 2
            else:
                a = a - 1
        else:
            continue
    else:
        a += 1
    try:
        b = [v * 2 for v in x]
    except ValueError as error:
        b = None
    finally:
        c = 3
    with open("f") as handle:
        d = handle.read()

    def inner(y):
        return y + lambda_value

    match n:
        case 1:
            e = 1
        case _:
            e = 2
    return a
'''


def _sources():
    yield BLOCKS
    for lines in (10, 50, 200):
        yield make_function(lines)
    for path in sorted((ROOT / "gradbench" / "evals").glob("*.py")):
        yield path.read_text()


@pytest.mark.parametrize("source", list(_sources()))
def test_all_statements_are_the_statements_of_a_walk_in_its_order(source):
    tree = ast.parse(source)
    found = list(all_statements(tree))
    assert found == [n for n in walk(tree) if isinstance(n, ast.stmt)]
    assert {id(n) for n in found} == {id(n) for n in ast.walk(tree) if isinstance(n, ast.stmt)}
    holders = [n for n in ast.walk(tree) if isinstance(n, (ast.stmt, ast.excepthandler))]
    assert {id(n) for n in holders} <= {id(n) for n in block_nodes(tree)}


def test_a_statement_transformer_refuses_a_visitor_of_expressions():
    with pytest.raises(TypeError, match="visits statements only"):
        type("Names", (StatementTransformer,), {"visit_Name": lambda self, node: node})
    with pytest.raises(TypeError, match="visits statements only"):
        type("Calls", (StatementTransformer,), {"visit_Call": lambda self, node: node})
    type("Handlers", (StatementTransformer,), {"visit_ExceptHandler": lambda self, node: node})


class _Rewrites:
    """Statement rewrites of every kind a transformer returns: several statements, none, one."""

    def visit_Assign(self, node):
        if isinstance(node.value, ast.Constant):
            return None  # dropped
        copy = ast.Assign(targets=[ast.Name(id="copied", ctx=ast.Store())], value=node.value)
        return [node, copy]

    def visit_For(self, node):
        self.generic_visit(node)
        return ast.If(test=ast.Constant(True), body=[node], orelse=[])

    def visit_Pass(self, node):
        return ast.Expr(value=ast.Constant(None))


class _Fast(_Rewrites, StatementTransformer):
    pass


class _Generic(_Rewrites, ast.NodeTransformer):
    pass


@pytest.mark.parametrize("source", list(_sources()))
def test_a_statement_transformer_makes_what_a_node_transformer_makes(source):
    expected = _Generic().visit(ast.parse(source))
    assert ast.dump(_Fast().visit(ast.parse(source)), include_attributes=True) == \
        ast.dump(expected, include_attributes=True)


class _ExpressionRewrites:
    """Rewrites of expressions: renamed, replaced, a keyword dropped, a subtree returned as it is."""

    def visit_Name(self, node):
        return ast.Name(id=node.id + "_1", ctx=node.ctx) if node.id.startswith("x") else node

    def visit_Call(self, node):
        self.generic_visit(node)
        node.keywords = [k for k in node.keywords if k.arg != "axis"]
        return node

    def visit_Constant(self, node):
        return ast.Constant(value=2.5) if node.value == 1.0 else node

    def visit_Add(self, node):
        return ast.Sub()

    def visit_Lambda(self, node):
        return node  # not visited below


class _FastExpressions(_ExpressionRewrites, Transformer):
    pass


class _GenericExpressions(_ExpressionRewrites, ast.NodeTransformer):
    pass


@pytest.mark.parametrize("source", list(_sources()))
def test_the_transformer_makes_what_a_node_transformer_makes(source):
    expected = _GenericExpressions().visit(ast.parse(source))
    assert ast.dump(_FastExpressions().visit(ast.parse(source)), include_attributes=True) == \
        ast.dump(expected, include_attributes=True)


@pytest.mark.parametrize("source", list(_sources()))
def test_loaded_names_and_height_as_defined_over_ast_walk(source):
    def deepest(node):
        children = list(ast.iter_child_nodes(node))
        return 1 + max((deepest(c) for c in children), default=0)

    for node in ast.walk(ast.parse(source)):
        assert loaded_names(node) == {n.id for n in ast.walk(node)
                                      if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        if isinstance(node, ast.expr):
            assert height(node) == deepest(node)


@pytest.mark.parametrize("source", list(_sources()))
def test_walk_finds_the_nodes_of_ast_walk_but_the_markers_each_before_its_children(source):
    tree = ast.parse(source)
    found = list(walk(tree))
    expected = [n for n in ast.walk(tree) if n.__class__ not in MARKERS]
    assert len(found) == len(expected) and {id(n) for n in found} == {id(n) for n in expected}
    position = {id(n): k for k, n in enumerate(found)}
    for node in found:
        assert all(position[id(child)] > position[id(node)] for child in ast.iter_child_nodes(node)
                   if child.__class__ not in MARKERS)


@pytest.mark.parametrize("source", list(_sources()))
def test_breadth_first_is_ast_walk(source):
    tree = ast.parse(source)
    tree.body.append(ast.Expr(value=ast.Call(func=ast.Name(id="f", ctx=ast.Load()))))  # no args field
    found, expected = list(breadth_first(tree)), list(ast.walk(tree))
    assert len(found) == len(expected) and all(a is b for a, b in zip(found, expected))


@pytest.mark.parametrize("source", list(_sources()))
def test_clone_copies_every_node_but_shares_the_markers(source):
    tree = ast.parse(source)
    for node in walk(tree):  # not the markers: ast.parse shares them between trees
        anno.mark(node, "derivative")
    copied = clone(tree)
    assert ast.dump(copied, include_attributes=True) == ast.dump(tree, include_attributes=True)
    for old, new in zip(ast.walk(tree), ast.walk(copied)):
        assert (old is new) == (old.__class__ in MARKERS)
        assert old.__class__ in MARKERS or anno.get(new, "derivative")


def test_the_names_a_template_assigns_as_a_walk_of_its_body_finds_them():
    templates = [t for rule in (registry.lookup(q) for q in registry.known_qualnames()) if rule is not None
                 for t in (rule.tangent, rule.adjoint, rule.partials) if t is not None]
    assert templates
    for template in templates:
        expected = [n.id for stmt in template.body for n in ast.walk(stmt)
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        assert sorted(stored_names(template)) == sorted(expected)
        assert stored_names(template) is stored_names(template)  # found once


def _swept(func, wrt, resolver):
    """The definition: sweep the statements until no variable becomes varied."""
    varied, changed = set(wrt), True
    while changed:
        changed = False
        for stmt in all_statements(func):
            targets = set()
            if isinstance(stmt, ast.Assign) and expression_varied(stmt.value, varied, resolver):
                targets = set().union(*(assigned_names(t) for t in stmt.targets))
            appended = appended_list(stmt)
            if appended and expression_varied(appended[1], varied, resolver):
                targets = {appended[0]}
            if not targets <= varied:
                varied |= targets
                changed = True
    return varied


LOOPED = '''
import numpy as np


def looped(x, y, n):
    out = []
    c = 0.0
    for k in range(n):
        d = c * 2.0
        c = e if k > 0 else 1.0
        e = np.sin(y) + d
        out.append(e * k)
        f = out[-1]
    w = f
    return np.sum(x) + w
'''


@pytest.mark.parametrize("source", [make_function(50), make_function(200), LOOPED])
@pytest.mark.parametrize("wrt", [("x",), ("y",), ("x", "y")])
def test_varied_variables_is_the_fixpoint_of_the_sweeps(source, wrt):
    tree = ast.parse(source)
    name = next(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
    function = ModuleResolver(tree, "generated.py", source).function(name)
    assert varied_variables(function.node, wrt, function.resolver) == \
        _swept(function.node, wrt, function.resolver)


def passes(x):
    """Goes through each rewritten pass: an annotation, an augmented and a chained assignment, a tuple
    unpacked, a comprehension, a loop over rows, an element read before a write, a repeated einsum operand,
    the stable logsumexp, an append."""
    total: float = 0.0
    y = z = x * 1.0
    p, q = np.sin(x), np.cos(x)
    squares = [v ** 2 for v in x]
    for row in x:
        total += row * p[0]
    m = np.max(z)
    lse = np.log(np.sum(np.exp(z - m))) + m
    first = y[0]
    y[0] = q[-1] * 2.0
    pairs = np.einsum("i,i->i", q, q)
    held = []
    held.append(pairs * first)
    return y * total + lse + np.stack(squares) + held[0]


def passes_scalar(x):
    return np.sum(passes(x) ** 2)


@pytest.mark.parametrize("x", [np.array([0.3, -1.2, 0.7]), np.array([0.0, -0.5, 2.0]), np.array([-0.4])])
def test_a_function_through_every_rewritten_pass_in_every_mode(x):
    check_every_mode(passes, passes_scalar, x)
