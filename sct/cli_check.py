"""``sct check``: sct's emitted derivatives against central divided differences, at a random point.

For argument ``x_i`` with direction ``v`` and output weight ``u`` both modes give ``u . J_i v``: forward as
``u . diff_f(..., tangent v)[1]``, reverse as ``<diff_f(..., seed=u)[1][i], v>``. The divided difference is
``u . (f(x + h v) - f(x - h v)) / 2h``; forward mode is also compared as a whole vector ``J_i v``.
"""
from __future__ import annotations

import ast
import importlib.util
import linecache
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

import click
import numpy as np

from .cli_emit import CLIError, SourceFile, emit_file

_STEP = np.finfo(float).eps ** (1 / 3)


@dataclass
class Row:
    """One argument in one mode."""

    argument: str
    shape: tuple[int, ...]
    mode: str
    derivative: float
    difference: float
    error: float
    step: float

    def ok(self, tol: float) -> bool:
        """Whether the relative error is within ``tol`` (a NaN error never is)."""
        return bool(self.error <= tol)


@dataclass
class Table:
    """The rows of one function, with the point they were computed at."""

    function: str
    point: dict[str, Any]
    rows: list[Row] = field(default_factory=list)


def parse_shape(text: str) -> tuple[int, ...]:
    """``"3,2"`` -> ``(3, 2)``; ``""`` or ``"()"`` -> ``()``."""
    text = text.strip().strip("()")
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(f"a shape is integers separated by commas, not {text!r}") from None


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise click.BadParameter(f"{text!r} is not a Python literal (a number, string, tuple...)") from None


def parse_assignments(items: Sequence[str], option: str,
                      convert: Callable[[str], Any] | None) -> dict[str, Any]:
    """``("x=3,2",)`` -> ``{"x": convert("3,2")}`` (a Python literal when ``convert`` is None)."""
    result = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip().isidentifier():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint=option)
        result[name.strip()] = (convert or _literal)(value)
    return result


