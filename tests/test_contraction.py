"""``contract`` (sct/runtime/contraction.py) is ``np.einsum``: same values up to rounding, same dtype, shape
and type, same errors, over random subscripts and shapes (size-1 and empty axes, ellipses, repeated labels,
scalars); and the cases it exists for are planned as products, not handed back to ``np.einsum``."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sct.runtime.contraction import _contraction_plan, contract

LABELS = "abcdeA"
DTYPES = [np.float64, np.float64, np.float32, np.complex128, np.int64]


@st.composite
def einsum_calls(draw):
    """(subscripts, operands): terms of 0-3 labels (repeats allowed), an ellipsis in some, an explicit or
    implicit output, each axis of its label's size or 1 (broadcast), and a few sizes that do not match."""
    sizes = {c: draw(st.sampled_from([1, 2, 3, 3, 0] if draw(st.booleans()) else [1, 2, 3])) for c in LABELS}
    width = draw(st.integers(0, 2))
    broadcast = [draw(st.integers(1, 3)) for _ in range(width)]
    terms, operands = [], []
    for _ in range(draw(st.integers(1, 4))):
        term = "".join(draw(st.lists(st.sampled_from(LABELS), max_size=3)))
        ellipsis = width > 0 and draw(st.booleans())
        lead = draw(st.integers(0, width)) if ellipsis else 0
        place = draw(st.integers(0, len(term))) if ellipsis else 0
        shape = [sizes[c] for c in term]
        ell = [n if draw(st.integers(0, 3)) else 1 for n in broadcast[width - lead:]]
        shape = [1 if draw(st.integers(0, 4)) == 0 else n for n in shape]
        if draw(st.integers(0, 20)) == 0 and shape:
            shape[0] += 1  # a size that does not broadcast: both raise
        if ellipsis:
            term = term[:place] + "..." + term[place:]
            shape = shape[:place] + ell + shape[place:]
        dtype = draw(st.sampled_from(DTYPES))
        seed = draw(st.integers(0, 2 ** 16))
        values = np.random.default_rng(seed).standard_normal(shape)
        if dtype == np.complex128:
            values = values + 1j * np.random.default_rng(seed + 1).standard_normal(shape)
        operands.append((values * 3).astype(dtype))
        terms.append(term)
    text = ",".join(terms)
    if draw(st.booleans()):
        used = sorted(set(text) - {"."})
        output = "".join(draw(st.permutations(used))[:draw(st.integers(0, len(used)))])
        if "..." in text:
            spot = draw(st.integers(0, len(output)))
            output = output[:spot] + "..." + output[spot:]
        text += "->" + output
    return text, operands


def _outcome(function, text, operands):
    try:
        return function(text, *operands)
    except ValueError as exc:
        return exc


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          database=None)
@given(einsum_calls())
def test_contract_is_einsum(call):
    text, operands = call
    expected = _outcome(np.einsum, text, operands)
    got = _outcome(contract, text, operands)
    if isinstance(expected, Exception):
        assert isinstance(got, ValueError), (text, [o.shape for o in operands], got)
        return
    assert not isinstance(got, Exception), (text, [o.shape for o in operands], got)
    assert type(got) is type(expected)
    assert np.shape(got) == np.shape(expected)
    assert np.asarray(got).dtype == np.asarray(expected).dtype
    single = np.asarray(expected).dtype in (np.float32, np.complex64)
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(got, expected, rtol=1e-5 if single else 1e-12, atol=(1e-4 if single else 1e-11)
                               * scale)


def _planned(text, *shapes, dtypes=None):
    dtypes = dtypes or (np.dtype(np.float64),) * len(shapes)
    return _contraction_plan(text, tuple(shapes), tuple(np.dtype(d) for d in dtypes))


