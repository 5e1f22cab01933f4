"""The scripts in examples/ run in seconds, print what they promise and exit 0 (run as subprocesses)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name: str, *args: str, cwd: Path) -> str:
    """Run ``examples/name`` in ``cwd``, headless and writing no bytecode; its stdout, if it exited 0."""
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_lecture_prints_dual_program_adjoint_and_checked_values(tmp_path: Path):
    out = run_example("lecture.py", cwd=tmp_path)
    forward, reverse = out.split("# Reverse mode")
    assert "def diff_f(x1, x2, x1_dot, x2_dot):" in forward
    for line in ("w3_dot = x1_dot * x2 + x1 * x2_dot", "w4_dot = np.cos(x1) * x1_dot",
                 "w5_dot = w3_dot + w4_dot", "return w5, w5_dot"):
        assert line in forward
    assert "def diff_f(x1, x2, seed=1.0):" in reverse and "return w5, (x1_bar, x2_bar)" in reverse
    assert "forward, reverse and analytic derivatives agree" in out


def test_lecture_at_another_point(tmp_path: Path):
    assert "agree" in run_example("lecture.py", "-0.3", "2.0", cwd=tmp_path)


def test_newton_converges_quadratically(tmp_path: Path):
    out = run_example("newton.py", cwd=tmp_path)
    assert "converged in" in out and "2.0945514815423" in out
    ratios = [float(m) for m in re.findall(r"e[+-]\d\d\s+(\d+\.\d{4})$", out, flags=re.M)]
    assert len(ratios) >= 3
    assert ratios[-1] == pytest.approx(0.5630, abs=2e-3), "|e_k|/|e_k-1|^2 tends to |f''/2f'| at the root"


def test_newton_from_another_start(tmp_path: Path):
    out = run_example("newton.py", "1.0", cwd=tmp_path)
    assert "converged in 9 steps" in out


def test_divided_differences_table_and_plot(tmp_path: Path):
    out = run_example("divided_differences.py", cwd=tmp_path)
    assert "f'(1) = 3.0" in out
    rows = re.findall(r"^\s+1e-(\d\d)\s+(\S+)\s+(\S+)$", out, flags=re.M)
    assert len(rows) == 16
    errors = {int(k): (float(fe), float(ce)) for k, fe, ce in rows}
    assert errors[1][0] == pytest.approx(0.31) and errors[1][1] == pytest.approx(0.01)
    assert errors[5][1] < 1e-9 < errors[5][0], "central beats forward differences at moderate h"
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "no plot" in out
    else:
        assert (tmp_path / "divided_differences.png").read_bytes().startswith(b"\x89PNG")


def test_grid_search_prints_what_the_readme_shows(tmp_path: Path):
    pytest.importorskip("sklearn")
    out = run_example("grid_search.py", cwd=tmp_path)
    readme = (EXAMPLES.parent / "README.md").read_text()
    assert out.startswith("best: {'covariance_type': 'tied', 'n_components': 2}")
    assert f"```\n{out}```" in readme, "README's model-selection output is stale"


def test_dask_example_finds_the_three_blobs(tmp_path: Path):
    pytest.importorskip("distributed")
    out = run_example("dask_mixture.py", "60000", cwd=tmp_path)
    assert "60000 rows x 3 features in 2 chunks on 2 workers" in out
    bics = [float(b) for b in re.findall(r"^\s+\d \|\s+(\S+) \|", out, flags=re.M)]
    assert len(bics) == 4 and min(bics) == bics[2]
    assert "lowest BIC: 3 components" in out
    weights = [float(w) for w in re.search(r"weights: \[(.*)\]", out).group(1).split()]
    assert weights == pytest.approx([0.5, 0.2, 0.3], abs=0.01)
    counts = [int(c) for c in re.search(r"rows per component: \[(.*)\]", out).group(1).split()]
    assert sum(counts) == 60000
