"""``sct check``'s output: a table per function, a line per further point, and the summary."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import SCTError
from .check import Report, Table


def _describe(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.6g}"
        return text if any(c in text for c in ".enai") else text + ".0"
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    return repr(value)


def _describe_range(value: Any) -> str:
    """Like ``_describe``, with the range of an array's entries (the draws differ in sign and size)."""
    if isinstance(value, np.ndarray) and value.size and value.dtype.kind == "f":
        return f"{_describe(value)} in [{_describe(value.min())}, {_describe(value.max())}]"
    return _describe(value)


def describe_point(point: dict[str, Any]) -> str:
    """``x=-3.2, w=array(3,) in [-1.0, 20.5]``."""
    return ", ".join(f"{k}={_describe_range(v)}" for k, v in point.items())


def format_table(table: Table, tol: float) -> str:
    """The table of one function at one point as text; the header says which point unless draw 1."""
    point = ", ".join(f"{k}={_describe(v)}" for k, v in table.point.items())
    header = ("argument", "shape", "mode", "derivative", "difference", "rel. error", "step", "")
    cells = [header] + [(r.argument, str(r.shape), r.mode, f"{r.derivative:.10g}", f"{r.difference:.10g}",
                         f"{r.error:.1e}", f"{r.step:.1e}", r.status(tol)) for r in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    right = {3, 4, 5, 6}
    title = f"{table.function}({point})" if table.label == "draw 1" else \
        f"{table.function}({describe_point(table.point)}) at {table.label}"
    lines = [title]
    for row in cells:
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  " + "  ".join(parts).rstrip())
    lines += [f"  FAIL: {problem}" for problem in table.problems]
    return "\n".join(lines) + "\n"


def format_report(report: Report, tol: float) -> str:
    """The first point's table, then a table for each point with a failure, a line for each other point
    (saying how many of its rows were not counted, as noisy or at a kink)."""
    if not report.tables:
        return ""
    parts = [format_table(report.tables[0], tol)]
    for table in report.tables[1:]:
        statuses = [r.status(tol) for r in table.rows]
        if "FAIL" in statuses or table.problems:
            parts.append(format_table(table, tol))
            continue
        uncounted = ", ".join(f"{statuses.count(s)} of {len(statuses)} rows {s}" for s in ("noisy", "kink")
                              if s in statuses)
        parts.append(f"  ok at {table.label}{f' ({uncounted})' if uncounted else ''}: "
                     f"{describe_point(table.point)}\n")
    for point, reason in report.skipped:
        parts.append(f"  skipped {point.label}: {reason} ({describe_point(point.values)})\n")
    return "".join(parts)


def _kind(report: Report) -> str:
    if report.internal:
        return "internal error in sct"
    return "refused by sct" if isinstance(report.error, SCTError) else "bad input"


def summary(reports: Sequence[Report], tol: float) -> tuple[str, int]:
    """(the closing lines, the exit status): 3 after a crash in sct, 2 after bad input or a refusal,
    1 when a derivative differs by more than ``tol``, else 0."""
    checked = [r for r in reports if r.error is None]
    total = sum(2 * len(r.wrt) for r in checked)
    failed = sum(len(r.failed(tol)) for r in checked)
    statuses = [row.status(tol) for r in checked for t in r.tables for row in t.rows]
    kinks, noisy = statuses.count("kink"), statuses.count("noisy")
    lines = []
    if failed:
        lines.append(f"FAILED: {failed} of {total} derivatives differ by more than {tol:g}")
    elif checked:
        counts = sorted({len(r.tables) for r in checked})
        at = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
        lines.append(f"ok: all {total} derivatives agree within {tol:g} at {at} point"
                     f"{'' if counts == [1] else 's'}" + (" (see the note)" if "noisy" in statuses else ""))
    notes = ([f"{noisy} rows where the divided differences are too noisy to resolve {tol:g} (halving h "
              "changes them by more than the error)"] if noisy else [])
    notes += [f"{kinks} rows at a kink of the function (its one-sided differences disagree)"] if kinks else []
    if notes:
        lines.append("note: not counted: " + "; ".join(notes))
    errors = [r for r in reports if r.error is not None]
    if errors:
        what = ", ".join(f"{r.function} ({_kind(r)})" for r in errors)
        lines.append(f"ERROR: {len(errors)} of {len(reports)} functions could not be checked: {what}")
    status = 3 if any(r.internal for r in errors) else 2 if errors else 1 if failed else 0
    return "\n".join(lines), status
