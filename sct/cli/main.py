"""The command line: ``sct transform`` writes a derivative module, ``sct check`` tests it numerically.

Errors in the user's input (a missing file, a syntax error, an unknown function, a construct sct cannot
differentiate, an output file that exists) are printed as one located message and exit with status 2;
``--debug`` shows the traceback instead.
"""
from __future__ import annotations

import linecache
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from .. import __version__
from ..errors import SCTError
from ..frontend.checkpoint_marker import checkpoint_setting
from ..frontend.namespace import unmark
from ..pipeline import print_stage
from .module import CLIError, default_output, read_source, select_functions, transform_file

EXIT_INPUT = 2
EXIT_INTERNAL = 3

_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

_MAIN_EPILOG = """\b
Examples:
  sct transform function.py                  # writes diff_function.py beside it
  sct transform model.py --function loglik --mode reverse --wrt means,icf -o grads.py
  sct transform function.py --print          # the emitted source on stdout
  sct check function.py --function f         # derivatives vs divided differences, as a table

\b
Exit status: 0 success; 1 `sct check` found an error above tolerance; 2 bad input (missing file, syntax
error, unknown function, unsupported construct, existing output file); 3 an internal error of sct.
"""

_TRANSFORM_EPILOG = """\b
Examples:
  sct transform function.py                  # every public function -> diff_function.py
  sct transform model.py --function loglik --mode reverse --wrt means,icf -o grads.py
  sct transform function.py --print --no-comments

\b
The emitted module defines diff_<name> for each function:
  forward:  diff_f(*args, *tangents) -> (value, value_dot), one tangent per --wrt parameter
  reverse:  diff_f(*args, seed=1.0)  -> (value, grads), grads bare for one --wrt parameter, else a tuple
"""

_CHECK_EPILOG = """\b
Examples:
  sct check function.py                      # every public function, scalar inputs
  sct check model.py --function loglik --shape means=3,2 --shape x=10,2 --value k=3
  sct check function.py --seed 1 --tol 1e-8 --draws 10
  sct check model.py --function loglik --input 'x=[[1.0, -2.0], [0.5, 3.0]]' --input k=1e-3

\b
Examples in the file: a module-level dict from function names to arguments (or to a list of them);
each is a point checked first, its values give the random draws their shapes:
  SCT_EXAMPLES = {"loglik": {"x": [[1.0, -2.0], [0.5, 3.0]]}, "f": [{"x1": 0.0}, {"x1": -3.0}]}

\b
Each row compares one argument in one mode with the central difference (f(x+hv) - f(x-hv)) / 2h along a
random direction v (v = 1 for a scalar argument), weighted by a random output seed u (u = 1 for a scalar
output): "derivative" is u.J.v from sct, "difference" the same from f alone. A row is ok within --tol,
"noisy" (not counted) where halving h changes the difference by more than the error, "kink" (not
counted) where the one-sided differences disagree at a point with zeros, else FAIL.
"""


@click.group(context_settings=_SETTINGS, epilog=_MAIN_EPILOG)
@click.version_option(__version__, "-V", "--version", prog_name="sct")
def main() -> None:
    """sct: automatic differentiation of Python/numpy code by source transformation.

    `sct transform` reads a Python file (without running it) and writes a standalone module with the
    derivative of its functions, in forward or reverse mode. `sct check` imports a file and compares
    those derivatives with divided differences.
    """


def _split(values: Sequence[str]) -> list[str]:
    """``("a,b", "c")`` -> ``["a", "b", "c"]``; an empty name is a usage error."""
    names = [part.strip() for value in values for part in value.split(",")]
    if any(not name for name in names):
        raise click.BadParameter(f"empty name in {', '.join(values)!r}")
    return names


@main.command(context_settings=_SETTINGS, epilog=_TRANSFORM_EPILOG,
              short_help="Write the derivative of a file's functions as a module (never runs the file).")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-f", "--function", "functions", multiple=True, metavar="NAME[,NAME...]",
              help="Function(s) to differentiate; repeat or separate with commas. Default: every public "
                   "top-level function that takes parameters (names not starting with '_'), one diff_<name> "
                   "each, all in one module. Helpers they call are differentiated as needed.")
@click.option("-m", "--mode", type=click.Choice(["forward", "reverse"]), default="forward", show_default=True,
              help="forward: tangent code, one Jacobian column per call (best for few inputs). reverse: "
                   "adjoint code, a whole gradient per call (best for scalar outputs such as a likelihood).")
