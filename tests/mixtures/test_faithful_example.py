"""examples/faithful.py runs end to end, with and without matplotlib."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "faithful.py"
# runs the example with matplotlib made unimportable
WITHOUT_MATPLOTLIB = (
    "import runpy, sys; sys.modules['matplotlib'] = None; "
    "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)


def run_example(tmp_path, *prefix):
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    output = tmp_path / "faithful.png"
    result = subprocess.run(
        [sys.executable, *prefix, str(EXAMPLE), str(output)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    bic_lines = re.findall(r"^(\d) component\(s\): BIC = (\d+\.\d+)$", result.stdout, flags=re.MULTILINE)
    assert [k for k, _ in bic_lines] == ["1", "2", "3", "4"]
    assert "Lowest BIC: 2 components" in result.stdout
    return result.stdout, output


def test_faithful_example_saves_png(tmp_path):
    pytest.importorskip("matplotlib")
    stdout, output = run_example(tmp_path)
    assert f"Saved {output}" in stdout
    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_faithful_example_without_matplotlib(tmp_path):
    stdout, output = run_example(tmp_path, "-c", WITHOUT_MATPLOTLIB)
    assert "plotting skipped" in stdout and not output.exists()
