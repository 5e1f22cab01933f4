"""The GradBench tool lives in the top-level ``gradbench/`` folder, outside the installed packages."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
