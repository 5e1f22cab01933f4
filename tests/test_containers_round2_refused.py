"""Python containers: what sct cannot make exact (computed dict keys, a list grown while looped over,
an aliased write) is refused at transform time, naming the place."""
from __future__ import annotations

import pytest

import sct


# -------------------------------------------------------------------------------------- refusals
def computed_key(x):
    d = {str(x[0]): x}
    return d["a"]


def spread(x):
    d = {"a": x}
    e = {**d}
    return e["a"]


def grows_while_looping(x):
    d = {"a": x}
    for _k, v in d.items():
        d["b"] = v
    return d["a"]


def aliased_write(x):
    d = {"a": x * 2}
    e = d
    d["a"] = x * 3
    return e["a"]


@pytest.mark.parametrize("f, words", [
    (computed_key, ["dict key computed", "constant"]), (spread, ["**", "dict display"]),
    (grows_while_looping, ["d.items()", "grows"]), (aliased_write, ["'d'", "'e'"]),
])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_refused_at_transform_time_with_the_place(f, words, mode):
    with pytest.raises(sct.SCTError) as info:
        getattr(sct, mode)(f)
    message = str(info.value)
    assert "test_containers_round2_refused.py:" in message, message
    for word in words:
        assert word in message, message
