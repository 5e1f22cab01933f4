"""The figure scripts of examples/ run headless on small settings and write a real picture (not a blank one).

Each runs as a subprocess in a temporary folder with the Agg backend and no bytecode writes, so nothing
lands in the repository; what each prints is checked against an independent account where it can be.
"""
from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

mpl_image = pytest.importorskip("matplotlib.image")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_figure(script: str, tmp_path: Path, *options: str) -> tuple[str, Path]:
    """Run ``examples/script`` writing ``tmp_path/figure.png``; (its stdout, the PNG path)."""
    before = sorted(p.name for p in EXAMPLES.rglob("*"))
    png = tmp_path / "figure.png"
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, str(EXAMPLES / script), str(png), *options], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in EXAMPLES.rglob("*")) == before, "the script wrote into examples/"
    assert list(tmp_path.iterdir()) == [png], "the script wrote something besides its PNG"
    return done.stdout, png


def assert_real_picture(png: Path, min_bytes: int = 15_000) -> None:
    """A PNG of some size whose pixels are not one colour: a good share of them differ from the background."""
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > min_bytes
    pixels = mpl_image.imread(str(png))[..., :3]
    height, width = pixels.shape[:2]
    assert height >= 250 and width >= 400
    flat = pixels.reshape(-1, 3)
    background = (flat == 1.0).all(axis=1)  # white
    assert 0.03 < 1 - background.mean() < 0.9, "the picture is (nearly) blank"
    colours = {tuple(c) for c in (flat[::7] * 255).round().astype(int)}
    assert len(colours) > 50, "a plot with text, lines and markers antialiased has many shades"


def test_faithful_figure(tmp_path: Path):
    out, png = run_figure("faithful.py", tmp_path)
    assert "Lowest BIC: 2 components" in out and f"Saved {png}" in out
    assert_real_picture(png)


def test_divided_differences_figure_at_the_given_path(tmp_path: Path):
    out, png = run_figure("divided_differences.py", tmp_path)
    assert f"saved {png}" in out
    assert re.search(r"^\s+1e-16\s+3\.000e\+00\s", out, flags=re.M), "x + 1e-16 rounds to x: forward error 3"
    assert_real_picture(png)


def test_dual_program_figure(tmp_path: Path):
    out, png = run_figure("dual_program.py", tmp_path, "--quick")
    assert "forward, reverse and analytic derivatives agree" in out
    assert f"df/dx1 = {1.5 * 0 + 0.5 + math.cos(1.5):.15g}" in out
    assert_real_picture(png)


def test_jacobian_timing_figure(tmp_path: Path):
    out, png = run_figure("jacobian_timing.py", tmp_path, "--quick")
    assert "every Jacobian matches the analytic one" in out
    table = re.findall(r"^\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$", out, flags=re.M)
    rows = [tuple(map(float, r)) for r in table]
    assert len(rows) == 10 and all(t > 0 for r in rows for t in r[2:])  # timings vary: no order asserted
    assert_real_picture(png)


def test_em_steps_figure(tmp_path: Path):
    out, png = run_figure("em_steps.py", tmp_path, "--quick")
    scores = [float(s) for s in re.findall(r"mean log-likelihood (-?[\d.]+)", out)]
    assert len(scores) == 8 and scores == sorted(scores), "EM never lowers the likelihood"
    assert scores[-1] == pytest.approx(-1.4171, abs=1e-3)  # the optimum em_compare.py reaches from k-means
    assert_real_picture(png)


def test_em_compare_figure(tmp_path: Path):
    out, png = run_figure("em_compare.py", tmp_path, "--quick")
    one, two = (float(b) for b in re.findall(r"BIC ([\d.]+)", out))
    assert two < one
    assert_real_picture(png)


def test_model_selection_figure(tmp_path: Path):
    out, png = run_figure("model_selection.py", tmp_path, "--quick")
    rows = re.findall(r"^(full|tied|diag|spherical)\s+(\d)\s+([\d.]+)\s+([\d.]+)$", out, flags=re.M)
    assert len(rows) == 12
    n, d = 272, 2
    for kind, k, bic, aic in rows:
        k = int(k)
        covariance = {"full": k * d * (d + 1) // 2, "tied": d * (d + 1) // 2, "diag": k * d,
                      "spherical": k}[kind]
        parameters = covariance + k * d + k - 1
        assert float(bic) - float(aic) == pytest.approx(parameters * (math.log(n) - 2), abs=0.02)
    assert ("full", "2", "2322.19") in [r[:3] for r in rows]  # the BIC faithful.py prints
    assert "lowest BIC: 2 components, covariance_type='full'" in out
    assert_real_picture(png)
