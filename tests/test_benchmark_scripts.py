"""Smoke tests of benchmarks/speed_targets.py, emitted_length.py and gmm_gradient.py's plain formulation
at tiny sizes: they run, their checks see agreement where there is agreement, their tables render.
No timing is asserted."""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _peers  # noqa: E402
import emitted_length  # noqa: E402
import gmm_gradient  # noqa: E402
import speed_targets  # noqa: E402

from gradbench import evals  # noqa: E402

TOOLS = {"sct": evals, "hand": speed_targets.HandWritten, "jax": "jax is not installed"}


def test_speed_targets_rows_check_the_hand_written_derivative():
    rows = [speed_targets.measure(eval, sizes, TOOLS, budget=0.0)
            for eval, sizes in [("lse", {"n": [7]}), ("kmeans", {"k": [3], "n": [12], "d": [2]}),
                                ("gmm", {"d": [3], "k": [2], "n": [5]})]]
    for row in rows:
        assert row["hand"]["agrees"], row
        assert row["sct"]["derivative"]["peak_bytes"] > 0
    text = speed_targets.table(rows)
    assert text.count("\n| ") == len(rows) and "n/a: jax is not installed" in text and " !" not in text


def test_speed_targets_sizes_cover_the_grid_smallest_first():
    sizes = speed_targets.each_size(speed_targets.SIZES["gmm"])
    assert len(sizes) == 30 and sizes[0] == {"d": [2], "k": [5], "n": [1000]}
    assert sizes[-1] == {"d": [64], "k": [200], "n": [1000]}


def test_emitted_length_counts_the_loops_of_ode():
    row = emitted_length.measure("ode")
    assert row["source_loop_lines"] > 0 and row["emitted_loop_lines"] > row["source_loop_lines"]
    assert row["emitted_lines"] > row["source_lines"] > 0
    assert "| ode |" in emitted_length.table([row])


def test_gmm_plain_formulation_is_checked_against_the_hand_written_gradient():
    problem = (*gmm_gradient.make_problem(7, 3, 2), gmm_gradient.GAMMA, gmm_gradient.WISHART_M)
    args = argparse.Namespace(budget=0.0, repeats=1, tolerance=1e-8)
    measured = gmm_gradient.measure_plain(problem, _peers.sct_plain(), args)
    assert measured["status"] == "ok", measured
    # the other objective (ADBench's prior sign): a different gradient, which the check must see
    wrong = _peers.sct()
    assert gmm_gradient.relative_error(wrong(*problem), _peers.hand_plain(*problem)) > 1e-3
    assert np.isfinite(measured["grad_s"])
