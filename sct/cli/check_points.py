"""The points ``sct check`` evaluates at: the user's examples, then random draws of several kinds.

Draw 1 is uniform in [0.5, 1.5] (where most functions are defined); later draws take both signs and
magnitudes from 1e-3 to 1e2 (log-uniform), and every third draw puts exact zeros among them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .module import CLIError, SourceFile

EXAMPLES_NAME = "SCT_EXAMPLES"


@dataclass
class Point:
    """Argument values by name, where they come from (``"example 1"``, ``"draw 2"``...) and the generator
    of the directions and output weights used there."""

    label: str
    values: dict[str, Any]
    rng: np.random.Generator

    @property
    def strict(self) -> bool:
        """Draw 1 is where divided differences are trusted to ``--tol`` (no allowance for their noise)."""
        return self.label == "draw 1"

    def has_zeros(self, wrt: Sequence[str]) -> bool:
        """Whether a differentiated argument has an entry exactly 0 (where kinks live)."""
        return any(np.any(np.asarray(self.values[w]) == 0) for w in wrt)


def parameters(source: SourceFile, name: str) -> list[str]:
    """The parameter names of ``name``, positional then keyword-only."""
    args = source.definition(name).args
    return [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]


def check_names(source: SourceFile, names: Sequence[str], options: Mapping[str, Mapping[str, Any]]) -> None:
    """Every name given to ``--shape``/``--value``/``--input`` is a parameter of a function checked."""
    known = {name: parameters(source, name) for name in names}
    every = {p for params in known.values() for p in params}
    for option, given in options.items():
        unknown = [n for n in given if n not in every]
        if unknown:
            listing = "; ".join(f"{name} takes {', '.join(params) or 'no parameters'}"
                                for name, params in known.items())
            raise CLIError(f"{option} {', '.join(unknown)}: no function checked has a parameter named "
                           f"{' or '.join(repr(n) for n in unknown)} ({listing})")


def differentiated(source: SourceFile, name: str, fixed: Mapping[str, Any],
                   given: Sequence[str]) -> tuple[list[str], list[str]]:
    """(parameters to differentiate, parameters left at their defaults) of ``name``.

    A parameter is differentiated unless fixed by ``--value`` or it has a default and is not ``given``
    (by ``--shape`` or ``--input``; an example's value for it is used there, not differentiated).
    """
    args = source.definition(name).args
    positional = args.posonlyargs + args.args
    defaults = {a.arg for a in positional[len(positional) - len(args.defaults):]}
    defaults |= {a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
    wrt, kept = [], []
    for param in parameters(source, name):
        if param in fixed:
            continue
        (wrt if param in given or param not in defaults else kept).append(param)
    return wrt, kept


def as_input(value: Any, where: str) -> Any:
    """A differentiable input from a literal or an example: a float, or a float array."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CLIError(f"{where}: {value!r} is not a number or a (nested) list of numbers") from None
    return float(array) if array.ndim == 0 else array


def examples_of(module: Any, source: SourceFile, name: str) -> list[dict[str, Any]]:
    """The examples of ``name`` in the module's ``SCT_EXAMPLES`` (a dict, or a list of dicts, per name)."""
    table = getattr(module, EXAMPLES_NAME, {})
    if not isinstance(table, Mapping):
        raise CLIError(f"{source.path}: {EXAMPLES_NAME} must be a dict from function names to examples")
    entry = table.get(name, [])
    entries = [entry] if isinstance(entry, Mapping) else entry
    if not isinstance(entries, (list, tuple)) or not all(isinstance(e, Mapping) for e in entries):
        raise CLIError(f"{source.path}: {EXAMPLES_NAME}[{name!r}] must be a dict of arguments or a list "
                       "of them")
    params = parameters(source, name)
    for example in entries:
        unknown = [k for k in example if k not in params]
        if unknown:
            raise CLIError(f"{source.path}: {EXAMPLES_NAME}[{name!r}] names {', '.join(unknown)}, which "
                           f"{name} does not take (it takes {', '.join(params)})")
    return [dict(example) for example in entries]


def literal_inputs(items: Mapping[str, Any]) -> dict[str, Any]:
    """``--input`` values as differentiable inputs."""
    return {name: as_input(value, f"--input {name}") for name, value in items.items()}


def _sample(rng: np.random.Generator, shape: tuple[int, ...], draw: int) -> Any:
    if draw == 1:
        return rng.uniform(0.5, 1.5, shape) if shape else float(rng.uniform(0.5, 1.5))
    size = shape or None
    values = np.where(rng.random(size) < 0.5, -1.0, 1.0) * 10.0 ** rng.uniform(-3, 2, size)
    if draw % 3 == 0:
        values = np.where(rng.random(size) < 0.5, 0.0, values)
    return np.asarray(values, dtype=float) if shape else float(values)


def points(wrt: Sequence[str], fixed: Mapping[str, Any], examples: Sequence[Mapping[str, Any]],
           shapes: Mapping[str, tuple[int, ...]], draws: int, rng: np.random.Generator,
           extra: np.random.Generator, order: Sequence[str]) -> list[Point]:
    """The user's examples (missing arguments from draw 1), then ``draws`` random draws.

    A random draw gives an argument the shape of ``--shape``, else of its first example, else ``()``;
    an example has the shapes of its own values.
    Draw 1 (its values, directions and weights) comes from ``rng`` alone, so that ``--seed`` reproduces
    it whatever ``--draws`` says; everything else comes from ``extra``. Values are in ``order``.
    """
    def shape_of(w: str) -> tuple[int, ...]:
        if w in shapes:
            return shapes[w]
        return next((np.shape(e[w]) for e in examples if w in e), ())

    order = {name: i for i, name in enumerate(order)}

    def ordered(values: dict[str, Any]) -> dict[str, Any]:
        return dict(sorted(values.items(), key=lambda item: order.get(item[0], len(order))))

    drawn = [Point(f"draw {d}", ordered({**fixed, **{w: _sample(g, shape_of(w), d) for w in wrt}}), g)
             for d, g in ((d, rng if d == 1 else extra) for d in range(1, max(draws, 1) + 1))]
    first = drawn[0].values
    given = [Point(f"example {i}", ordered({**first, **fixed, **{
        k: as_input(v, f"example {i} of {k}") if k in wrt else v for k, v in example.items()}}), extra)
        for i, example in enumerate(examples, 1)]
    return given + drawn[:draws]

