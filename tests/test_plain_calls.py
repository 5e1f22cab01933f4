"""The fast path of a call (floats and float arrays go straight to the emitted code, see sct.plain_call and
sct.higher.known_outputs) decides from each call's own arguments: after calls with floats, an integer
array, an array passed twice to a function writing into it, a ragged list, a complex value or an output of
another shape is still caught or handled, in every mode, and the results stay those of central
differences (Richardson-extrapolated)."""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct
from sct.plain_call import PlainCall

A = np.array([0.7, -1.3, 2.1])
B = np.array([1.5, 0.4, -0.8])
V = np.array([0.3, -0.6, 1.1])


def weighted(a, b):
    return np.sum(b * a ** 3)


def made_like(a, b):
    c = np.zeros_like(a)  # holds integers when a does: the write below truncates
    c[0] = a[0] * 0.5
    return np.sum(c * a * b)


def writes_first(a, b):
    a[0] = 10.0 * a[0]
    return np.sum(a * b * b)


def sums_items(a, b):
    return np.sum(np.asarray(a) * 2.0) + np.sum(b)


def positive(a, b):
    return a[a > 0.0] * 3.0 + np.sum(b)


def cut(a, b, k):
    return a[:int(k)] * a[:int(k)] * np.sum(b)


def _unit(i, shape):
    e = np.zeros(shape)
    e.flat[i] = 1.0
    return e


def _on_copies(f):
    """``f`` called on copies of its arguments (some of the functions write into them)."""
    return lambda *args: f(*[np.array(x) if isinstance(x, np.ndarray) else x for x in args])


def _gradient(f, args, index=0):
    x = np.asarray(args[index], dtype=float)
    return np.array([richardson_difference(_on_copies(f), args, {index: _unit(i, x.shape)})
                     for i in range(x.size)]).reshape(x.shape)


def _hvp(f, args, v):
    """H @ v: the directional derivative along v of the (Richardson) gradient."""
    return richardson_difference(lambda *xs: _gradient(f, xs), args, {0: v}, step=1e-2)


# (name, the object, its call on (a, b), the oracle of that call)
OBJECTS = [
    ("reverse", lambda f: sct.reverse(f), lambda d, a, b: d(a, b)[1], lambda f, a, b: _gradient(f, (a, b))),
    ("forward", lambda f: sct.forward(f), lambda d, a, b: d(a, b, V)[1],
     lambda f, a, b: richardson_difference(_on_copies(f), (a, b), {0: V})),
    ("grad", lambda f: sct.grad(f), lambda d, a, b: d(a, b), lambda f, a, b: _gradient(f, (a, b))),
    ("grad wrt both", lambda f: sct.grad(f, wrt=("a", "b")), lambda d, a, b: d(a, b)[1],
     lambda f, a, b: _gradient(f, (a, b), 1)),
    ("jacobian forward", lambda f: sct.jacobian(f), lambda d, a, b: d(a, b),
     lambda f, a, b: _gradient(f, (a, b))),
    ("jacobian reverse", lambda f: sct.jacobian(f, mode="reverse"), lambda d, a, b: d(a, b),
     lambda f, a, b: _gradient(f, (a, b))),
    ("hessian", lambda f: sct.hessian(f), lambda d, a, b: d(a, b) @ V, lambda f, a, b: _hvp(f, (a, b), V)),
    ("hvp", lambda f: sct.hvp(f), lambda d, a, b: d(a, b, V), lambda f, a, b: _hvp(f, (a, b), V)),
    ("grad_and_hvp", lambda f: sct.grad_and_hvp(f), lambda d, a, b: d(a, b, V)[1],
     lambda f, a, b: _hvp(f, (a, b), V)),
]
NAMES = [name for name, *_ in OBJECTS]


def _object(name, f):
    _, make, call, oracle = OBJECTS[NAMES.index(name)]
    return make(f), call, oracle


@pytest.mark.parametrize("name", NAMES)
def test_floats_before_and_after_other_kinds_are_exact(name):
    made, call, oracle = _object(name, weighted)
    strided = np.repeat(A, 2)[::2]  # a view, not contiguous
    read_only = A.copy()
    read_only.flags.writeable = False
    for a in (A, A.astype(np.float32), strided, read_only, A):
        assert relative_error(call(made, a, B), oracle(weighted, np.array(a, dtype=float), B)) < 1e-5


@pytest.mark.parametrize("name", NAMES)
def test_an_integer_array_after_floats_is_checked(name):
    made, call, oracle = _object(name, made_like)
    a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])
    assert relative_error(call(made, a, b), oracle(made_like, a, b)) < 1e-6
    with pytest.raises(TypeError, match="holds integers"):
        call(made, np.array([1, 2, 3]), b)
    assert relative_error(call(made, a, b), oracle(made_like, a, b)) < 1e-6


@pytest.mark.parametrize("name", ["reverse", "forward", "grad"])
def test_integer_scalars_after_floats_are_read_as_floats(name):
    made = {"reverse": sct.reverse, "forward": sct.forward, "grad": sct.grad}[name](lambda_free_square)
    extra = (1.0,) if name == "forward" else ()
    floats = made(3.0, *extra)
    integers = made(3, *extra)
    assert floats == integers and integers == made(3.0, *extra)
    derivative = integers[1] if name != "grad" else integers
    assert type(derivative) is float and derivative == 6.0


def lambda_free_square(x):
    return x * x


