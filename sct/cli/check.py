"""``sct check``: sct's emitted derivatives against central divided differences, at several points.

For argument ``x_i`` with direction ``v`` and output weight ``u`` both modes give ``u . J_i v``: forward as
``u . diff_f(..., tangent v)[1]``, reverse as ``<diff_f(..., seed=u)[1][i], v>``. The divided difference is
``u . (f(x + h v) - f(x - h v)) / 2h``; forward mode is also compared as a whole vector ``J_i v``. Both
derivatives must also return the function's value and leave its arguments as the function does. The points
are the user's examples and random draws (``cli_check_points``); a crash of an emitted derivative where
the function runs is an internal error of sct, reported for that function while the others are checked.
"""
from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

import click
import numpy as np

from ..emit.render import run_source
from ..errors import SCTError
from .check_points import (
    EXAMPLES_NAME,
    Point,
    check_names,
    differentiated,
    examples_of,
    literal_inputs,
    parameters,
    points,
)
from .module import CLIError, SourceFile, emit_file

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
    noise: float = 0.0
    kink: bool = False

    def status(self, tol: float) -> str:
        """``ok`` within ``tol``; ``noisy`` within twice the differences' own error (how much they change
        when the step is halved: at large or tiny inputs they may not resolve ``tol``); ``kink`` where
        the one-sided differences disagree (the function is not differentiable there); else ``FAIL``."""
        if self.error <= tol:
            return "ok"
        if self.error <= 2 * self.noise:
            return "noisy"
        return "kink" if self.kink else "FAIL"

    def ok(self, tol: float) -> bool:
        """Whether the row passes (a NaN error never does; noise and kinks are not counted against sct)."""
        return self.status(tol) != "FAIL"


@dataclass
class Table:
    """The rows of one function, with the point they were computed at."""

    function: str
    point: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    label: str = ""
    problems: list[str] = field(default_factory=list)
    bad: set[tuple[str, str]] = field(default_factory=set)

    def check(self, name: str, mode: str, wrt: list[str], value: Any, expected: Any,
              after: dict[str, Any], expected_after: dict[str, Any]) -> None:
        """Record a problem if the ``mode`` derivative's value or its effect on the arguments is not f's."""
        if not _same(value, expected):
            self._problem(mode, wrt, f"the {mode}-mode derivative returns a value that is not {name}'s")
        for key, before in expected_after.items():
            if isinstance(before, np.ndarray) and not np.array_equal(after[key], before, equal_nan=True):
                self._problem(mode, wrt, f"the {mode}-mode derivative changes the argument {key} "
                                         f"differently from {name}")

    def check_default_seed(self, wrt: list[str], ones: Any, default: Any) -> None:
        """Record a problem if the default seed (1.0: every output entry) is not a seed of ones."""
        ones, default = (ones, default) if len(wrt) > 1 else ((ones,), (default,))
        for w, a, b in zip(wrt, ones, default):
            if np.shape(a) != np.shape(b) or not np.allclose(a, b, rtol=1e-10, atol=1e-12, equal_nan=True):
                self._problem("reverse", [w], f"the reverse-mode derivative with its default seed gives {w} "
                                              "an adjoint other than a seed of ones does")

    def _problem(self, mode: str, wrt: list[str], text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)
        self.bad |= {(w, mode) for w in wrt}


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
    namespace = run_source(emitted.text, filename, {"__name__": f"_sct_emitted_{mode}"})
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
    """The relative distance of ``a`` and ``b``: NaN when either is not finite (a row that fails)."""
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return float("nan")
    scale = max(float(np.linalg.norm(a)), float(np.linalg.norm(b)))
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


class DerivativeCrash(Exception):
    """An emitted derivative raised where the function itself runs: an internal error of sct."""


@dataclass
class CheckOptions:
    """What the command line says about the arguments: shapes, fixed values, inputs, draws, seed."""

    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    draws: int = 3
    seed: int = 0
    debug: bool = False