@click.option("-w", "--wrt", "wrt", multiple=True, metavar="PARAM[,PARAM...]",
              help="Parameters to differentiate with respect to, e.g. --wrt means,icf. Default: the first "
                   "parameter. Applies to every function transformed; without --function, selects the public "
                   "functions that have all these parameters.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the module. Default: diff_<file>.py beside the input.")
@click.option("--print", "to_stdout", is_flag=True, help="Print the emitted module on stdout; write no file.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists (default: refuse).")
@click.option("--no-comments", is_flag=True,
              help="Omit the trailing '# line N' comments that name the original line of each derivative "
                   "statement.")
@click.option("--stages", "show_stages", is_flag=True,
              help="Print on stderr the source after each pass of the pipeline (desugar, normalize, the "
                   "analyses, the mode's transformation, optimize), for each function differentiated.")
@click.option("--checkpoints", type=click.IntRange(min=1), metavar="C",
              help="Reverse mode: reverse every outermost loop keeping at most C copies of its state "
                   "(binomial checkpointing), recomputing the iterations in between.")
@click.option("--checkpoint-memory", metavar="SIZE",
              help="Reverse mode: like --checkpoints, with as many copies as SIZE (e.g. 500MB) holds.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of short error messages.")
def transform(file: Path, functions: tuple[str, ...], mode: str, wrt: tuple[str, ...], output: Path | None,
              to_stdout: bool, force: bool, no_comments: bool, show_stages: bool, checkpoints: int | None,
              checkpoint_memory: str | None, debug: bool) -> None:
    """Write the derivative of the functions in FILE as a standalone Python module.

    FILE is read and parsed, never imported or executed. Its imports of numpy, math and scipy.special are
    understood from its import statements; the emitted module repeats the imports, module-level constants
    and original functions the derivatives use, does not import sct, and is importable as written. A header
    docstring names the source file, the mode and the parameters differentiated.
    """
    if to_stdout and output is not None:
        raise click.UsageError("use either --print or -o/--output, not both")
    requested, wrt_names = _split(functions), _split(wrt)
    try:
        checkpointing = checkpoint_setting(checkpoints, checkpoint_memory)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if checkpointing is not None and mode != "reverse":
        raise click.UsageError("--checkpoints and --checkpoint-memory apply to --mode reverse")
    with reporting(debug):
        emitted = transform_file(file, requested, mode, wrt_names, not no_comments, output,
                                 print_stage if show_stages else None, checkpointing)
        target = output or default_output(file)
        if not to_stdout:
            _check_target(target, file, force)
        if to_stdout:
            click.echo(emitted.text, nl=False)
            return
        write_output(target, emitted.text)
    made = ", ".join(f"{d.name} (wrt {', '.join(unmark(w) for w in d.wrt)})"
                     for d in emitted.derivatives.values())
    click.echo(f"wrote {target}: {mode}-mode {made}")


