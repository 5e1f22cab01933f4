"""sct's GradBench tool: reads one JSON message per line on standard input, writes one JSON response
per line on standard output (see ``protocol.py``), and stops at the end of its input.

Run it from the project root, with the project installed: ``python gradbench/tool.py``.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the project root

from gradbench.protocol import Tool  # noqa: E402


def main() -> int:
    tool = Tool()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            response = tool.respond(message)
        except ValueError as err:  # not a message at all: there is no id to answer to
            print(f"sct gradbench tool: bad message {line.strip()[:200]!r}: {err}", file=sys.stderr)
            return 2
        sys.stdout.write(json.dumps(response, allow_nan=False) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
