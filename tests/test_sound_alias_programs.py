"""Aliasing and numpy's in-place semantics (tests/test_sound_alias_*.py): generated programs: a new
value gets a tangent of its own, and random programs of views, copies and writes are exact or refused.
"""
from __future__ import annotations

import numpy as np
import pytest
from alias_support import X4
from oracle import check_both_modes

import sct

# ----------------------------------------------- derivative code: tangents must not alias where values don't
FRESH_COPIES = ["z * 1.0", "1.0 * z", "np.copy(z)", "z.copy()", "+z", "z.astype(float)", "np.array(z)",
                "z / 1.0", "z + 0.0", "z.flatten()", "z[[0, 1, 2, 3]]", "z * 2.0"]
FRESH_TEMPLATE = '''
import numpy as np


def f(x):
    z = x * 1.0
    v = {expr}
    z[1] = 3.0 * z[1] + x[0]
    return np.sum(v * z * z)
'''


def _load(tmp_path, text, name):
    import importlib.util

    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


@pytest.mark.parametrize("expr", FRESH_COPIES)
def test_a_new_value_gets_a_tangent_of_its_own(tmp_path, expr):
    """``v = z * 1.0`` is a new array; its tangent must not be ``z_dot`` itself (the write into ``z_dot``
    would change it), nor may constant folding move ``2.0 * z_dot`` past that write (every mode)."""
    f = _load(tmp_path, FRESH_TEMPLATE.format(expr=expr), f"fresh_{FRESH_COPIES.index(expr)}")
    check_both_modes(f, (X4.copy(),))
    numeric = np.array([(f(X4 + e) - f(X4 - e)) / 2e-6 for e in np.eye(4) * 1e-6])
    assert np.allclose(sct.jacobian(f)(X4.copy()), numeric, rtol=1e-6, atol=1e-8)
    assert np.allclose(sct.grad(f)(X4.copy()), numeric, rtol=1e-6, atol=1e-8)


# --------------------------------------------------------------- random programs: exact or refused
_PROGRAM_HEAD = '''import numpy as np


def same(t):
    return t


def poke(t):
    t[0] = t[1] * 2.0
    return np.sum(t)


def f(x):
    a = x * 1.0
    b = x * 2.0
    c = x + 1.0
    d = np.sin(x)
'''
_NAMES = ["a", "b", "c", "d"]
_VIEWS = ["{m}", "{m}[:]", "{m}[::1]", "{m}.reshape(4)", "np.asarray({m})", "{m}.T", "np.flip({m})",
          "{m}.ravel()", "{m}[...]"]
_COPIES = ["np.copy({m})", "{m} * 1.0", "{m}[[0, 1, 2, 3]]", "{m}.copy()", "{m} + x", "np.sin({m})"]


def _random_statement(rng) -> str:
    n, m = rng.choice(_NAMES + ["x"]), rng.choice(_NAMES + ["x"])
    kind = rng.random()
    i, j, k = rng.randrange(4), rng.randrange(4), rng.choice(["0.5", "2.0", "-1.5"])
    if n == "x" and kind < 0.5:
        n = "a"
    either = rng.choice(_VIEWS + _COPIES).format(m=m)
    choices = [
        (0.2, f"{n} = " + rng.choice(_VIEWS).format(m=m)),
        (0.35, f"{n} = " + rng.choice(_COPIES).format(m=m)),
        (0.55, f"{n}[{i}] = {m}[{j}] * {k}"),
        (0.7, f"{n} {rng.choice(['+=', '*=', '-='])} {m} * {k}"),
        (0.8, f"{n}[{i}] += np.sin({m}[{j}])"),
        (0.9, f"if x[{i}] > 0.0:\n        {n} = {either}"),
        (0.93, f"{n} = same({m})"),
        (0.95, f"{n} = {m} if x[{i}] > 0.0 else {rng.choice(_NAMES)}"),
        (0.97, f"s = poke({m})\n    {n} = {n} * s"),
        (0.99, f"rows = [{m}]\n    rows.append({n})\n    {n} = rows[0]"),
        (1.0, f"for i in range(2):\n        {n}[i] = {m}[i + 1] * {k}\n        {n} = {either}"),
    ]
    return next(text for bound, text in choices if kind < bound)


def _random_program(rng) -> str:
    body = [_random_statement(rng) for _ in range(rng.randint(2, 7))]
    return _PROGRAM_HEAD + "".join(f"    {s}\n" for s in body) + \
        "    return np.sum(a * b) + np.sum(c * d) + np.sum(x * x)\n"


def test_random_alias_programs_are_exact_or_refused(tmp_path):
    """Views, copies, index and augmented writes, helpers, branches and lists in random order: whatever sct
    accepts has numpy's value and the derivative of central differences in both modes."""
    import random

    rng = random.Random(11)
    direction = np.array([0.3, -1.2, 0.7, 2.0])
    accepted = 0
    for number in range(250):
        text = _random_program(rng)
        f = _load(tmp_path, text, f"alias_program_{number}")
        try:
            forward, reverse = sct.forward(f), sct.reverse(f)
        except sct.SCTError:
            continue
        accepted += 1
        value = f(X4.copy())
        numeric = np.array([(f(X4 + e) - f(X4 - e)) / 2e-6 for e in np.eye(4) * 1e-6])
        out, gradient = reverse(X4.copy())
        assert np.allclose(out, value, rtol=1e-12), text
        assert np.allclose(gradient, numeric, rtol=1e-5, atol=1e-6), text
        out, tangent = forward(X4.copy(), direction.copy())
        assert np.allclose(out, value, rtol=1e-12), text
        assert np.allclose(tangent, numeric @ direction, rtol=1e-5, atol=1e-6), text
    assert accepted > 100  # the check is not vacuous: most unaliased programs are accepted
