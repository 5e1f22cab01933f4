"""A Jacobian (either mode) as the input of sct again (nested AD through ``sct.jacobian(f)``).

The vector-mode code a Jacobian runs is not transformed again; what stands in for it is a small live
function with source that builds the same matrix from the forward derivative of ``f`` (whose own stand-in
:mod:`sct.higher.compose` makes), one unit direction at a time::

    def jacobian_f(x, y):
        shape_ = numpy.shape(x)
        eye_ = numpy.eye(numpy.size(x))
        columns_ = []
        for i_ in range(numpy.size(x)):
            value_, column_ = forward_f(x, y, numpy.reshape(eye_[i_], shape_))
            columns_.append(column_)
        stacked_ = numpy.stack(columns_, axis=-1)
        return numpy.reshape(stacked_, numpy.shape(column_) + shape_)

It returns what calling the Jacobian returns (``out.shape + x.shape``), and is made again when the forward
derivative is emitted again.
"""
from __future__ import annotations

import inspect
from typing import Callable

import numpy

from ..api import forward
from ..emit.render import run_source
from ..errors import SCTError

_COUNTER = [0]


def jacobian_stand_in(jacobian) -> Callable:
    """The live function with source that stands for the forward-mode ``jacobian`` (a
    :class:`sct.higher.derivatives.Jacobian`) when sct differentiates it again."""
    kinds = {p.kind for p in inspect.signature(jacobian.original).parameters.values()}
    if kinds - {inspect.Parameter.POSITIONAL_OR_KEYWORD}:
        raise SCTError(f"cannot differentiate {jacobian!r} again: its function takes *args, **kwargs, "
                       "keyword-only or positional-only parameters", hint="give it plain parameters")
    inner = forward(jacobian.original, jacobian.wrt).__sct_function__()
    made = getattr(jacobian, "_stand_in", None)
    if made is not None and made[0] is inner:
        return made[1]
    params = list(inspect.signature(jacobian.original).parameters)
    taken = set(params)

    def local(base: str) -> str:
        while base in taken:
            base += "_"
        taken.add(base)
        return base

    np, shape, eye, columns, i, value, column, stacked = (local(n) for n in (
        "numpy_", "shape_", "eye_", "columns_", "i_", "value_", "column_", "stacked_"))
    x = jacobian.wrt
    direction = f"{np}.reshape({eye}[{i}], {shape})"
    _COUNTER[0] += 1
    name = f"jacobian_{jacobian.original.__name__}"
    body = [f"{shape} = {np}.shape({x})",
            f"{eye} = {np}.eye({np}.size({x}))",
            f"{columns} = []",
            f"for {i} in range({np}.size({x})):",
            f"    {value}, {column} = {inner.__name__}({', '.join(params + [direction])})",
            f"    {columns}.append({column})",
            f"{stacked} = {np}.stack({columns}, axis=-1)",
            f"return {np}.reshape({stacked}, {np}.shape({column}) + {shape})"]
    text = f"def {name}({', '.join(params)}):\n" + "".join(f"    {line}\n" for line in body)
    namespace = {np: numpy, inner.__name__: inner}
    run_source(text, f"<sct stand-in #{_COUNTER[0]} for {jacobian!r}>", namespace)
    function = namespace[name]
    function.__defaults__ = jacobian.original.__defaults__
    function.__kwdefaults__ = jacobian.original.__kwdefaults__
    function.__sct_remake__ = lambda: jacobian_stand_in(jacobian)
    jacobian._stand_in = (inner, function)
    return function
