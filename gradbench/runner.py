"""Run evals against a tool, as GradBench's eval programs do, and validate every answer.

For each eval: ``start``, ``define``, then each evaluate message of ``inputs.plan`` followed by an
``analysis`` carrying the verdict. An answer is valid when it matches the independent reference
(``references.py``, or JAX / PyTorch when installed and asked for) within GradBench's tolerance.

Evals in ``AWAITING`` need what sct does not do yet; the tool answers their ``define`` with
``success: false`` and sct's message, which the runner reports as awaiting support rather than as a
failure. An awaiting eval whose ``define`` succeeds is validated like any other.
"""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, TextIO

from gradbench import inputs, references
from gradbench.client import Client
from gradbench.compare import mismatches

TOOL = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tool.py")]
AWAITING: dict = {}  # eval -> what sct needs for it (none today)


@dataclass
class Result:
    """What happened to one eval: its define answer and one verdict per evaluate message."""

    eval: str
    defined: bool = False
    define_error: Optional[str] = None
    verdicts: List[dict] = field(default_factory=list)

    @property
    def awaiting(self) -> bool:
        """Refused at define as the ``AWAITING`` list expects."""
        return not self.defined and self.eval in AWAITING and "SCTError" in (self.define_error or "")

    @property
    def passed(self) -> bool:
        valid = bool(self.verdicts) and all(v["valid"] for v in self.verdicts)
        return self.awaiting or (self.defined and valid)


Reference = Callable[[str, str, Any, Any], references.Check]


def differences_reference(limit: Optional[int]) -> Reference:
    """Check against ``references.py``: rewritten primals and divided differences."""
    return lambda eval, function, input, output: references.check(eval, function, input, output, limit)


def peer_reference(peer: Any, fallback: Reference) -> Reference:
    """Check against a peer AD tool's answer (``peers.jax_evals`` or ``peers.torch_evals``) where it has
    the function, else against ``fallback``."""
    def check(eval: str, function: str, input: Any, output: Any) -> references.Check:
        expected = peer.answer(eval, function, input)
        if expected is None:
            return fallback(eval, function, input, output)
        return references.Check(mismatches(expected, output), peer.NAME)
    return check


def run_eval(eval: str, sizes: inputs.Sizes, reference: Reference, tool: Any = None, min_runs: int = 1,
             min_seconds: float = 1.0, out: Optional[TextIO] = sys.stdout) -> Result:
    """Drive ``tool`` (a command) through ``eval`` at ``sizes``, printing a line per message to ``out``."""
    result = Result(eval)
    with Client(tool or TOOL) as client:
        client.start(eval, config={"sizes": sizes, "min_runs": min_runs, "min_seconds": min_seconds})
        answer = client.define(eval)
        result.defined = bool(answer.get("success"))
        result.define_error = answer.get("error")
        _say(out, f"[{client.next_id - 1:>3}] def   {eval:<28} {_define_note(result, answer)}")
        if not result.defined:
            return result
        messages = inputs.plan(eval, sizes, min_runs, min_seconds)
        output = None
        while True:
            try:
                function, input, description = messages.send(output)
            except StopIteration:
                break
            answer = client.evaluate(eval, function, input, description)
            verdict = _verdict(reference, eval, function, input, answer)
            client.analysis(client.next_id - 1, verdict["valid"], verdict.get("error"))
            result.verdicts.append(verdict)
            output = answer.get("output")
            _say(out, f"[{client.next_id - 2:>3}] eval  {eval + '::' + function:<16} {description:<14} "
                      f"{_timing_note(answer)} {'✓' if verdict['valid'] else '✗'} {verdict['how']}")
            if not verdict["valid"]:
                _say(out, "      " + verdict["error"].replace("\n", "\n      "))
    return result


def _verdict(reference: Reference, eval: str, function: str, input: Any, answer: dict) -> dict:
    if not answer.get("success"):
        return {"function": function, "valid": False, "how": "failed", "error": answer.get("error") or ""}
    if "output" not in answer:
        return {"function": function, "valid": False, "how": "no output", "error": "success, but no output"}
    timings = [t for t in answer.get("timings") or [] if t.get("name") == "evaluate"]
    runs, _ = _runs(input)
    if len(timings) < runs:
        return {"function": function, "valid": False, "how": "timings",
                "error": f"{len(timings)} evaluate timings for at least {runs} runs"}
    found, how = reference(eval, function, input, answer["output"])
    shown = found[:10]
    error = f"{len(found)} mismatches, showing {len(shown)}:\n" + "\n".join(shown) if found else None
    return {"function": function, "valid": not found, "how": how, "error": error,
            "nanoseconds": [t["nanoseconds"] for t in timings]}


def _runs(input: Any):
    return (input.get("min_runs", 1), input.get("min_seconds", 0)) if isinstance(input, dict) else (1, 0)


def _define_note(result: Result, answer: dict) -> str:
    if result.defined:
        ns = sum(t["nanoseconds"] for t in answer.get("timings") or [])
        return f"{ns / 1e6:9.1f} ms ✓"
    if result.awaiting:
        first = (result.define_error or "").splitlines()[0]
        return f"awaiting support for {AWAITING[result.eval]}: {first}"
    return "✗ " + (result.define_error or "")


def _timing_note(answer: dict) -> str:
    ns = [t["nanoseconds"] for t in answer.get("timings") or [] if t.get("name") == "evaluate"]
    if not ns:
        return " " * 24
    return f"{len(ns):>5} runs, median {statistics.median(ns) / 1e6:9.3f} ms"


def _say(out: Optional[TextIO], line: str) -> None:
    if out is not None:
        print(line, file=out, flush=True)
