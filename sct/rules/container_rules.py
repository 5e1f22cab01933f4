"""Rules for Python's containers and the builtins that read them: ``list``, ``tuple``, ``sorted``, and
``max``/``min`` of one sequence (``builtins.max.items``, see :mod:`sct.frontend.calls`).

The derivative of a list is the list of its items' derivatives. ``sorted`` moves the items by a
permutation that depends on their values only: the derivative follows the same permutation (at equal
values, the order ``sorted`` keeps: a one-sided derivative). ``max(v)`` is the item it picks, the first of
equal ones. The runtime helpers are in :mod:`sct.runtime.containers`.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from .. import runtime
from ..ir.builders import call, load
from .core import (
    RUNTIME,
    SAFE,
    adjoint,
    batched_adjoint,
    batched_tangent,
    generator,
    helper,
    list_valued,
    nondiff,
    primitive,
    tangent,
)
from .linear import linear
from .templates import is_zero, tangent_assignment

primitive("builtins.list", "builtins.tuple", "builtins.sorted", "builtins.max.items", "builtins.min.items")


@tangent("builtins.list")
def _list(z, x):
    z_dot = list(x_dot)


@tangent("builtins.tuple")
def _tuple(z, x):
    z_dot = tuple(x_dot)


@batched_tangent("builtins.list", "builtins.tuple")
def _list(z, x):
    z_dot = batch_items_of(x_dot, x)


@adjoint("builtins.list", "builtins.tuple")
def _list(z, x):
    x_bar = items_adjoint(z_bar, x)


@batched_adjoint("builtins.list", "builtins.tuple")
def _list(z, x):
    x_bar = batch_items_adjoint(z_bar, x)


@tangent("builtins.sorted")
def _sorted(z, iterable, key=None, reverse=False):
    z_dot = permute(iterable_dot, sort_order(iterable, key=key, reverse=reverse), iterable)


@batched_tangent("builtins.sorted")
def _sorted(z, iterable, key=None, reverse=False):
    z_dot = batch_permute(iterable_dot, sort_order(iterable, key=key, reverse=reverse), iterable)


@adjoint("builtins.sorted")
def _sorted(z, iterable, key=None, reverse=False):
    iterable_bar = unpermute(z_bar, sort_order(iterable, key=key, reverse=reverse), iterable)


@batched_adjoint("builtins.sorted")
def _sorted(z, iterable, key=None, reverse=False):
    iterable_bar = batch_unpermute(z_bar, sort_order(iterable, key=key, reverse=reverse), iterable)


# max(values) / min(values): `largest` is added to the call by sct.frontend.calls.
@tangent("builtins.max.items", "builtins.min.items")
def _extremum(z, iterable, key=None, largest=True):
    z_dot = iterable_dot[extremum_index(iterable, largest, key=key)]


@batched_tangent("builtins.max.items", "builtins.min.items")
def _extremum(z, iterable, key=None, largest=True):
    z_dot = batch_item(iterable_dot, extremum_index(iterable, largest, key=key))


@adjoint("builtins.max.items", "builtins.min.items")
def _extremum(z, iterable, key=None, largest=True):
    iterable_bar = item_adjoint(z_bar, iterable, extremum_index(iterable, largest, key=key))


@batched_adjoint("builtins.max.items", "builtins.min.items")
def _extremum(z, iterable, key=None, largest=True):
    iterable_bar = batch_item_adjoint(z_bar, iterable, extremum_index(iterable, largest, key=key))


# The helpers in emitted code, differentiated again for second derivatives. (``add_at`` returns its target,
# which may be a list: batches of it are indexed item by item.)
list_valued(RUNTIME + "higher.add_at", RUNTIME + "higher.added_at")
nondiff(RUNTIME + "sort_order", RUNTIME + "extremum_index")
linear(runtime.items_adjoint, "g", batched="batch_items_adjoint", returns_list=True)
linear(runtime.permute, "t", batched="batch_permute", returns_list=True)


@adjoint(RUNTIME + "permute")
def _permute(z, t, order, x):
    t_bar = unpermute(z_bar, order, x)


@batched_adjoint(RUNTIME + "permute")
def _permute(z, t, order, x):
    t_bar = batch_unpermute(z_bar, order, x)
linear(runtime.unpermute, "g", batched="batch_unpermute", returns_list=True)
linear(runtime.item_adjoint, "g", batched="batch_item_adjoint", returns_list=True)


# Dicts (sct.frontend.dicts): a write d[k] = v is the new dict dict_set(d, k, v); items are batches as
# written, so every form is batch-safe but the adjoint's zero at the key, which takes the batch's size.
primitive(RUNTIME + "dict_set", batch=SAFE)
nondiff(RUNTIME + "dict_keys")
linear(runtime.dict_set_adjoint, "g", batched="batch_dict_set_adjoint", returns_list=True)
helper("dict_set")


@tangent(RUNTIME + "dict_set")
def _dict_set(z, d, key, value, like=None):
    z_dot = dict_set(d_dot, key, value_dot, like=d)


@batched_tangent(RUNTIME + "dict_set")
def _dict_set(z, d, key, value, like=None):
    z_dot = batch_dict_set(d_dot, key, value_dot, d)


@adjoint(RUNTIME + "dict_set")
def _dict_set(z, d, key, value, like=None):
    d_bar = dict_set_adjoint(z_bar, key, d)
    value_bar = z_bar[key]
list_valued(RUNTIME + "add_items")


def _add_items_signature(target, index, value):
    pass


def _add_items_tangent(site, zeros) -> list:
    """``t = add_items(t, i, v)``: the tangent of ``t`` gets ``v``'s tangent added at ``i``."""
    target_dot, value_dot = site.dot(site.bound["target"]), site.dot(site.bound["value"])
    if is_zero(value_dot):
        return tangent_assignment(site, target_dot)
    if is_zero(target_dot):
        target_dot = zeros(site)
    return tangent_assignment(site, call("add_items", target_dot, site.arg("index"), value_dot))


@generator(RUNTIME + "add_items", mode="tangent", signature=_add_items_signature)
def _add_items(site) -> list:
    return _add_items_tangent(site, lambda s: call("zeros_list", s.arg("target")))


@generator(RUNTIME + "add_items", mode="batched_tangent", signature=_add_items_signature)
def _add_items_batched(site) -> list:
    return _add_items_tangent(site, lambda s: call("batch_zeros", s.arg("target"), load(s.batch)))
