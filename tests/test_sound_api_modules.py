"""The API and the emitted module see what the function sees, and change nothing the caller gave
(tests/test_sound_api_*.py).

The emitted module: it behaves like the API on integer inputs; files in another encoding than UTF-8;
``sct transform`` never writes through a link to its input; a helper from another module reads its own
globals.
"""
from __future__ import annotations

import os

import numpy as np
import pytest
from cli_support import load, run, write
from oracle import relative_error

import sct

# ------------------------------------------------------------------------------ the standalone module
MODULE_PY = """\
# -*- coding: latin-1 -*-
import numpy as np

GAIN = 2.0


def f(x, c=GAIN):
    # caf\xe9: a latin-1 comment
    return c * np.sum(x ** 2)


GAIN = 5.0


def g(v):
    v[0] = -v[0]
    return v * 3.0
"""


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_standalone_module_behaves_like_the_api(tmp_path, mode):
    path = tmp_path / "model.py"
    path.write_bytes(MODULE_PY.encode("latin-1"))
    out = tmp_path / "diff_model.py"
    result = run("transform", str(path), "--mode", mode, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    emitted = load(out)
    integers = np.array([1, 2, 3])
    if mode == "reverse":
        value, grad = emitted.diff_f(integers)
        assert grad.dtype.kind == "f" and grad.tolist() == [4.0, 8.0, 12.0]  # the default is 2.0
        seed = np.array([1.0, 1.0, 2.0])
        _, gv = emitted.diff_g(np.array([1.0, 2.0, 3.0]), seed)
        assert gv.tolist() == [-3.0, 3.0, 6.0] and seed.tolist() == [1.0, 1.0, 2.0]
        with pytest.raises(TypeError, match="argument 'x' is complex"):
            emitted.diff_f(np.array([1j]))
    else:
        tangent = np.array([1, 0, 0])
        value, dot = emitted.diff_f(integers, x_dot=tangent)
        assert float(dot) == 4.0 and value == 28.0 and tangent.tolist() == [1, 0, 0]
        v_dot = np.array([1.0, 0.0, 0.0])
        _, gdot = emitted.diff_g(np.array([1.0, 2.0, 3.0]), v_dot)
        assert v_dot.tolist() == [1.0, 0.0, 0.0] and gdot.tolist() == [-3.0, 0.0, 0.0]


def test_utf8_bom_is_read(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfimport numpy as np\n\n\ndef f(x):\n    return np.sin(x)\n")
    result = run("transform", str(path), "--print")
    assert result.exit_code == 0, result.stderr
    assert "def diff_f(x, x_dot):" in result.stdout


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_transform_never_writes_the_input_through_a_link(tmp_path, link):
    path = write(tmp_path, "f.py", "def f(x):\n    return x * x\n")
    before = path.read_text()
    alias = tmp_path / "alias.py"
    (os.link if link == "hard" else os.symlink)(path, alias)
    result = run("transform", str(path), "-o", str(alias), "--force")
    assert result.exit_code == 2 and "input file" in result.stderr
    assert path.read_text() == before


def test_forced_output_replaces_a_hard_link_instead_of_writing_through_it(tmp_path):
    path = write(tmp_path, "f.py", "def f(x):\n    return x * x\n")
    other = write(tmp_path, "keep.txt", "keep me\n")
    alias = tmp_path / "out.py"
    os.link(other, alias)
    result = run("transform", str(path), "-o", str(alias), "--force")
    assert result.exit_code == 0, result.stderr
    assert other.read_text() == "keep me\n" and "def diff_f" in alias.read_text()


def test_a_helper_from_another_module_reads_its_own_globals(tmp_path, monkeypatch):
    """Both modules bind C; the helper's derivative must read the helper's module's C."""
    write(tmp_path, "other_b.py", "import numpy as np\nC = 2.0\n\n\ndef h(x):\n    return C * np.sin(x)\n")
    write(tmp_path, "other_a.py", "from other_b import h\nC = 5.0\n\n\ndef f(x):\n    return h(x) * C\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import other_a
    import other_b

    x = 0.3
    expected = 10 * np.cos(x)
    assert relative_error(sct.grad(other_a.f)(x), expected) < 1e-12
    assert relative_error(sct.forward(other_a.f)(x, 1.0)[1], expected) < 1e-12
    assert relative_error(sct.jacobian(other_a.f)(x), expected) < 1e-12
    assert relative_error(sct.jacobian(other_a.f, mode="reverse")(x), expected) < 1e-12
    assert relative_error(sct.hessian(other_a.f)(np.array(x)), -10 * np.sin(x)) < 1e-12
    assert relative_error(sct.hvp(other_a.f)(x, 1.0), -10 * np.sin(x)) < 1e-12
    monkeypatch.setattr(other_b, "C", -1.0)  # and live, too
    assert relative_error(sct.grad(other_a.f)(x), -5 * np.cos(x)) < 1e-12
