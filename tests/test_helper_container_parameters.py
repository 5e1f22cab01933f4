"""A helper given a list, tuple or dict of arrays of several shapes (the layers of a network), read by a
computed index (``params[2 * i]``), by a loop over its items (``for W, b in params``), nested
(``(W1, b1), W2 = params``) or by computed keys, in every mode against Richardson differences.

Bug class: the caller did not tell the helper which parameters it passes containers, so the helper made
their adjoints with ``np.zeros_like`` of the container (a ValueError in reverse mode, grad, Hessians and
hvps) and the vectorised Hessian stacked items that do not stack. The caller now names them (the
derivative is keyed by them) and the helper treats them as the containers it builds itself. An item of an
item of a container (``inner = params[k][0]``) may be a container too: its adjoint starts item by item and
adds into the item's with ``add_lists``, never ``+=``, which would join two lists (a wrong gradient). An
inactive item of a list or tuple being built (a tuple the user passed) gets its zero tangent item by item.
An item of a container passed on to a helper (``_layer(params[i], h)``) may be a container or an array:
the caller says so, and the helper starts its adjoint with ``zeros_items``.
"""
import ast

import numpy as np
import pytest
from every_mode import check_every_mode

import sct
from sct.analysis.activity import sequence_names

RNG = np.random.default_rng(11)
W1, W2 = RNG.standard_normal((3, 4)), RNG.standard_normal((4, 2))
B2, INPUTS = RNG.standard_normal(2), RNG.standard_normal((5, 3))
X = RNG.standard_normal(4)