@dataclass
class Report:
    """Everything checked for one function: a table per point, the points skipped, or the error."""

    function: str
    wrt: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    skipped: list[tuple[Point, str]] = field(default_factory=list)
    error: Exception | None = None
    internal: bool = False

    def failed(self, tol: float) -> set[tuple[str, str]]:
        """The (argument, mode) pairs with a failing row or a problem, at any point."""
        bad = {(r.argument, r.mode) for t in self.tables for r in t.rows if not r.ok(tol)}
        return bad | {key for t in self.tables for key in t.bad}


def _fresh(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in values.items()}


def _same(a: Any, b: Any) -> bool:
    a, b = _flat(a), _flat(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-12, atol=1e-12, equal_nan=True))


class _Evaluator:
    """Calls the function and its derivatives at a point, on copies of the arguments."""

    def __init__(self, name: str, definition: ast.FunctionDef, primal: Callable, forward: Callable,
                 reverse: Callable):
        self.name, self.primal, self.forward, self.reverse = name, primal, forward, reverse
        self.call = _caller(definition.args)

    def value(self, values: dict[str, Any]) -> Any:
        with np.errstate(all="ignore"):
            return self.call(self.primal, values)

    def around(self, point: Point, w: str, v: Any, h: float) -> tuple[np.ndarray, np.ndarray]:
        """The function's output at ``w + h v`` and at ``w - h v``, flat."""
        plus = self.value(_fresh({**point.values, w: point.values[w] + h * v}))
        minus = self.value(_fresh({**point.values, w: point.values[w] - h * v}))
        return _flat(plus), _flat(minus)

    def derivative(self, mode: str, point: Point, extra: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """(result, the arguments after the call); a crash is sct's, as the function runs there."""
        values = _fresh(point.values)
        try:
            with np.errstate(all="ignore"):
                return self.call(self.forward if mode == "forward" else self.reverse, values, extra), values
        except CLIError as exc:
            cause = exc.__cause__
            raise DerivativeCrash(f"the {mode}-mode derivative of {self.name} raised {type(cause).__name__}: "
                                  f"{cause} at {point.label}, where {self.name} itself runs") from cause


def _kink(plus: np.ndarray, mid: np.ndarray, minus: np.ndarray, u: np.ndarray, h: float) -> bool:
    """Whether the one-sided differences disagree: the function is not differentiable at the point."""
    right, left = float(u @ (plus - mid)) / h, float(u @ (mid - minus)) / h
    return abs(right - left) > 1e-3 * max(1.0, abs(right), abs(left))


def check_point(evaluator: _Evaluator, point: Point, wrt: list[str], tangent_names: list[str],
                seed_name: str, first: bool) -> Table | str:
    """The table at ``point``, or why it is skipped (the function raises or is not finite there).

    At the first point a function that raises is the user's to fix (``CLIError`` with a hint).
    """
    values = _fresh(point.values)
    try:
        output = evaluator.value(values)
    except CLIError:
        if first:
            raise
        return f"{evaluator.name} raises there"
    if not np.all(np.isfinite(_flat(output))):
        return f"{evaluator.name} is not finite there"
    rng, table = point.rng, Table(evaluator.name, point.values, label=point.label)
    weight = _like(output, rng)
    u = _flat(weight)
    directions = {w: 1.0 if np.ndim(point.values[w]) == 0 else rng.standard_normal(np.shape(point.values[w]))
                  for w in wrt}
    (out, grads), after = evaluator.derivative("reverse", point, {seed_name: weight})
    table.check(evaluator.name, "reverse", wrt, out, output, after, values)
    grads = grads if len(wrt) > 1 else (grads,)
    if isinstance(weight, np.ndarray):
        ones = evaluator.derivative("reverse", point, {seed_name: np.ones_like(weight)})[0][1]
        table.check_default_seed(wrt, ones, evaluator.derivative("reverse", point, {})[0][1])
    zeros = point.has_zeros(wrt)
    for i, w in enumerate(wrt):
        v = directions[w]
        h = _STEP * max(1.0, float(np.max(np.abs(point.values[w]))))
        try:
            plus, minus = evaluator.around(point, w, v, h)
            halves = evaluator.around(point, w, v, h / 2) if not point.strict else (plus, minus)
        except CLIError:
            return f"{evaluator.name} raises within a step of it"
        if not all(np.all(np.isfinite(side)) for side in (plus, minus, *halves)):
            return f"{evaluator.name} is not finite within a step of it"
        difference = (plus - minus) / (2 * h)
        noise = 0.0 if point.strict else _relative(difference, (halves[0] - halves[1]) / h)
        kink = zeros and _kink(plus, _flat(output), minus, u, h)
        tangents = {t: (directions[x] if x == w else np.zeros_like(point.values[x], dtype=float))
                    for t, x in zip(tangent_names, wrt)}
        (out, tangent), after = evaluator.derivative("forward", point, tangents)
        table.check(evaluator.name, "forward", [w], out, output, after, values)
        tangent = _flat(tangent)
        shape = np.shape(point.values[w])
        projected = float(u @ difference)
        table.rows.append(Row(w, shape, "forward", float(u @ tangent), projected,
                              _relative(tangent, difference), h, noise, kink))
        adjoint = float(np.sum(np.asarray(grads[i]) * v))
        table.rows.append(Row(w, shape, "reverse", adjoint, projected,
                              _relative(np.array([adjoint]), np.array([projected])), h, noise, kink))
    return table


def check_function(source: SourceFile, module: Any, name: str, options: CheckOptions,
                   rng: np.random.Generator, extra: np.random.Generator) -> Report:
    """Check ``name`` at its examples and random draws (a table per point where it is finite)."""
    params = parameters(source, name)
    fixed = {k: v for k, v in options.values.items() if k in params}
    inputs = {k: v for k, v in literal_inputs(options.inputs).items() if k in params}
    examples = ([inputs] if inputs else []) + examples_of(module, source, name)
    shapes = {k: v for k, v in options.shapes.items() if k in params}
    wrt, _ = differentiated(source, name, fixed, {*shapes, *inputs})
    if not wrt:
        raise CLIError(f"{source.path}: {name} has no argument left to differentiate (all fixed by --value)")
    report = Report(name, wrt)
    forward, forward_args = emitted_derivative(source, name, "forward", wrt)
    reverse, reverse_args = emitted_derivative(source, name, "reverse", wrt)
    names = [a.arg for a in forward_args.args + forward_args.kwonlyargs]
    evaluator = _Evaluator(name, source.definition(name), getattr(module, name), forward, reverse)
    if not examples and not options.draws:
        raise CLIError(f"nothing to check for {name}: --draws 0 and no example (--input or {EXAMPLES_NAME})")
    for index, point in enumerate(points(wrt, fixed, examples, shapes, options.draws, rng, extra, params)):
        result = check_point(evaluator, point, wrt, names[len(names) - len(wrt):], reverse_args.args[-1].arg,
                             index == 0)
        if isinstance(result, str):
            report.skipped.append((point, result))
        else:
            report.tables.append(result)
    if not report.tables:
        raise CLIError(f"{name} is not finite at any point checked; give an example where it is defined "
                       f"with --input NAME=LITERAL or {EXAMPLES_NAME} in the file")
    return report


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


def run_checks(source: SourceFile, names: list[str], options: CheckOptions) -> list[Report]:
    """Import the file and check each function, every one even when some fail: one report per function.

    A refusal of sct or bad input for one function is its report's error; so is a crash inside sct
    (``internal``). With ``options.debug`` they are raised instead.
    """
    both = sorted(set(options.inputs) & set(options.values))
    if both:
        raise CLIError(f"--input and --value both give {', '.join(both)}: --input is differentiated, "
                       "--value is not; choose one")
    module = import_file(source)
    check_names(source, names, {"--shape": options.shapes, "--value": options.values,
                                "--input": options.inputs})
    rng = np.random.default_rng(options.seed)
    reports = []
    for index, name in enumerate(names):
        extra = np.random.default_rng([options.seed, index, 1])
        try:
            reports.append(check_function(source, module, name, options, rng, extra))
        except Exception as exc:
            if options.debug:
                raise
            reports.append(Report(name, error=exc, internal=not isinstance(exc, (CLIError, SCTError))))
    return reports
