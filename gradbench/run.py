"""Run GradBench's evals locally against sct's tool (or any tool command), validating every answer.

    python gradbench/run.py lse gmm                  # GradBench's default sizes
    python gradbench/run.py --small                  # every eval at small sizes
    python gradbench/run.py gmm --set d=2,10 --set k=5 --min-seconds 0
    python gradbench/run.py lse --reference differences   # not against JAX or PyTorch, even if installed

Exit status 0 when every answer of every eval is valid (an eval awaiting support in sct counts as
expected when sct refuses it), 1 otherwise.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the project root

from gradbench import inputs, runner  # noqa: E402
from gradbench.evals import MODULES  # noqa: E402


def _sizes(eval: str, small: bool, settings: list) -> inputs.Sizes:
    sizes = dict((inputs.SMALL if small else inputs.DEFAULT)[eval])
    for setting in settings:
        name, _, values = setting.partition("=")
        if name in sizes:
            sizes[name] = [int(v) for v in values.split(",")]
    return sizes


def _reference(name: str, limit: int) -> runner.Reference:
    fallback = runner.differences_reference(limit)
    if name == "differences":
        return fallback
    from gradbench.peers import available

    peer = available(None if name == "auto" else name)
    if peer is None:
        if name != "auto":
            sys.exit(f"--reference {name}: {name} is not installed")
        return fallback
    return runner.peer_reference(peer, fallback)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("evals", nargs="*", metavar="EVAL",
                        help=f"evals to run (default: all): {', '.join(MODULES)}")
    parser.add_argument("--small", action="store_true", help="small sizes instead of GradBench's defaults")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=V1,V2",
                        help="sizes of one parameter, as the eval's own flag (e.g. d=2,10 for gmm's -d)")
    parser.add_argument("--min-runs", type=int, default=1)
    parser.add_argument("--min-seconds", type=float, default=1.0)
    parser.add_argument("--tool", default=None, help="the tool's command (default: python gradbench/tool.py)")
    parser.add_argument("--reference", choices=["auto", "differences", "jax", "torch"], default="auto",
                        help="what answers are checked against (auto: JAX or PyTorch when installed)")
    parser.add_argument("--limit", type=int, default=64,
                        help="check at most this many entries of a derivative by differences (a random draw)")
    args = parser.parse_args()
    unknown = [e for e in args.evals if e not in MODULES]
    if unknown:
        parser.error(f"unknown eval {unknown[0]!r}; the evals are: {', '.join(MODULES)}")
    reference = _reference(args.reference, args.limit)
    failed = []
    for eval in args.evals or MODULES:
        result = runner.run_eval(eval, _sizes(eval, args.small, args.set), reference, tool=args.tool,
                                 min_runs=args.min_runs, min_seconds=args.min_seconds)
        if not result.passed:
            failed.append(eval)
    print("all valid" if not failed else f"not valid: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