@pytest.mark.parametrize("name", NAMES)
def test_an_array_passed_twice_after_distinct_ones_is_refused(name):
    made, call, oracle = _object(name, writes_first)
    a, b = A.copy(), B.copy()
    assert relative_error(call(made, a, b), oracle(writes_first, A.copy(), B.copy())) < 1e-6
    assert np.array_equal(a, A) and np.array_equal(b, B)  # copied before the emitted code writes
    with pytest.raises(ValueError, match="shares memory"):
        call(made, a, a)
    assert np.array_equal(a, A)


@pytest.mark.parametrize("name", ["reverse", "grad", "jacobian forward", "jacobian reverse", "hessian",
                                  "hvp"])
def test_a_ragged_list_after_float_arrays_is_refused(name):
    """Higher derivatives refuse a ragged list; reverse mode reads it item by item, so that it fails as the
    function itself does (``np.asarray`` of a ragged list)."""
    made, call, oracle = _object(name, sums_items)
    assert relative_error(call(made, A, B), oracle(sums_items, A, B)) < 1e-6
    ragged = [np.ones(2), np.ones(3)]
    if name in ("reverse", "grad"):
        with pytest.raises(ValueError, match="inhomogeneous"):
            sums_items(ragged, B)
        with pytest.raises(ValueError, match="inhomogeneous"):
            call(made, ragged, B)
    else:
        with pytest.raises(TypeError, match="different shapes"):
            call(made, ragged, B)


@pytest.mark.parametrize("name", NAMES)
def test_a_complex_array_after_floats_is_refused(name):
    made, call, _ = _object(name, weighted)
    call(made, A, B)
    with pytest.raises(TypeError, match="complex"):
        call(made, A + 1j, B)


def test_complex_arguments_not_differentiated_and_complex_tangents_are_refused_after_floats():
    reverse, forward = sct.reverse(weighted), sct.forward(weighted)
    reverse(A, B), forward(A, B, V)
    with pytest.raises(TypeError, match="complex"):
        reverse(A, B + 1j)
    with pytest.raises(TypeError, match="complex"):
        forward(A, B, V + 1j)


def test_integer_tangents_after_float_ones_are_read_as_floats():
    forward = sct.forward(weighted)
    ones = np.ones(3)
    assert np.allclose(forward(A, B, ones), forward(A, B, np.ones(3, dtype=int)))
    assert np.allclose(forward(A, B, ones)[1], richardson_difference(weighted, (A, B), {0: ones}))


def test_a_reverse_jacobian_whose_output_shape_depends_on_the_values_is_exact():
    """The same signature of a call, outputs of three shapes: the shape kept from the last call is
    checked against the sweep's own output."""
    jacobian = sct.jacobian(positive, mode="reverse")
    for a in (np.array([1.0, 2.0, 3.0]), np.array([1.0, -2.0, 3.0]), np.array([-1.0, -2.0, 3.0]),
              np.array([1.0, 2.0, 3.0])):
        kept = a > 0.0
        expected = 3.0 * np.eye(3)[kept]
        assert np.array_equal(jacobian(a, B), expected)


@pytest.mark.parametrize("k", [2.0, 3.0, 1.0, 3, 2])
def test_a_reverse_jacobian_whose_output_shape_depends_on_a_number_is_exact(k):
    jacobian = sct.jacobian(cut, mode="reverse")
    expected = np.stack([richardson_difference(cut, (A, B, k), {0: _unit(i, 3)}) for i in range(3)], axis=-1)
    assert relative_error(jacobian(A, B, k), expected) < 1e-6


def test_the_fast_path_takes_floats_and_float_arrays_only():
    plain = PlainCall(["a", "b"], ["a"], [], set())
    assert list(plain.arguments((1.0, 2), ())) == [1.0, 2]
    assert plain.arguments((A, np.array([1, 2])), ()) is not None  # integers not differentiated
    others = (1, True, np.float64(1.0), np.array([1, 2]), [1.0], (1.0,), {"k": 1.0}, A + 1j,
              A.view(np.matrix))
    for a in others:
        assert plain.arguments((a, 2.0), ()) is None
    assert plain.arguments((A, B + 1j), ()) is None
    assert plain.arguments((A, [B]), ()) is None
    forward = PlainCall(["a", "b"], ["a"], ["a_dot"], {"a_dot"})
    tangent = np.ones(3)
    args = forward.arguments((A, B), (tangent,))
    assert args[2] is not tangent and np.array_equal(args[2], tangent)  # written: copied
    assert forward.arguments((A, B), (np.ones(3, dtype=int),)) is None


def pair(a, b):
    return a * b, np.sum(a ** 2)


def _seeded(u, s):
    return lambda a, b: np.sum(u * a * b) + s * np.sum(a ** 2)


def test_a_seed_by_keyword_after_default_seeds_is_read_as_floats():
    reverse = sct.reverse(pair)
    reverse(A, B)
    for seed in ((V, 2.0), (V, 2), [np.round(V * 10).astype(int), 2.0]):
        expected = _gradient(_seeded(np.asarray(seed[0], dtype=float), float(seed[1])), (A, B))
        assert relative_error(reverse(A, B, seed=seed)[1], expected) < 1e-6
    with pytest.raises(TypeError, match="complex"):
        reverse(A, B, seed=(V + 1j, 2.0))
    vector = sct.reverse(weighted)
    assert relative_error(vector(A, B, seed=3)[1], 3.0 * _gradient(weighted, (A, B))) < 1e-6
