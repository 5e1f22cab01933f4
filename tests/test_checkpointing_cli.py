"""Binomial checkpointing in reverse mode (tests/test_checkpointing_*.py) on the command line.

The module ``sct transform --checkpoints`` writes runs standalone and agrees with central differences;
forward mode refuses checkpoints.
"""
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from checkpointing_support import central

STEPPER = '''
import numpy as np


def relax(u, k, n):
    s = u
    e = 0.0
    for i in range(n):
        s = s + k * (np.roll(s, 1) - 2.0 * s + np.roll(s, -1))
        if i % 2 == 0:
            e = e + np.sum(s ** 2)
    return e
'''


def test_the_cli_module_runs_standalone(tmp_path: Path):
    (tmp_path / "stepper.py").write_text(STEPPER)
    out = tmp_path / "grads.py"
    subprocess.run([sys.executable, "-m", "sct", "transform", str(tmp_path / "stepper.py"),
                    "--mode", "reverse", "--wrt", "u,k", "--checkpoints", "2", "-o", str(out)],
                   check=True, capture_output=True)
    text = out.read_text()
    assert "import sct" not in text and "checkpointed_forward(steps, 2," in text
    assert "--checkpoints 2" in text  # the command that regenerates it
    spec = importlib.util.spec_from_file_location("grads", out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    namespace: dict = {}
    exec(STEPPER, namespace)
    u = np.linspace(0.0, 1.0, 6)
    value, (u_bar, k_bar) = module.diff_relax(u, 0.1, 11)
    assert value == pytest.approx(namespace["relax"](u, 0.1, 11))
    np.testing.assert_allclose(u_bar, central(lambda v: namespace["relax"](v, 0.1, 11), u), rtol=1e-6)
    k_expected = (namespace["relax"](u, 0.1 + 1e-6, 11) - namespace["relax"](u, 0.1 - 1e-6, 11)) / 2e-6
    assert k_bar == pytest.approx(k_expected, rel=1e-6)


def test_the_cli_refuses_checkpoints_in_forward_mode(tmp_path: Path):
    (tmp_path / "stepper.py").write_text(STEPPER)
    done = subprocess.run([sys.executable, "-m", "sct", "transform", str(tmp_path / "stepper.py"),
                           "--checkpoints", "2", "--print"], capture_output=True, text=True)
    assert done.returncode != 0 and "--mode reverse" in done.stderr
