"""Time to transform functions of 10, 50 and 200 lines, in both modes.

    python benchmarks/transform.py [--repeats R]

Each function is generated deterministically: numpy statements of the kinds a numeric programmer writes
(elementwise maths, reductions, a matrix product, indexing), with a loop and a branch every few lines.
Two times are reported, CPU seconds (median of the repeats): *transform*, the pipeline from the parsed
file to the derivative's AST (resolve, desugar, normalize, activity, transform, optimize), and *+ render*,
that plus writing the standalone module's source with `# line N` comments, as `sct transform` does.
"""
from __future__ import annotations

import argparse
import ast
import statistics
import time

from sct.emit.render import module_source
from sct.frontend.source import ModuleResolver
from sct.pipeline import transform

STATEMENTS = [
    "a = np.sin(x) * y + c",
    "b = np.exp(-a ** 2) / (1.0 + np.sum(y ** 2))",
    "c = np.tanh(b) @ W",
    "y = np.maximum(y, 0.1 * a) + np.log1p(b ** 2)",
    "s = s + np.sum(a * b, axis=0)",
    "x = x + 0.01 * np.sqrt(1.0 + c ** 2)",
]


def make_function(lines: int) -> str:
    """Source of a function ``f(x, y, W)`` with about ``lines`` lines of body."""
    body = ["c = np.zeros(3)", "s = 0.0"]
    i = 0
    while len(body) < lines - 1:
        kind = i % 10
        if kind == 7:
            body += [f"for k in range({2 + i % 3}):", "    y = y + 0.1 * np.cos(x + k)"]
        elif kind == 9:
            body += ["if np.sum(x) > 0:", "    a = a * 2.0", "else:", "    a = a - 1.0"]
        else:
            body.append(STATEMENTS[i % len(STATEMENTS)])
        i += 1
    body.append("return np.sum(x * y) + s + np.sum(c)")
    return "import numpy as np\n\n\ndef f(x, y, W):\n" + "".join(f"    {line}\n" for line in body)


def time_transform(source: str, mode: str, repeats: int) -> tuple:
    """Median CPU seconds to transform ``f`` in ``mode``, and to transform and render it."""
    transform_times, total_times = [], []
    for _ in range(repeats):
        start = time.process_time()
        tree = ast.parse(source)
        resolver = ModuleResolver(tree, "generated.py", source)
        result = transform(resolver.function("f"), ("x", "y"), mode)
        middle = time.process_time()
        module_source(result, "benchmark")
        transform_times.append(middle - start)
        total_times.append(time.process_time() - start)
    return statistics.median(transform_times), statistics.median(total_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    print(f"{'lines':>6} {'mode':>8} {'transform ms':>13} {'+ render ms':>12}")
    for lines in (10, 50, 200):
        source = make_function(lines)
        for mode in ("forward", "reverse"):
            transform_s, total_s = time_transform(source, mode, args.repeats)
            print(f"{lines:>6} {mode:>8} {transform_s * 1e3:>13.1f} {total_s * 1e3:>12.1f}")


if __name__ == "__main__":
    main()
