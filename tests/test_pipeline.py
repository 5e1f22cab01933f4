"""The passes of sct.pipeline.derive, each run alone on a small function, and the stages it reports
(``verbose=2`` in the API, ``sct transform --stages``), which must name every pass in order.

A rewriting pass is checked for what it promises about the code's form and, with Python as the oracle,
that the rewritten function computes what the original does.
"""
from __future__ import annotations

import ast
import textwrap

import numpy as np
import pytest
from cli_support import run, write

import sct
from sct.analysis.activity import sequence_names, useful_variables, varied_variables
from sct.analysis.aliasing import check_index_writes
from sct.analysis.constant_calls import check_constant_calls
from sct.analysis.idioms import logsumexp_shifts
from sct.analysis.written_dtype import check_integer_writes, written_kinds
from sct.emit.render import function_source
from sct.errors import SCTError
from sct.frontend.desugar import desugar
from sct.frontend.loops import freeze_loop_headers
from sct.frontend.names import Namer, names_in
from sct.frontend.normalize import normalize
from sct.frontend.sequence_arrays import sequence_arrays
from sct.frontend.source import ModuleResolver
from sct.pipeline import transform

FRONT = ["comprehensions", "desugar", "freeze_loop_headers", "check_index_writes", "varied_variables",
         "normalize", "sequence_names", "sequence_arrays", "logsumexp_shifts", "varied_variables",
         "check_constant_calls",
         "check_real_values",
         "useful_variables", "written_kinds", "check_integer_writes"]


def _source(text: str, name: str = "f"):
    text = "import numpy as np\n" + textwrap.dedent(text)
    return ModuleResolver(ast.parse(text), "<test>", text).function(name)


def _run(func: ast.FunctionDef, *args):
    """Call the function ``func`` is the AST of."""
    namespace = {"np": np}
    exec(compile(ast.fix_missing_locations(ast.Module(body=[func], type_ignores=[])), "<pass>", "exec"),
         namespace)
    return namespace[func.name](*args)


def _copy(node: ast.FunctionDef) -> ast.FunctionDef:
    return ast.parse(ast.unparse(node)).body[0]


def _normalized(source, varied, reverse=False):
    """The function after the passes that come before the analyses of normalized code."""
    namer = Namer(names_in(source.node))
    func = freeze_loop_headers(desugar(_copy(source.node), source.context, namer), source.resolver, namer)
    return normalize(func, source.resolver, set(varied), namer, source.context, reverse)


# ---------------------------------------------------------------------------------------- each pass alone
def test_desugar_leaves_plain_assignments_and_one_return():
    source = _source("""
    def f(x, n):
        y = x
        for i in range(n):
            if y > 10.0:
                break
            y += x * i
        if n > 3:
            return y
        return -y
    """)
    func = desugar(_copy(source.node), source.context, Namer(names_in(source.node)))
    assert not any(isinstance(n, (ast.AugAssign, ast.Continue)) for n in ast.walk(func))
    assert [n for n in ast.walk(func) if isinstance(n, ast.Return)] == [func.body[-1]]
    loop = next(s for s in func.body if isinstance(s, ast.For))  # a break only as its last step, on a flag
    assert ast.unparse(loop.body[-1]) == "if stop:\n    break"
    assert sum(isinstance(n, ast.Break) for n in ast.walk(func)) == 1
    for x, n in [(1.5, 2), (3.0, 5), (-2.0, 4), (0.5, 9)]:
        assert _run(func, x, n) == _run(_copy(source.node), x, n)


def test_freeze_loop_headers_computes_a_changing_bound_once():
    source = _source("""
    def f(x, n):
        s = 0.0
        for i in range(n):
            n = 1
            s = s + x * i
        return s
    """)
    func = freeze_loop_headers(_copy(source.node), source.resolver, Namer(names_in(source.node)))
    loop = next(s for s in func.body if isinstance(s, ast.For))
    assert ast.unparse(loop.iter) != "range(n)"
    assert _run(func, 2.0, 4) == _run(_copy(source.node), 2.0, 4) == 12.0


def test_normalize_gives_each_operation_its_own_assignment():
    source = _source("""
    def f(x, y):
        z = np.sin(x * y) + x ** 2 / y
        return z * 3.0
    """)
    func = _normalized(source, {"x", "y"})
    for stmt in func.body:
        value = stmt.value
        operations = [n for n in ast.walk(value) if isinstance(n, (ast.BinOp, ast.Call, ast.UnaryOp))]
        assert len(operations) <= 1, ast.unparse(stmt)
    assert _run(func, 0.7, 1.3) == pytest.approx(_run(_copy(source.node), 0.7, 1.3), rel=1e-15)


def test_activity_analyses():
    source = _source("""
    def f(x, k):
        a = x * 2.0
        b = k + 1.0
        unused = a * 3.0
        c = a + b
        return c
    """)
    func = _copy(source.node)
    varied = varied_variables(func, ("x",), source.resolver)
    assert varied == {"x", "a", "unused", "c"}
    assert varied & useful_variables(func, varied) == {"x", "a", "c"}


def test_sequence_names_and_logsumexp_shifts():
    source = _source("""
    def f(a):
        parts = []
        parts.append(a)
        m = np.max(a, axis=1, keepdims=True)
        r = np.log(np.sum(np.exp(a - m), axis=1)) + m[:, 0]
        return r
    """)
    func = _normalized(source, {"a"})
    assert sequence_names(func) == {"parts"}
    assert logsumexp_shifts(func, source.resolver) == {"m"}