def import_file(source: SourceFile) -> Any:
    """Import the user's file as a fresh module (its folder on sys.path, for its own imports)."""
    path = source.path.resolve()
    name = f"_sct_check_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CLIError(f"{source.path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise CLIError(f"{source.path}: importing it failed: {type(exc).__name__}: {exc}") from exc
    finally:
        sys.path.remove(str(path.parent))
    return module


def emitted_derivative(source: SourceFile, name: str, mode: str,
                       wrt: list[str]) -> tuple[Callable, ast.arguments]:
    """Emit the ``mode`` module for ``name`` as ``sct transform`` would; execute it; its diff function."""
    emitted = emit_file(source, [name], mode, wrt, comments=False)
    filename = f"<sct {mode} derivative of {source.path.name}>"
    linecache.cache[filename] = (len(emitted.text), None, emitted.text.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": f"_sct_emitted_{mode}"}
    exec(compile(emitted.text, filename, "exec"), namespace)  # noqa: S102 - sct's own emitted code
    main = emitted.derivatives[name]
    definition = next(f for f in main.functions if f.name == main.name)
    return namespace[main.name], definition.args


def _flat(value: Any) -> np.ndarray:
    if isinstance(value, (tuple, list)):
        return np.concatenate([_flat(v) for v in value]) if value else np.zeros(0)
    return np.ravel(np.asarray(value, dtype=float))


def _like(value: Any, rng: np.random.Generator) -> Any:
    """A random output weight shaped like ``value`` (1.0 for a scalar)."""
    if isinstance(value, (tuple, list)):
        return tuple(_like(v, rng) for v in value)
    return 1.0 if np.ndim(value) == 0 else rng.standard_normal(np.shape(value))


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    scale = max(float(np.linalg.norm(a)), float(np.linalg.norm(b)))
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def _point(source: SourceFile, name: str, shapes: dict[str, tuple[int, ...]], values: dict[str, Any],
           rng: np.random.Generator) -> tuple[dict[str, Any], list[str]]:
    """(argument values by name, the arguments to differentiate)."""
    args = source.definition(name).args
    positional = args.posonlyargs + args.args
    defaults = {a.arg for a in positional[len(positional) - len(args.defaults):]}
    defaults |= {a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
    point, wrt = {}, []
    for arg in positional + args.kwonlyargs:
        if arg.arg in values:
            point[arg.arg] = values[arg.arg]
        elif arg.arg in shapes or arg.arg not in defaults:
            shape = shapes.get(arg.arg, ())
            point[arg.arg] = rng.uniform(0.5, 1.5, shape) if shape else float(rng.uniform(0.5, 1.5))
            wrt.append(arg.arg)
    if not wrt:
        raise CLIError(f"{source.path}: {name} has no argument left to differentiate (all fixed by --value)")
    return point, wrt


def check_function(source: SourceFile, primal: Callable, name: str, shapes: dict[str, tuple[int, ...]],
                   values: dict[str, Any], rng: np.random.Generator) -> Table:
    """Rows for every differentiated argument of ``name``, forward then reverse."""
    point, wrt = _point(source, name, shapes, values, rng)
    forward, forward_args = emitted_derivative(source, name, "forward", wrt)
    reverse, reverse_args = emitted_derivative(source, name, "reverse", wrt)
    call = _caller(source.definition(name).args)
    output = call(primal, point)
    weight = _like(output, rng)
    u = _flat(weight)
    directions = {w: 1.0 if np.ndim(point[w]) == 0 else rng.standard_normal(np.shape(point[w])) for w in wrt}
    names = [a.arg for a in forward_args.args + forward_args.kwonlyargs]
    tangent_names = names[len(names) - len(wrt):]
    seed_name = reverse_args.args[-1].arg
    _, grads = call(reverse, point, {seed_name: weight})
    grads = grads if len(wrt) > 1 else (grads,)
    table = Table(name, point)
    for i, w in enumerate(wrt):
        v = directions[w]
        h = _STEP * max(1.0, float(np.max(np.abs(point[w]))))
        plus = call(primal, {**point, w: point[w] + h * v})
        minus = call(primal, {**point, w: point[w] - h * v})
        difference = (_flat(plus) - _flat(minus)) / (2 * h)
        tangents = {t: (directions[x] if x == w else np.zeros_like(point[x], dtype=float))
                    for t, x in zip(tangent_names, wrt)}
        tangent = _flat(call(forward, point, tangents)[1])
        shape = np.shape(point[w])
        projected = float(u @ difference)
        table.rows.append(Row(w, shape, "forward", float(u @ tangent), projected,
                              _relative(tangent, difference), h))
        adjoint = float(np.sum(np.asarray(grads[i]) * v))
        table.rows.append(Row(w, shape, "reverse", adjoint, projected,
                              _relative(np.array([adjoint]), np.array([projected])), h))
    return table


def _caller(args: ast.arguments) -> Callable[..., Any]:
    """Call a function with the original's arguments by name (positional ones in order), plus keywords."""
    positional = [a.arg for a in args.posonlyargs + args.args]

    def call(func: Callable, point: dict[str, Any], extra: dict[str, Any] | None = None) -> Any:
        keywords = {k: v for k, v in point.items() if k not in positional}
        try:
            return func(*[point[p] for p in positional if p in point], **keywords, **(extra or {}))
        except Exception as exc:
            what = getattr(func, "__name__", "the function")
            raise CLIError(f"calling {what} at the random point failed: {type(exc).__name__}: {exc}\n"
                           "  hint: give array arguments their shapes with --shape NAME=D1,D2 and fix "
                           "non-numeric ones with --value NAME=LITERAL") from exc
    return call


def run_checks(source: SourceFile, names: list[str], shapes: dict[str, tuple[int, ...]],
               values: dict[str, Any], seed: int) -> list[Table]:
    """Import the file and check each function; one table per function."""
    module = import_file(source)
    rng = np.random.default_rng(seed)
    return [check_function(source, getattr(module, name), name, shapes, values, rng) for name in names]


def _describe(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.6g}"
        return text if any(c in text for c in ".enai") else text + ".0"
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    return repr(value)


def format_table(table: Table, tol: float) -> str:
    """The table of one function as text."""
    point = ", ".join(f"{k}={_describe(v)}" for k, v in table.point.items())
    header = ("argument", "shape", "mode", "derivative", "difference", "rel. error", "step", "")
    cells = [header] + [(r.argument, str(r.shape), r.mode, f"{r.derivative:.10g}", f"{r.difference:.10g}",
                         f"{r.error:.1e}", f"{r.step:.1e}", "ok" if r.ok(tol) else "FAIL")
                        for r in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    right = {3, 4, 5, 6}
    lines = [f"{table.function}({point})"]
    for row in cells:
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  " + "  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"
