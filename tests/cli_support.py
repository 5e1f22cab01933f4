"""Shared by the CLI tests: a sample input file, running the CLI in-process, loading emitted modules."""
from __future__ import annotations

import importlib.util
import math
import textwrap
from pathlib import Path

from click.testing import CliRunner

from sct.cli.main import main

FUNCTION_PY = '''\
"""The lecture's example, with a helper and a module constant."""
import numpy as np
from math import sin

SHIFT = np.log(2 * np.pi)


def square_plus(a):
    return a * a + SHIFT


def f(x1, x2):
    w3 = x1 * x2
    w4 = sin(x1)
    w5 = w3 + square_plus(w4)
    return w5


def _private(z):
    return z * 3.0


def main():
    print(f(1.0, 2.0))
'''


def f_reference(x1: float, x2: float) -> float:
    """``f`` of FUNCTION_PY, written out."""
    return x1 * x2 + math.sin(x1) ** 2 + math.log(2 * math.pi)


def central(func, args: list, index: int, h: float = 1e-6) -> float:
    """d func / d args[index] by central differences."""
    plus, minus = list(args), list(args)
    plus[index] += h
    minus[index] -= h
    return (func(*plus) - func(*minus)) / (2 * h)


def load(path: Path):
    """Import the emitted module at ``path`` under a fresh name."""
    spec = importlib.util.spec_from_file_location(f"emitted_{path.stem}_{id(path)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str):
    """Invoke the CLI in-process; stdout and stderr are kept apart."""
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 mixes them unless told not to
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always keeps result.stderr apart
    return runner.invoke(main, list(args))


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented) to ``tmp_path / name``."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def assert_input_error(result, *fragments: str) -> None:
    """Exit status 2, no traceback, and each fragment in the error message."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr

