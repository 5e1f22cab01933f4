"""A reverse derivative emitted whole that runs its two halves (``<name>_forward``, ``<name>_backward``)."""
from __future__ import annotations

import ast

from ..frontend.names import Namer


def call_halves(main: ast.FunctionDef, forward: str, backward: str, batch: bool = False) -> None:
    """Make the whole reverse derivative ``main`` run the two halves ``forward`` and ``backward``; in vector
    mode the batch of seeds comes shaped (by sct.jacobian), as it does to every vector derivative."""
    args = main.args
    call = ast.Call(func=ast.Name(id=forward, ctx=ast.Load()),
                    args=[ast.Name(id=a.arg, ctx=ast.Load()) for a in args.args[:-1]],
                    keywords=[ast.keyword(arg=a.arg, value=ast.Name(id=a.arg, ctx=ast.Load()))
                              for a in args.kwonlyargs])
    namer = Namer(a.arg for a in args.args + args.kwonlyargs)
    value_name, tape_name = namer.fresh("value"), namer.fresh("tape")
    # the seed checked and shaped as every reverse derivative's is (a helper's backward half takes it as is)
    seed: ast.expr = ast.Name(id=args.args[-1].arg, ctx=ast.Load())
    if not batch:
        seed = ast.Call(func=ast.Name(id="seed_like", ctx=ast.Load()),
                        args=[seed, ast.Name(id=value_name, ctx=ast.Load())], keywords=[])
    backward_call = ast.Call(func=ast.Name(id=backward, ctx=ast.Load()),
                             args=[ast.Name(id=tape_name, ctx=ast.Load()), seed], keywords=[])
    stores = [ast.Name(id=n, ctx=ast.Store()) for n in (value_name, tape_name)]
    pair = ast.Tuple(elts=stores, ctx=ast.Store())
    main.body = [ast.Assign(targets=[pair], value=call, lineno=0),
                 ast.Return(value=ast.Tuple(elts=[ast.Name(id=value_name, ctx=ast.Load()), backward_call],
                                            ctx=ast.Load()))]
    ast.fix_missing_locations(main)