def _check_target(target: Path, source: Path, force: bool) -> None:
    if target.exists() and _same_file(target, source):
        raise CLIError(f"{target}: refusing to overwrite the input file {source} (it is the same file); "
                       "choose another -o")
    if target.exists() and not force:
        raise CLIError(f"{target} already exists; pass --force to overwrite it")
    if not target.parent.is_dir():
        raise CLIError(f"{target}: the folder {target.parent} does not exist")


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file, under any path: a symlink, a hard link, ``..`` in the path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def write_output(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` as a new file: an existing ``target`` (with --force) is replaced, not
    written through, so a hard link to another file (or a symlink) never changes what it points at."""
    temporary = target.with_name(f".{target.name}.sct-{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


@main.command(context_settings=_SETTINGS, epilog=_CHECK_EPILOG,
              short_help="Compare the derivatives with divided differences (imports the file).")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-f", "--function", "functions", multiple=True, metavar="NAME[,NAME...]",
              help="Function(s) to check; repeat or separate with commas. Default: every public top-level "
                   "function that takes parameters.")
@click.option("--seed", default=0, show_default=True,
              help="Seed of the random points, directions and output seeds.")
@click.option("--draws", default=3, show_default=True, type=click.IntRange(min=0),
              help="Random points per function: the first uniform in [0.5, 1.5], the others of both signs "
                   "and magnitudes 1e-3 to 1e2, every third with exact zeros among them.")
@click.option("--tol", default=1e-6, show_default=True, type=float,
              help="Largest relative error accepted; any row above it makes the exit status 1.")
@click.option("--shape", "shapes", multiple=True, metavar="PARAM=D1,D2,...",
              help="Shape of an array argument, e.g. --shape x=3,2 (repeatable; --shape x= for a scalar). "
                   "Arguments are scalars unless given a shape (or an example value).")
@click.option("--input", "inputs", multiple=True, metavar="PARAM=LITERAL",
              help="Also check at this value of an argument, which is differentiated, e.g. --input x=1.5 "
                   "or --input 'x=[[1, 2], [3, 4]]' (repeatable; the random draws take its shape).")
@click.option("--value", "values", multiple=True, metavar="PARAM=LITERAL",
              help="Fix an argument to a Python literal, not differentiated, e.g. --value n=5 (repeatable).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of short error messages.")
def check(file: Path, functions: tuple[str, ...], seed: int, draws: int, tol: float, shapes: tuple[str, ...],
          inputs: tuple[str, ...], values: tuple[str, ...], debug: bool) -> None:
    """Compare sct's derivatives of the functions in FILE with central divided differences.

    Unlike `transform`, this IMPORTS (executes) FILE, to evaluate the functions. For each function, both
    forward and reverse mode with respect to every argument are emitted exactly as `sct transform` would
    write them, and evaluated at several points: the examples given (--input, and SCT_EXAMPLES in the
    file), then --draws random points (seeded by --seed). Arguments are scalars unless --shape or an
    example says otherwise; parameters with default values keep them. Prints a table for the first point:
    argument, shape, mode, derivative, divided difference, relative error and the step h used; then a line
    per other point where all agree, a table where one does not, and the points skipped because the
    function raises or is not finite there. Both derivatives must also return the function's value and
    change no argument the function leaves alone. Every function is checked even when one fails.
    """
    from .check import CheckOptions, parse_assignments, parse_shape, run_checks
    from .check_report import format_report, summary


    requested = _split(functions)
    options = CheckOptions(parse_assignments(shapes, "--shape", parse_shape),
                           parse_assignments(values, "--value", None),
                           parse_assignments(inputs, "--input", None), draws, seed, debug)
    with reporting(debug):
        source = read_source(file)
        names = select_functions(source, requested)
        reports = run_checks(source, names, options)
    for report in reports:
        if report.tables:
            click.echo(format_report(report, tol))
        if report.error is not None:
            click.echo(_error_message(report.error, report.internal), err=True)
    text, status = summary(reports, tol)
    click.echo(text)
    if status:
        raise SystemExit(status)


def _error_message(exc: Exception, internal: bool) -> str:
    """How ``reporting`` words an error, for one function of `sct check`."""
    from .check import DerivativeCrash

    if not internal:
        return f"error: {exc if isinstance(exc, CLIError) else format_sct_error(exc)}"
    text = str(exc) if isinstance(exc, DerivativeCrash) else f"{type(exc).__name__}: {exc}"
    return (f"internal error in sct: {text}\n"
            "  run again with --debug for the traceback, and please report it")


@contextmanager
def reporting(debug: bool) -> Iterator[None]:
    """Turn input errors into a located message and exit status 2 (internal errors: 3); --debug re-raises."""
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, SystemExit):
        raise
    except (CLIError, SCTError) as exc:
        if debug:
            raise
        message = str(exc) if isinstance(exc, CLIError) else format_sct_error(exc)
        click.echo(f"error: {message}", err=True)
        raise SystemExit(EXIT_INPUT) from None
    except Exception as exc:
        if debug:
            raise
        click.echo(f"internal error in sct: {type(exc).__name__}: {exc}\n"
                   "  run again with --debug for the traceback, and please report it", err=True)
        raise SystemExit(EXIT_INTERNAL) from None


def format_sct_error(exc: SCTError) -> str:
    """``file:line:col: message``, the source line with a caret under the column, then the hint."""
    where = exc.filename if exc.lineno is None else f"{exc.filename}:{exc.lineno}:{(exc.col or 0) + 1}"
    lines = [f"{where}: {exc.reason}"]
    if exc.construct and exc.construct not in exc.reason:
        lines[0] += f" ({exc.construct})"
    text = linecache.getline(exc.filename, exc.lineno) if exc.lineno else ""
    if text.strip():
        stripped = text.rstrip().lstrip()
        indent = len(text) - len(text.lstrip())
        lines += [f"    {stripped}", "    " + " " * max((exc.col or 0) - indent, 0) + "^"]
    if exc.hint:
        lines.append(f"  hint: {exc.hint}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="sct")
