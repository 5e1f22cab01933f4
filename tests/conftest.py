"""Every property-based test runs the same examples on every machine: hypothesis draws them from a fixed
seed and keeps no example database between runs (a test may still set its own example count)."""
from hypothesis import settings

settings.register_profile("deterministic", derandomize=True, database=None, deadline=None)
settings.load_profile("deterministic")