def test_sequence_arrays():
    source = _source("""
    def f(a, k):
        t = (a, 2.0 * a)
        z = np.zeros((k, 1))
        return np.power(t, 3) + np.sum(t, axis=(0,)) + z[0] - t @ a
    """)
    func = _normalized(source, {"a"})
    func = sequence_arrays(func, sequence_names(func), source.resolver, Namer(names_in(func)))
    text = ast.unparse(func)
    assert text.count("np.asarray(t)") == 3  # np.power, np.sum and @ read t as an array
    assert "np.zeros((k, 1))" in text and "axis=(0,)" in text  # a shape and an axis stay tuples


def test_written_kinds_and_the_integer_write_check():
    source = _source("""
    def f(x, k):
        y = np.zeros(3, dtype=int)
        y[0] = x
        z = np.zeros(3)
        z[1] = x
        return z[1] + y[0]
    """)
    func = _copy(source.node)
    is_x = lambda node: isinstance(node, ast.Name) and node.id == "x"  # noqa: E731
    kinds = written_kinds(func, {"x"}, source.resolver, is_x)
    assert kinds == {"y": "integer", "z": "float"}
    with pytest.raises(SCTError, match="integer"):
        check_integer_writes(func, kinds, is_x, source.context)


def test_checks_refuse_what_would_be_wrong_and_pass_the_rest():
    shared = _source("""
    def f(x):
        y = x
        y[0] = 1.0
        return np.sum(x + y)
    """)
    with pytest.raises(SCTError, match="share"):
        check_index_writes(_copy(shared.node), shared.resolver, shared.context)
    moving = _source("""
    def f(x):
        r = np.arange(x, 5.0)
        return np.sum(r)
    """)
    with pytest.raises(SCTError, match="arange"):
        check_constant_calls(_copy(moving.node), {"x", "r"}, moving.resolver, moving.context)
    fine = _source("""
    def f(x):
        y = np.copy(x)
        y[0] = 1.0
        return np.sum(x + y)
    """)
    assert check_index_writes(_copy(fine.node), fine.resolver, fine.context) is None


# ----------------------------------------------------------------------------------------- the stages
def _collect(source, mode, **kwargs):
    seen = []
    result = transform(source, None, mode, stages=lambda *stage: seen.append(stage), **kwargs)
    return result, seen


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_stages_name_every_pass_in_order(mode):
    source = _source("""
    def f(x):
        y = np.sin(x) * x
        return np.sum(y)
    """)
    result, seen = _collect(source, mode)
    assert [name for _, name, _ in seen] == FRONT + [f"{mode}_mode", "optimize"]
    assert {function for function, _, _ in seen} == {"f"}
    texts = dict((name, text) for _, name, text in seen)
    assert texts["optimize"] == function_source(result.functions[-1]).rstrip()  # what is emitted
    assert "_t1 = np.sin(x)" in texts["normalize"] and "_t1" not in texts["desugar"]
    assert texts["check_index_writes"] == "ok"
    assert texts["useful_variables"] == "_t1, _t2, x, y"


def test_stages_of_a_helper_nest_inside_its_caller_and_vector_mode_says_so():
    source = _source("""
    def g(y):
        return np.cos(y) * 2.0

    def f(x):
        return np.sum(g(x) * x)
    """)
    _, seen = _collect(source, "forward", batch=True)
    names = [(function, name) for function, name, _ in seen]
    assert names[:len(FRONT)] == [("f", name) for name in FRONT]
    helper = [name for function, name in names if function == "g"]
    assert helper == FRONT + ["vector_forward_mode", "optimize"]
    assert names[-2:] == [("f", "vector_forward_mode"), ("f", "optimize")]


def quartic(x, a=2.0):
    return np.sum(a * x ** 4 + np.sin(x))


def test_verbose_prints_the_passes_then_the_module(capsys):
    derivative = sct.reverse(quartic, verbose=2)
    err = capsys.readouterr().err
    headers = [line for line in err.splitlines() if line.startswith("# --- ")]
    assert headers == [f"# --- quartic: {name} ---" for name in FRONT + ["reverse_mode", "optimize"]]
    assert err.endswith(derivative.source + "\n")
    value, grad = derivative(np.array([0.5, -1.0]))
    assert np.allclose(grad, 8.0 * np.array([0.5, -1.0]) ** 3 + np.cos([0.5, -1.0]))
    sct.forward(quartic, verbose=1)
    err = capsys.readouterr().err
    assert "# --- " not in err and "def diff_quartic(" in err
    sct.forward(quartic)
    assert capsys.readouterr().err == ""
    with pytest.raises(ValueError, match="verbose"):
        sct.grad(quartic, verbose=3)


def test_verbose_hessian_shows_both_transformations(capsys):
    H = sct.hessian(quartic, verbose=2)
    err = capsys.readouterr().err
    headers = [line[len("# --- "):-len(" ---")] for line in err.splitlines() if line.startswith("# --- ")]
    assert headers == ([f"quartic: {name}" for name in FRONT + ["reverse_mode", "optimize"]]
                       + [f"diff_quartic: {name}" for name in FRONT + ["vector_forward_mode", "optimize"]
                          if name != "check_index_writes"])  # emitted code was checked as the user's
    x = np.array([0.5, -1.0])
    assert np.allclose(H(x), np.diag(24.0 * x ** 2 - np.sin(x)))


def test_cli_stages_on_stderr_and_the_module_unchanged(tmp_path):
    path = write(tmp_path, "model.py", """
    import numpy as np


    def f(x, y):
        return np.sum(np.exp(x) * y)
    """)
    plain = run("transform", str(path), "--print", "--mode", "reverse")
    staged = run("transform", str(path), "--print", "--mode", "reverse", "--stages")
    assert staged.exit_code == 0 and staged.stdout == plain.stdout
    headers = [line for line in staged.stderr.splitlines() if line.startswith("# --- ")]
    assert headers == [f"# --- f: {name} ---" for name in FRONT + ["reverse_mode", "optimize"]]
