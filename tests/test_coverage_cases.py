"""The constructs of benchmarks/coverage_cases.py: sct differentiates each exactly or refuses it.

These are the cases the README's comparison table is made from; a case sct gets wrong, or fails on
with anything but an SCTError at transform time, fails here.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import construct_coverage as coverage  # noqa: E402
import coverage_cases  # noqa: E402

import sct  # noqa: E402


@pytest.mark.parametrize("case", coverage_cases.CASES, ids=lambda f: f.__name__)
def test_exact_or_refused(case):
    expected = coverage.richardson_gradient(case, coverage_cases.POINT)
    cell = coverage.verdict(sct.grad, case, coverage_cases.POINT, expected)
    assert cell in ("exact", "refused (SCTError)"), cell


def test_richardson_oracle_is_accurate():
    # the oracle itself, on a function whose gradient is known in closed form
    x = coverage_cases.POINT
    got = coverage.richardson_gradient(lambda v: float((v ** 3).sum()), x)
    assert abs(got - 3 * x ** 2).max() < 1e-9
