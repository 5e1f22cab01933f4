"""Helpers called through a module the user's file imports (``import helpers; helpers.h(x)``, under an
alias, in a package's submodule) are derived as a from-import of them would be, in every mode; a file
given to ``sct transform`` (whose imports sct does not read) refuses them, naming the call."""
from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from cli_support import run
from every_mode import check_every_mode

from sct.errors import SCTError

HELPERS = """\
    import numpy as np


    def h(x):
        return np.sin(x) * x


    def k(x):
        return h(x) * 2.0 - np.exp(-x * x)
    """

INNER = """\
    import numpy as np


    def inner_h(x):
        return np.tanh(x) * 3.0
    """

USER = """\
    import numpy as np
    import sctmodhelpers
    import sctmodhelpers as hp
    import sctmodpkg.inner


    def f(x):
        return sctmodhelpers.h(x) + hp.k(x) ** 2 - sctmodpkg.inner.inner_h(x * x)


    def g(x):
        return np.sum(np.cos(f(x)))


    def missing(x):
        return sctmodhelpers.nothing_here(x)
    """


@pytest.fixture(scope="module")
def user(tmp_path_factory):
    folder = tmp_path_factory.mktemp("modules")
    (folder / "sctmodhelpers.py").write_text(textwrap.dedent(HELPERS))
    (folder / "sctmodpkg").mkdir()
    (folder / "sctmodpkg" / "__init__.py").write_text("")
    (folder / "sctmodpkg" / "inner.py").write_text(textwrap.dedent(INNER))
    (folder / "sctmoduser.py").write_text(textwrap.dedent(USER))
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("sctmoduser")
    finally:
        sys.path.remove(str(folder))
        for name in ("sctmoduser", "sctmodhelpers", "sctmodpkg.inner", "sctmodpkg"):
            sys.modules.pop(name, None)


@pytest.mark.parametrize("x", [np.array([0.7, -1.2, 0.0]), np.array([-0.4]), np.array([[1.3, 0.5]])],
                         ids=["three", "one", "1x2"])
def test_helpers_of_an_imported_module_in_every_mode(user, x):
    check_every_mode(user.f, user.g, x)


def test_a_missing_module_attribute_is_refused(user):
    import sct

    with pytest.raises(SCTError, match="nothing_here"):
        sct.grad(user.missing)(np.ones(2))


def test_a_transformed_file_refuses_a_module_helper(user):
    source = Path(user.__file__)
    result = run("transform", str(source), "-f", "g")
    assert result.exit_code != 0
    assert "sctmodhelpers.h" in result.output and "does not read the source of the module" in result.output
