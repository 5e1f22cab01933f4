"""The eval's side of the protocol: start a tool as a subprocess and exchange messages with it."""

from __future__ import annotations

import json
import shlex
import subprocess
from typing import Any, Optional, Sequence, Union


class ProtocolError(RuntimeError):
    """The tool broke the protocol: it closed its output, wrote something that is not a JSON object,
    or answered with another id."""


class Client:
    """A running tool: ``send(message)`` returns its response; ids are numbered from 0 as GradBench does."""

    def __init__(self, command: Union[str, Sequence[str]], cwd: Optional[str] = None):
        args = shlex.split(command) if isinstance(command, str) else list(command)
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        cwd=cwd)
        self.next_id = 0
        self.transcript: list = []  # (message, response) pairs

    def send(self, message: dict) -> dict:
        message = {"id": self.next_id, **message}
        self.next_id += 1
        line = json.dumps(message, allow_nan=False)
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise ProtocolError(f"the tool closed its output instead of answering {line[:200]}")
        try:
            response = json.loads(answer)
        except json.JSONDecodeError as err:
            raise ProtocolError(f"the tool answered with something not JSON: {answer[:200]!r}") from err
        if not isinstance(response, dict) or response.get("id") != message["id"]:
            raise ProtocolError(f"expected a response with id {message['id']}, got {answer[:200]!r}")
        self.transcript.append((message, response))
        return response

    def start(self, eval: str, config: Any = None) -> dict:
        message = {"kind": "start", "eval": eval}
        if config is not None:
            message["config"] = config
        return self.send(message)

    def define(self, module: str) -> dict:
        return self.send({"kind": "define", "module": module})

    def evaluate(self, module: str, function: str, input: Any, description: Optional[str] = None) -> dict:
        message = {"kind": "evaluate", "module": module, "function": function, "input": input}
        if description:
            message["description"] = description
        return self.send(message)

    def analysis(self, of: int, valid: bool, error: Optional[str] = None) -> dict:
        message = {"kind": "analysis", "of": of, "valid": valid}
        if error is not None:
            message["error"] = error
        return self.send(message)

    def close(self, timeout: float = 30.0) -> int:
        """Close the tool's input (EOF) and wait for it to end; returns its exit status."""
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.process.stdout.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            try:
                self.close()
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
