"""Render the derivatives of every function collection in the repository, to compare two versions of sct.

    python benchmarks/emitted_corpus.py --write OUT.json      # render with the sct on PYTHONPATH
    python benchmarks/emitted_corpus.py --compare A.json B.json

Each function of the collections below is derived in forward and reverse mode (the API's ``.source``, and
the module ``sct transform --function`` writes, ``# line N`` comments included) and at second order (hessian,
hvp, jacobian in both modes); a refusal is recorded by its message. ``--compare`` reports the renderings
that differ, byte for byte: a change meant to leave emitted code alone must report none.
"""
from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import sys
import warnings
from pathlib import Path

import sct  # the sct on PYTHONPATH, imported before this checkout's folders join the path
from sct.cli.module import read_source, select_functions, transform_file
from sct.emit.render import module_source
from sct.frontend.source import ModuleResolver
from sct.pipeline import transform

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

MODULES = ["coverage_cases", "det_by_minors", "handwritten", "mixtures.loglik", "higher_cases",
           "elementwise_cases", "nested_problems", "programs_gen2"]
PACKAGES = ["gradbench/evals", "tests/programs"]
FILES = ["mixtures/loglik.py", "benchmarks/coverage_cases.py", "benchmarks/det_by_minors.py",
         "tests/programs/control_flow.py", "tests/programs/review_programs.py", "tests/programs/recursion.py",
         "tests/programs/shift_programs.py", "tests/programs/idiom_programs.py"]
MAKERS = {
    "forward": lambda f: sct.forward(f),
    "reverse": lambda f: sct.reverse(f),
    "hessian": lambda f: sct.hessian(f),
    "hvp": lambda f: sct.hvp(f),
    "jacobian_forward": lambda f: sct.jacobian(f, mode="forward"),
    "jacobian_reverse": lambda f: sct.jacobian(f, mode="reverse"),
}


TREES = (str(ROOT), str(Path(sct.__file__).resolve().parents[1]))  # this checkout, the sct that renders


def _attempt(make) -> str:
    try:
        return make()
    except Exception as exc:  # a refusal (or a crash) is part of what is compared, wherever the files lie
        message = f"!{type(exc).__name__}: {exc}"
        for tree in TREES:
            message = message.replace(tree, "<tree>")
        return message


def module_names() -> list:
    names = list(MODULES)
    for package in PACKAGES:
        dotted = package.replace("/", ".").removeprefix("tests.")
        names += [f"{dotted}.{p.stem}" for p in sorted((ROOT / package).glob("*.py")) if p.stem != "__init__"]
    return names


def functions_of(module) -> list:
    return [(name, f) for name, f in vars(module).items()
            if inspect.isfunction(f) and f.__module__ == module.__name__ and inspect.signature(f).parameters]


def generated_functions(out: dict) -> None:
    """The functions benchmarks/transform.py times, rendered as it renders them."""
    from transform import make_function
    for lines in (10, 50, 200):
        source = make_function(lines)
        for mode in ("forward", "reverse"):
            def render(source=source, mode=mode):
                tree = ast.parse(source)
                function = ModuleResolver(tree, "generated.py", source).function("f")
                result = transform(function, ("x", "y"), mode)
                return module_source(result, "benchmark")
            out[f"transform.py:{lines}:{mode}"] = _attempt(render)


def render_all() -> dict:
    out: dict = {}
    generated_functions(out)
    for path in FILES:
        for name in select_functions(read_source(ROOT / path), None):
            for mode in ("forward", "reverse"):
                out[f"file:{path}:{name}:{mode}"] = _attempt(
                    lambda p=path, n=name, m=mode: transform_file(ROOT / p, [n], mode=m).text)
    for name in module_names():
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            out[f"import:{name}"] = f"!{type(exc).__name__}: {exc}"
            continue
        for fname, func in functions_of(module):
            for kind, make in MAKERS.items():
                out[f"{name}.{fname}:{kind}"] = _attempt(lambda m=make, f=func: m(f).source)
    return out


def compare(before_path: str, after_path: str) -> int:
    before, after = (json.loads(Path(p).read_text()) for p in (before_path, after_path))
    keys = sorted(set(before) | set(after))
    differ = [k for k in keys if before.get(k) != after.get(k)]
    rendered = sum(1 for k in keys if not before.get(k, "!").startswith("!"))
    print(f"{len(keys)} renderings compared ({rendered} derivatives, {len(keys) - rendered} refusals); "
          f"{len(differ)} differ")
    for key in differ:
        print("  differs:", key)
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write")
    parser.add_argument("--compare", nargs=2)
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    warnings.simplefilter("ignore")
    print("rendering with", sct.__file__, file=sys.stderr)
    Path(args.write).write_text(json.dumps(render_all(), indent=0, sort_keys=True))


if __name__ == "__main__":
    main()
