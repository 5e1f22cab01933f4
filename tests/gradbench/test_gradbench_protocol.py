"""sct's GradBench tool speaks the protocol: a transcript replayed end to end through the real tool
(a subprocess reading stdin, writing stdout), then EOF, which ends it; and a line that is not a
message, which stops it with a message on stderr."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = [sys.executable, str(ROOT / "gradbench" / "tool.py")]
LINES = (Path(__file__).parent / "transcript.jsonl").read_text().splitlines()
TRANSCRIPT = [json.loads(line) for line in LINES if line.strip()]


@pytest.fixture(scope="module")
def replayed():
    """Every message of the transcript sent to one tool, then its input closed."""
    stdin = "".join(json.dumps(step["send"]) + "\n" for step in TRANSCRIPT)
    done = subprocess.run(TOOL, input=stdin, capture_output=True, text=True, timeout=120, cwd="/")
    return done, done.stdout.splitlines()


def test_one_line_per_message_and_eof_ends_the_tool(replayed):
    done, lines = replayed
    assert done.returncode == 0, done.stderr
    assert len(lines) == len(TRANSCRIPT)
    for line in lines:
        assert isinstance(json.loads(line, parse_constant=_refuse), dict)  # strict JSON: no NaN, no Infinity


def _refuse(constant):
    raise AssertionError(f"the tool wrote {constant}, which is not JSON")


@pytest.mark.parametrize("step", range(len(TRANSCRIPT)), ids=lambda i: TRANSCRIPT[i]["send"].get("kind", "?"))
def test_response(replayed, step):
    expected = TRANSCRIPT[step]
    response = json.loads(replayed[1][step])
    for key, value in expected["expect"].items():
        assert response[key] == value, (key, response)
    if response.get("success") is False:
        assert expected["error"] in response["error"]
        assert "output" not in response
    for name, runs in expected.get("timings", {}).items():
        timings = [t for t in response["timings"] if t["name"] == name]
        assert len(timings) >= runs
        assert all(isinstance(t["nanoseconds"], int) and t["nanoseconds"] > 0 for t in timings)
        assert sum(t["nanoseconds"] for t in timings) >= expected.get("seconds", 0) * 1e9
    if "timings" not in expected and "success" in response:
        assert response["success"] is False or response.get("timings") == []


def test_a_line_that_is_not_a_message_stops_the_tool():
    stdin = '{"id": 0, "kind": "start"}\nnot json\n'
    done = subprocess.run(TOOL, input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout.splitlines() == ['{"id": 0, "tool": "sct"}']
    assert "bad message" in done.stderr