@pytest.mark.parametrize("text, shapes", [
    ("ijk,mik->mij", [(25, 10, 10), (1000, 25, 10)]),   # gmm's einsum and its two adjoints
    ("mij,mik->ijk", [(1000, 25, 10), (1000, 25, 10)]),
    ("mij,ijk->mik", [(1000, 25, 10), (25, 10, 10)]),
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk,kl->il", [(3, 4), (4, 5), (5, 2)]),
    ("ii,ij->j", [(3, 3), (3, 4)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("i,i", [(1,), (3,)]),
    (",i->i", [(), (3,)]),
    ("ij,jk", [(3, 0), (0, 2)]),
])
def test_products_are_planned(text, shapes):
    """The cases contract is for take the planned path (a silent fallback to np.einsum would pass the
    comparison above without testing the plan)."""
    assert _planned(text, *shapes) is not None


def test_batch_label_is_one_matmul():
    """'ijk,mik->mij' (i shared by both operands and the output) is one batched matmul over i."""
    _, prepares, pairs, _ = _planned("ijk,mik->mij", (25, 10, 10), (1000, 25, 10))
    assert len(pairs) == 1 and pairs[0][6]  # one product, with an inner (contracted) dimension
    assert pairs[0][3] == (25, 10, 10) and pairs[0][5] == (25, 10, 1000)


@pytest.mark.parametrize("text, shapes, dtypes", [
    ("ij->ji", [(3, 4)], None),              # one operand: np.einsum (its views included)
    ("i,i", [(3,), (3,)], [np.int64, np.int64]),
    ("i,i", [(3,), (3,)], [np.bool_, np.bool_]),
])
def test_left_to_einsum(text, shapes, dtypes):
    assert _planned(text, *shapes, dtypes=dtypes) is None


def test_greedy_order_avoids_the_outer_product():
    """'ij,kl,jk->il': contracting ij with kl first would make an outer product; a shared label goes
    first."""
    _, _, pairs, _ = _planned("ij,kl,jk->il", (30, 40), (50, 60), (40, 50))
    first = pairs[0][:2]
    assert first in ((0, 2), (1, 2))


def test_plans_are_kept():
    a, b = np.ones((2, 3)), np.ones((3, 4))
    contract("ij,jk->ik", a, b)
    plans = _contraction_plan.__defaults__[0]
    assert ("ij,jk->ik", ((2, 3), (3, 4)), (a.dtype, b.dtype)) in plans
    assert len(plans) <= 256


USER_CONTRACT = '''
import numpy as np


def contract(a):
    return 3.0 * a


def f(x, y):
    z = np.einsum('ij,jk->ik', x, y)
    return np.sum(contract(z) ** 2)
'''


def test_a_user_function_named_contract_keeps_its_meaning(tmp_path, monkeypatch):
    """sct writes ``contract(...)`` for the user's np.einsum; the user's own ``contract`` is still theirs
    (in the API and in the module sct transform writes)."""
    import importlib

    import sct
    from sct.cli.module import transform_file

    (tmp_path / "user_contract.py").write_text(USER_CONTRACT)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("user_contract")
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, 3)), rng.standard_normal((3, 2))
    z_bar = 18.0 * (x @ y)  # d/dz of sum((3 z)^2)
    gx, gy = sct.grad(module.f, wrt=("x", "y"))(x, y)
    np.testing.assert_allclose(gx, z_bar @ y.T, rtol=1e-12)
    np.testing.assert_allclose(gy, x.T @ z_bar, rtol=1e-12)
    out = tmp_path / "user_contract_grad.py"
    out.write_text(transform_file(tmp_path / "user_contract.py", ["f"], "reverse", ["x", "y"]).text)
    emitted = importlib.import_module("user_contract_grad")
    _, (ex, ey) = emitted.diff_f(x, y)
    np.testing.assert_allclose(ex, gx, rtol=1e-12)
    np.testing.assert_allclose(ey, gy, rtol=1e-12)


def test_a_user_function_named_like_another_written_helper(tmp_path, monkeypatch):
    """The same for ``dict_keys``, which sct writes for ``for k in d`` (it called the user's function)."""
    import importlib

    import sct

    (tmp_path / "user_keys.py").write_text(
        "import numpy as np\n\n\ndef dict_keys(d):\n    return 2.0 * d\n\n\ndef f(x):\n"
        "    d = {'a': x, 'b': 2 * x}\n    s = 0.0\n    for k in d:\n        s = s + np.sum(d[k] ** 2)\n"
        "    return s + np.sum(dict_keys(x))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("user_keys")
    x = np.array([1.0, -2.0])
    np.testing.assert_allclose(sct.grad(module.f, wrt="x")(x), 10 * x + 2, rtol=1e-12)