def _indexed(params, h):
    for i in range(len(params) // 2):
        h = np.tanh(h @ params[2 * i] + params[2 * i + 1])
    return h


def _paired(params, h):
    for W, b in params:
        h = np.tanh(h @ W + b)
    return h


def _nested(params, h):
    (W1, b1), W2 = params
    return np.tanh(h @ W1 + b1) @ W2


def _keyed(params, h):
    for i in range(2):
        h = np.tanh(h @ params["W" + str(i)] + params["b" + str(i)])
    return h


def _keyed_pairs(params, h):
    for name in ("0", "1"):
        W, b = params["layer" + name]
        h = np.tanh(h @ W + b)
    return h


def _deep(params, h):
    for k in range(len(params)):
        item = params[k]
        inner = item[0]
        W, b = inner
        h = np.tanh(h @ W + b) * item[1]
    return h


def _zipped(Ws, bs, h):
    for W, b in zip(Ws, bs):
        h = np.tanh(h @ W + b)
    return h


def _outer(params, h):
    return _indexed(params, h) * 2.0


def _layers(x, W1, W2, b2):
    return [(W1, x), (W2, b2)]


def indexed(x, W1, W2, b2, inputs):
    return _indexed((W1, x, W2, b2), inputs)


def indexed_by_name(x, W1, W2, b2, inputs):
    params = []
    params.append(W1)
    params.append(x)
    params.append(W2 * x[0])
    params.append(b2)
    return _indexed(params, inputs)


def indexed_through_a_helper(x, W1, W2, b2, inputs):
    return _outer([W1, x, W2, b2], inputs)


def paired(x, W1, W2, b2, inputs):
    return _paired([(W1, x), (W2, b2)], inputs)


def paired_from_a_helper(x, W1, W2, b2, inputs):
    return _paired(_layers(x, W1, W2, b2), inputs)


def nested(x, W1, W2, b2, inputs):
    return _nested(((W1, x), W2), inputs)


def keyed(x, W1, W2, b2, inputs):
    return _keyed({"W0": W1, "b0": x, "W1": W2, "b1": b2}, inputs)


def keyed_pairs(x, W1, W2, b2, inputs):
    return _keyed_pairs({"layer0": (W1, x), "layer1": (W2, b2)}, inputs)


def deep(x, W1, W2, b2, inputs):
    return _deep([((W1, x), 2.0), ((W2, b2), x[:2])], inputs)


def zipped(x, W1, W2, b2, inputs):
    return _zipped((W1, W2), [x, b2], inputs)


def indexed_directly(x, W1, W2, b2, inputs):
    params = (W1, x, W2, b2)
    h = inputs
    for i in range(2):
        h = np.tanh(h @ params[2 * i] + params[2 * i + 1])
    return h


def paired_directly(x, W1, W2, b2, inputs):
    h = inputs
    for W, b in [(W1, x), (W2, b2)]:
        h = np.tanh(h @ W + b)
    return h


def nested_directly(x, W1, W2, b2, inputs):
    (V1, c1), V2 = ((W1, x), W2)
    return np.tanh(inputs @ V1 + c1) @ V2


def deep_directly(x, W1, W2, b2, inputs):
    params = [((W1, x), 2.0), ((W2, b2), x[:2])]
    h = inputs
    for k in range(len(params)):
        item = params[k]
        inner = item[0]
        W, b = inner
        h = np.tanh(h @ W + b) * item[1]
    return h


def scalar_indexed(x, W1, W2, b2, inputs):
    return np.sum(indexed(x, W1, W2, b2, inputs) ** 2)


def scalar_indexed_by_name(x, W1, W2, b2, inputs):
    return np.sum(indexed_by_name(x, W1, W2, b2, inputs) ** 2)


def scalar_indexed_through_a_helper(x, W1, W2, b2, inputs):
    return np.sum(indexed_through_a_helper(x, W1, W2, b2, inputs) ** 2)


def scalar_paired(x, W1, W2, b2, inputs):
    return np.sum(paired(x, W1, W2, b2, inputs) ** 2)


def scalar_paired_from_a_helper(x, W1, W2, b2, inputs):
    return np.sum(paired_from_a_helper(x, W1, W2, b2, inputs) ** 2)


def scalar_nested(x, W1, W2, b2, inputs):
    return np.sum(nested(x, W1, W2, b2, inputs) ** 2)


def scalar_keyed(x, W1, W2, b2, inputs):
    return np.sum(keyed(x, W1, W2, b2, inputs) ** 2)


def scalar_keyed_pairs(x, W1, W2, b2, inputs):
    return np.sum(keyed_pairs(x, W1, W2, b2, inputs) ** 2)


def scalar_deep(x, W1, W2, b2, inputs):
    return np.sum(deep(x, W1, W2, b2, inputs) ** 2)


def scalar_zipped(x, W1, W2, b2, inputs):
    return np.sum(zipped(x, W1, W2, b2, inputs) ** 2)


def scalar_indexed_directly(x, W1, W2, b2, inputs):
    return np.sum(indexed_directly(x, W1, W2, b2, inputs) ** 2)


def scalar_paired_directly(x, W1, W2, b2, inputs):
    return np.sum(paired_directly(x, W1, W2, b2, inputs) ** 2)


def scalar_nested_directly(x, W1, W2, b2, inputs):
    return np.sum(nested_directly(x, W1, W2, b2, inputs) ** 2)


def scalar_deep_directly(x, W1, W2, b2, inputs):
    return np.sum(deep_directly(x, W1, W2, b2, inputs) ** 2)


CASES = [(indexed, scalar_indexed), (indexed_by_name, scalar_indexed_by_name),
         (indexed_through_a_helper, scalar_indexed_through_a_helper), (paired, scalar_paired),
         (paired_from_a_helper, scalar_paired_from_a_helper), (nested, scalar_nested), (keyed, scalar_keyed),
         (keyed_pairs, scalar_keyed_pairs), (deep, scalar_deep), (zipped, scalar_zipped),
         (indexed_directly, scalar_indexed_directly),
         (paired_directly, scalar_paired_directly), (nested_directly, scalar_nested_directly),
         (deep_directly, scalar_deep_directly)]


@pytest.mark.parametrize("f, g", CASES, ids=[f.__name__ for f, _ in CASES])
def test_containers_of_arrays_of_several_shapes_every_mode(f, g):
    check_every_mode(f, g, X, W1, W2, B2, INPUTS)


def test_the_helper_makes_its_container_parameters_adjoint_item_by_item():
    """The helper knows ``params`` is a container: no ``zeros_of`` (np.zeros_like) of it, no ``+=``."""
    source = sct.reverse(indexed, wrt="x").source
    helper = source[source.index("def diff__indexed_backward"):source.index("def diff_indexed(")]
    assert "zeros_list(params)" in helper and "zeros_of(params)" not in helper
    deep_source = sct.reverse(deep, wrt="x").source
    assert "+= inner_bar" not in deep_source and "add_lists" in deep_source


def _pick(p, k):
    return p[2 * k]


def both(x):
    return np.sum(_pick((x, W1, x * 2.0), 1) * _pick(x, 0)) * x


def scalar_both(x):
    return np.sum(both(x) ** 2)


def test_a_helper_given_a_container_and_an_array_is_derived_for_each():
    check_every_mode(both, scalar_both, X)
    source = sct.reverse(both, wrt="x").source
    assert "def diff__pick_backward" in source and "def diff__pick_2_backward" in source


def _layer(wb, h):
    for k in range(len(wb) // 2):
        h = np.tanh(h @ wb[2 * k] + wb[2 * k + 1])
    return h


def _net(params, h):
    for i in range(len(params)):
        h = _layer(params[i], h)
    return h


def _rows(rows, h):
    for i in range(len(rows)):
        h = h * _row_sum(rows[i])
    return h


def _row_sum(row):
    total = 0.0
    for k in range(len(row)):
        total = total + np.sin(row[k]) * (k + 1)
    return total


def items_passed_on(x, W1, W2, b2, inputs):
    return _net([(W1, x), (W2, b2)], inputs)


def rows_passed_on(x, W1, W2, b2, inputs):
    return _rows([x, x[:3] * 2.0, b2], inputs)


def scalar_items_passed_on(x, W1, W2, b2, inputs):
    return np.sum(items_passed_on(x, W1, W2, b2, inputs) ** 2)


def scalar_rows_passed_on(x, W1, W2, b2, inputs):
    return np.sum(rows_passed_on(x, W1, W2, b2, inputs) ** 2)


@pytest.mark.parametrize("f, g", [(items_passed_on, scalar_items_passed_on),
                                  (rows_passed_on, scalar_rows_passed_on)], ids=["tuples", "arrays"])
def test_an_item_of_a_container_passed_on_to_a_helper_every_mode(f, g):
    """The item may be a container or an array: the helper starts its adjoint with zeros_items."""
    check_every_mode(f, g, X, W1, W2, B2, INPUTS)


def _layers_given(x, layers, inputs):
    return _paired([(layers[0][0], x), layers[1]], inputs)


def _zipped_given(x, Ws, inputs):
    return _zipped(Ws, [x, B2], inputs)


def scalar_layers_given(x, layers, inputs):
    return np.sum(_layers_given(x, layers, inputs) ** 2)


def scalar_zipped_given(x, Ws, inputs):
    return np.sum(_zipped_given(x, Ws, inputs) ** 2)


@pytest.mark.parametrize("f, g, given", [(_layers_given, scalar_layers_given, [(W1, X), (W2, B2)]),
                                         (_zipped_given, scalar_zipped_given, (W1, W2))],
                         ids=["an item", "a tuple"])
def test_a_container_the_user_passes_beside_the_input_every_mode(f, g, given):
    """Inactive, its zero tangent is made item by item where it is an item of a container (or of a tape)."""
    check_every_mode(f, g, X, given, INPUTS)


def test_sequence_names_takes_the_parameters_the_callers_pass_containers():
    code = "def f(params, other, rebound):\n    rebound = rebound * 2\n    return params[0]"
    func = ast.parse(code).body[0]
    assert sequence_names(func) == set()
    assert sequence_names(func, ("params", "rebound")) == {"params"}
