"""The tool's side of GradBench's protocol: one response for each message.

Messages and responses are JSON objects with the message's ``id``:

- ``start`` -> ``{"id", "tool": "sct"}``;
- ``define`` (a ``module``) -> ``{"id", "success", "timings": [{"name": "define", ...}]}``, or
  ``success: false`` with the ``error`` (an unknown module, or what sct refused);
- ``evaluate`` (``module``, ``function``, ``input``) -> ``{"id", "success", "output", "timings"}`` with
  one ``{"name": "evaluate", "nanoseconds": ...}`` per run: at least ``min_runs`` runs and
  ``min_seconds`` of them when the input asks; an exception becomes ``success: false`` and its message;
- ``analysis`` (the eval's verdict on an earlier answer) -> ``{"id"}``.
"""

from __future__ import annotations

import json
import time
import traceback
from typing import Any, Callable, Dict, Optional

from gradbench import evals
from gradbench.timing import repeat, run_counts

Define = Callable[[str], Dict[str, evals.Function]]


class Tool:
    """Answers messages in order; keeps the modules defined so far and the analyses received."""

    def __init__(self, define: Define = evals.define):
        self._define = define
        self.modules: Dict[str, Dict[str, evals.Function]] = {}
        self.analyses: Dict[Any, dict] = {}

    def respond(self, message: Any) -> dict:
        """The response to ``message`` (a decoded JSON object)."""
        if not isinstance(message, dict) or "id" not in message:
            raise ValueError(f"a message must be a JSON object with an id, got {message!r}")
        kind = message.get("kind")
        handler = {"start": self._start, "define": self._define_module, "evaluate": self._evaluate,
                   "analysis": self._analysis}.get(kind)
        if handler is None:
            return {"id": message["id"], "success": False, "error": f"unknown message kind {kind!r}"}
        return {"id": message["id"], **handler(message)}

    def _start(self, message: dict) -> dict:
        return {"tool": "sct"}

    def _define_module(self, message: dict) -> dict:
        name = message.get("module")
        start = time.perf_counter_ns()
        try:
            functions = self._define(name)
        except Exception as err:  # an unknown module, or a primal sct refuses: the eval is told why
            return {"success": False, "error": _message(err)}
        elapsed = time.perf_counter_ns() - start
        self.modules[name] = functions
        return {"success": True, "timings": [{"name": "define", "nanoseconds": elapsed}]}

    def _evaluate(self, message: dict) -> dict:
        try:
            function = self._function(message.get("module"), message.get("function"))
            input = message.get("input")
            min_runs, min_seconds = run_counts(input)
            args = function.prepare(input)
            result, timings = repeat(function.compute, args, min_runs, min_seconds)
            output = _finite(function.output(result))
        except Exception as err:
            return {"success": False, "error": _message(err)}
        return {"success": True, "output": output,
                "timings": [{"name": "evaluate", "nanoseconds": ns} for ns in timings]}

    def _function(self, module: Optional[str], name: Optional[str]) -> evals.Function:
        if module not in self.modules:
            raise ValueError(f"module {module!r} is not defined (send a define message first)")
        functions = self.modules[module]
        if name not in functions:
            raise ValueError(f"module {module!r} has no function {name!r}; it has: {', '.join(functions)}")
        return functions[name]

    def _analysis(self, message: dict) -> dict:
        self.analyses[message.get("of")] = {"valid": message.get("valid"), "error": message.get("error")}
        return {}


def _finite(output: Any) -> Any:
    """``output``, which JSON can carry: NaN and infinity have no JSON spelling, so they are refused."""
    try:
        json.dumps(output, allow_nan=False)
    except ValueError:
        raise ValueError("the output holds NaN or infinity, which JSON cannot carry") from None
    return output


def _message(err: Exception) -> str:
    """The exception as one would read it at a prompt: ``Type: message``."""
    return "".join(traceback.format_exception_only(type(err), err)).strip()
