"""The lecture's example: forward mode emits exactly the dual program, reverse mode one block of adjoint
statements per primal statement in reverse order; and a derivative is made once, then cached."""
from __future__ import annotations

import ast

import numpy as np
import pytest
from oracle import check_rule

import sct
import sct.api


def f(x1, x2):
    w3 = x1 * x2
    w4 = np.sin(x1)
    w5 = w3 + w4
    return w5


PRIMAL = ["w3 = x1 * x2", "w4 = np.sin(x1)", "w5 = w3 + w4"]


def _body(source: str, name: str = "diff_f") -> list:
    """The lines of the emitted function's body, without indentation."""
    lines = source.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"def {name}(")))
    body = []
    for line in lines[start + 1:]:
        if line and not line.startswith(" "):
            break
        if line.strip():
            body.append(line.strip())
    return body


def test_forward_source_is_the_dual_program():
    source = sct.forward(f, wrt=("x1", "x2")).source
    assert "def diff_f(x1, x2, x1_dot, x2_dot):" in source
    assert _body(source) == [
        "w3 = x1 * x2",
        "w3_dot = x1_dot * x2 + x1 * x2_dot",
        "w4 = np.sin(x1)",
        "w4_dot = np.cos(x1) * x1_dot",
        "w5 = w3 + w4",
        "w5_dot = w3_dot + w4_dot",
        "return w5, w5_dot",
    ]


def test_forward_source_for_one_input_drops_the_other_tangent():
    assert _body(sct.forward(f, wrt="x1").source) == [
        "w3 = x1 * x2",
        "w3_dot = x1_dot * x2",
        "w4 = np.sin(x1)",
        "w4_dot = np.cos(x1) * x1_dot",
        "w5 = w3 + w4",
        "w5_dot = w3_dot + w4_dot",
        "return w5, w5_dot",
    ]


def _adjoint_blocks(body: list, primal: list) -> list:
    """For each adjoint statement, the index of the primal statement whose output adjoint it reads."""
    targets = [line.split(" = ")[0] for line in primal]
    origins = []
    for line in body:
        value = ast.parse(line).body[0].value
        read = {n.id for n in ast.walk(value) if isinstance(n, ast.Name) and n.id.endswith("_bar")}
        sources = [i for i, t in enumerate(targets) if f"{t}_bar" in read]
        assert len(sources) == 1, (line, sources)
        origins.append(sources[0])
    return origins


@pytest.mark.parametrize("wrt, counts", [(("x1", "x2"), {2: 2, 1: 1, 0: 2}), ("x1", {2: 2, 1: 1, 0: 1})],
                         ids=["both", "x1"])
def test_reverse_source_has_adjoints_in_reverse_order(wrt, counts):
    """Forward sweep (the primal, unchanged), the seed, then each primal statement's adjoint in reverse:
    one statement per active input of that primal statement (``w3 = x1 * x2``: ``x1_bar``, ``x2_bar``)."""
    body = _body(sct.reverse(f, wrt=wrt).source)
    assert body[:3] == PRIMAL
    assert body[3] == "w5_bar = seed_like(seed, w5)"
    returned = "return w5, (x1_bar, x2_bar)" if isinstance(wrt, tuple) else "return w5, x1_bar"
    assert body[-1] == returned
    origins = _adjoint_blocks(body[4:-1], PRIMAL)
    assert origins == sorted(origins, reverse=True)
    assert {i: origins.count(i) for i in set(origins)} == counts
    assert len(body) <= 3 * len(PRIMAL) + 2  # about three times the original length at most


def test_lecture_values():
    check_rule(f, (0.7, 1.9), complex_ok=True)
    check_rule(f, (np.linspace(-1.0, 1.0, 5), np.arange(5.0)), complex_ok=True)
    value, (x1_bar, x2_bar) = sct.reverse(f, wrt=("x1", "x2"))(0.7, 1.9)
    assert value == pytest.approx(0.7 * 1.9 + np.sin(0.7))
    assert x1_bar == pytest.approx(1.9 + np.cos(0.7)) and x2_bar == pytest.approx(0.7)


def cached(x):
    return np.exp(x) * x


def test_second_request_returns_the_cached_derivative(monkeypatch):
    calls = []
    original = sct.api.transform

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(sct.api, "transform", counting)
    first = sct.forward(cached, wrt="x")
    assert len(calls) == 1
    second = sct.forward(cached, wrt="x")
    assert second is first and len(calls) == 1
    backward = sct.reverse(cached, wrt="x")
    assert backward is not first and len(calls) == 2
    assert sct.reverse(cached, wrt="x") is backward and len(calls) == 2
    assert sct.differentiate(mode="reverse", wrt="x")(cached) is backward and len(calls) == 2
