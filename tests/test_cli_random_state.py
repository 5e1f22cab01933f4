"""`sct transform` of a file that seeds or draws from a shared random generator at module level.

``np.random.seed(0)`` binds no name, so a copy of only the statements that bind the names the derivatives
read left the seed (and the draws before the needed one) out: the emitted module computed with other
random constants than the file, a wrong value and a wrong derivative without a word. Every statement
that touches numpy's or Python's global generator is copied once one copied statement or emitted
function touches it, so the emitted module draws what the file draws.
"""
from pathlib import Path

import numpy as np
import pytest
from cli_support import load, run, write
from oracle import relative_error, richardson_difference

LEGACY_SEED = '''\
    import numpy as np

    np.random.seed(0)
    UNUSED = np.random.rand(3)
    W = np.random.normal(size=3)


    def f(x):
        return np.sum(W * x ** 2)
    '''

FROM_IMPORTS_AND_STDLIB = '''\
    import random
    import numpy as np
    from numpy.random import seed, normal

    random.seed(1)
    seed(0)
    random.random()
    W = normal(size=3) + random.random()


    def f(x):
        return np.sum(W * x ** 2)
    '''

DRAWN_THROUGH_A_FUNCTION = '''\
    import numpy as np
    import numpy.random as npr

    npr.seed(3)


    def warm():
        npr.rand()


    warm()
    W = np.random.normal(size=3)
    rng = np.random.default_rng(1)
    V = rng.normal(size=3)


    def f(x):
        return np.sum(W * V * x ** 2)
    '''

SOURCES = {"legacy seed": LEGACY_SEED, "from-imports and stdlib": FROM_IMPORTS_AND_STDLIB,
           "drawn through a function": DRAWN_THROUGH_A_FUNCTION}
X = np.array([0.53, -1.37, 0.0])


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("text", SOURCES.values(), ids=list(SOURCES))
def test_the_emitted_module_draws_the_files_constants(tmp_path: Path, text, mode):
    source = write(tmp_path, "drawn.py", text)
    target = tmp_path / "diff_drawn.py"
    assert run("transform", str(source), "--mode", mode, "-o", str(target)).exit_code == 0
    original = load(source)
    f = original.f
    emitted = load(target)
    v = np.array([0.3, -1.1, 0.7])
    if mode == "reverse":
        value, gradient = emitted.diff_f(X)
        derivative, numeric = gradient @ v, richardson_difference(f, (X,), {0: v})
    else:
        value, derivative = emitted.diff_f(X, v)
        numeric = richardson_difference(f, (X,), {0: v})
    assert relative_error(value, f(X)) < 1e-12
    assert relative_error(derivative, numeric) < 1e-7


def test_a_function_that_draws_at_each_call_sees_the_files_seed(tmp_path: Path):
    source = write(tmp_path, "draws.py", '''\
        import numpy as np

        np.random.seed(0)


        def f(x):
            return np.sum(np.random.normal(size=3) * x ** 2)
        ''')
    target = tmp_path / "diff_draws.py"
    assert run("transform", str(source), "--mode", "reverse", "-o", str(target)).exit_code == 0
    value = load(source).f(X)  # the first call after the seed
    np.random.seed(0)
    draws = np.random.normal(size=3)
    emitted_value, gradient = load(target).diff_f(X)
    assert relative_error(emitted_value, value) < 1e-12
    assert relative_error(gradient, 2 * draws * X) < 1e-12


def test_the_seed_stays_out_when_nothing_draws(tmp_path: Path):
    source = write(tmp_path, "undrawn.py", '''\
        import numpy as np

        np.random.seed(0)
        NOISE = np.random.rand(3)
        rng = np.random.default_rng(0)
        SCALE = np.array([2.0, 3.0, 5.0])


        def f(x):
            return np.sum(SCALE * x)
        ''')
    text = run("transform", str(source), "--print").stdout
    assert "SCALE = np.array" in text
    assert "np.random" not in text and "NOISE" not in text and "rng" not in text
