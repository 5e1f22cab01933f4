"""The two halves of a checkpointed loop's reverse derivative, around its differentiated iteration.

For the loop helper ``f_loop1`` of :mod:`sct.modes.checkpoint`, reverse mode calls
``diff_f_loop1_forward(range(n), s, e, x) -> ((s, e), tape)`` and ``diff_f_loop1_backward(tape, seed)``
like any helper's halves. Inside them, three local functions hand one iteration to the schedule driver
(:func:`sct.runtime.checkpointing.checkpointed_forward` and ``checkpointed_reverse``): ``advance`` runs it
plainly (the primal ``f_loop1_step``, emitted once), ``record`` runs it keeping its tape and ``adjoint``
runs its adjoint (the halves of ``diff_f_loop1_step``, emitted once like any helper's).
"""
from __future__ import annotations

import ast
import types
from typing import List, Tuple

from ..frontend.names import Namer
from ..frontend.source import FunctionSource
from ..frontend.supported import CHECKPOINT_HALF
from ..ir.astutil import clone
from ..runtime.names import RUNTIME_NAMES
from .checkpoint import CheckpointedLoop


def loop_halves(source: FunctionSource, wrt: Tuple[str, ...], module, name: str) -> List[ast.FunctionDef]:
    """``[<name>_forward, <name>_backward]`` for the loop helper ``source`` differentiated along ``wrt``."""
    loop: CheckpointedLoop = source.extra["checkpointed_loop"]
    if not set(wrt) <= set(loop.state + loop.invariants):
        raise source.context.error(source.node, "the sequence a checkpointed loop iterates over is "
                                   "differentiated",
                                   hint="loop over an index: `for k in range(len(a)): u = a[k]`")
    step = loop.step
    caller = types.SimpleNamespace(context=source.context)
    carried = [n for n in loop.state if n in loop.carried or n in wrt]
    along = tuple(carried + [n for n in loop.invariants if n in wrt])
    derived, _ = module.derivative_of_helper(step, along, "reverse", source.node, caller)
    if not any(f.name == step.name for f in module.functions):
        module.functions.append(clone(step.node))  # the plain iteration, which `advance` runs
    names = Namer(set(loop.state) | set(loop.invariants) | set(RUNTIME_NAMES) | module.reserved
                  | {step.name, derived, module.numpy_alias})
    text = _halves_text(loop, wrt, carried, name, derived, names, module.numpy_alias)
    forward, *rest = ast.parse(text).body
    where = ast.Constant(value=f"{CHECKPOINT_HALF}{source.context.filename}:"
                               f"{source.node.lineno + source.context.line_offset}")
    forward.body.insert(0, ast.Expr(value=where))  # a derivative of this half names the user's loop
    return [forward, *rest]


def _halves_text(loop: CheckpointedLoop, wrt, active: List[str], name: str, derived: str, names: Namer,
                 np: str) -> str:
    keys = ("items", "k", "state", "go_on", "run", "advance", "record", "adjoint", "tape", "bars", "plan",
            "steps", "snapshots", "seed")
    local = {key: names.fresh(key) for key in keys}
    state, invariants = loop.state, loop.invariants
    constant = [n for n in invariants if n in wrt]  # read by every iteration: their adjoints add up
    bar = {n: names.fresh(f"{n}_bar") for n in active + constant}
    more = {n: names.fresh(f"{n}_bar_step") for n in constant}
    items, k, st = local["items"], local["k"], local["state"]
    inputs = ", ".join(state + invariants)
    element = f"{items}[{k}]" if loop.counted else k
    unpack = _tuple(state)  # the driver's state is a tuple, even of one variable
    outputs = _target(state + ([local["go_on"]] if loop.stops else []))  # a bare value, or a tuple
    grads = _target([bar[n] for n in active] + [more[n] for n in constant])
    seeds = [bar[n] if n in active else "0.0" for n in state] + (["0.0"] if loop.stops else [])
    seeds = seeds[0] if len(seeds) == 1 else _tuple(seeds)
    returned = _tuple([bar[n] for n in active] + [f"{bar[n]} + {more[n]}" for n in constant])
    params = ([items] if loop.counted else []) + state + invariants
    setting = loop.setting
    snapshots = (str(setting.snapshots) if setting.snapshots is not None
                 else f"checkpoint_snapshots({setting.memory}, {st})")
    limit = f"len({items})" if loop.counted else "None"
    steps = f"checkpoint_trips({limit}, {local['run']}, {st})" if loop.stops else f"len({items})"
    kept = _tuple(constant)
    lines = [f"def {name}_forward({', '.join(params)}):"]
    if loop.stops:
        lines += [f"    def {local['run']}({k}, {st}):",
                  f"        {unpack} = {st}",
                  f"        {outputs} = {loop.step.name}({element}, {inputs})",
                  f"        return {unpack}, {local['go_on']}",
                  f"    def {local['advance']}({k}, {st}):",
                  f"        return {local['run']}({k}, {st})[0]"]
    else:
        lines += [f"    def {local['advance']}({k}, {st}):",
                  f"        {unpack} = {st}",
                  f"        {outputs} = {loop.step.name}({element}, {inputs})",
                  f"        return {unpack}"]
    lines += [f"    def {local['record']}({k}, {st}):",
              f"        {unpack} = {st}",
              f"        ({outputs}), {local['tape']} = {derived}_forward({element}, {inputs})",
              f"        return {unpack}, {local['tape']}",
              f"    def {local['adjoint']}({k}, {local['tape']}, {local['bars']}):",
              f"        {_tuple([bar[n] for n in active + constant])} = {local['bars']}",
              f"        {grads} = {derived}_backward({local['tape']}, {seeds})",
              f"        return {returned}",
              f"    {st} = _kept_copy({unpack})  # the body may write into the arrays it is given",
              f"    {local['steps']} = {steps}",
              f"    {st}, {local['plan']} = checkpointed_forward({local['steps']}, {snapshots}, "
              f"{local['advance']}, {local['record']}, {st})",
              f"    return {st}{'[0]' if len(state) == 1 else ''}, ({local['plan']}, {local['advance']}, "
              f"{local['record']}, {local['adjoint']}, {kept})",
              "",
              f"def {name}_backward({local['tape']}, {local['seed']}):",
              f"    {local['plan']}, {local['advance']}, {local['record']}, {local['adjoint']}, "
              f"{kept if constant else '_'} = {local['tape']}"]
    if len(state) == 1:
        lines.append(f"    {bar.get(state[0], '_')} = {local['seed']}")
    else:
        lines.append(f"    {', '.join(bar.get(n, '_') for n in state)} = {local['seed']}")
    zeros = [bar[n] for n in active] + [f"{np}.zeros_like({n}, dtype=float)" for n in constant]
    lines += [f"    {local['bars']} = checkpointed_reverse({local['plan']}, {local['advance']}, "
              f"{local['record']}, {local['adjoint']}, {_tuple(zeros)})",
              f"    {_tuple([bar[n] for n in active + constant])} = {local['bars']}",
              f"    return {_target([bar[n] for n in active + constant if n in wrt])}"]
    return "\n".join(lines) + "\n"


def _tuple(names: List[str]) -> str:
    """``(a, b)``, ``(a,)``, ``()``: a tuple to build or unpack into."""
    return "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"


def _target(names: List[str]) -> str:
    """``a, b``, or ``a`` alone: what a function returning a tuple or one bare value is unpacked into."""
    return ", ".join(names)
