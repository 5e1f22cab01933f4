"""Property-based tests draw the same examples on every run (tests/conftest.py)."""
from hypothesis import given, settings
from hypothesis import strategies as st

_drawn = []


@settings(max_examples=5)
@given(st.floats(-1e3, 1e3))
def _draw(x):
    _drawn.append(x)


def test_examples_are_the_same_on_every_run():
    assert settings.default.derandomize and settings.default.database is None
    _draw()
    first = list(_drawn)
    _drawn.clear()
    _draw()
    assert first == _drawn and len(first) == 5
