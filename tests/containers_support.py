"""The point shared by the container tests (tests/test_containers_round2_*.py)."""
from __future__ import annotations

import numpy as np

X = np.array([0.3, -0.7, 1.1])
