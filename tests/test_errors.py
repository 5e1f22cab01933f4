"""Every error sct raises for code it cannot differentiate: an SCTError that names the file, line and column
(``file.py:LINE:COL``), the construct, and a hint; unknown calls are named, never differentiated as zero."""
from __future__ import annotations

import functools
import inspect
import os

import numpy as np
import pytest
import scipy.special

import sct

FILE = os.path.basename(__file__)
SCALE = 2.0


def uses_try(x):
    try:  # error: try
        y = x * 2.0
    except ValueError:
        y = x
    return y


def uses_with(x):
    with np.errstate(all="ignore"):  # error: with
        y = np.log(x)
    return y


def uses_lambda(x):  # stored in a list: a lambda only called is inlined (tests/test_lambdas.py)
    square = lambda t: t * t  # error: lambda  # noqa: E731
    squares = [square]
    return squares[0](x)


def uses_class(x):
    class Box:  # error: class
        pass
    return x


def uses_global(x):
    global SCALE  # error: global
    return x * SCALE


def uses_list_comprehension(x):
    return np.array([t * 2.0 for t in x]) if x[0] > 0.0 else x  # error: [t


def uses_set_comprehension(x):
    return len({t for t in x}) * x  # error: {t


def uses_dict_comprehension(x):
    return len({i: t for i, t in enumerate(x)}) * x  # error: {i


def uses_generator(x):
    return np.stack(t * t for t in x)  # error: (t * t


def uses_nested_def(x):
    def inner(t):  # error: def inner
        return t * 2.0
    return inner(x)


def uses_star_call(x):
    return np.maximum(*x)  # error: *x


def uses_yield(x):
    yield x * 2.0  # error: yield


def uses_walrus(x):
    return (y := x * 2.0) * y  # error: y :=


def uses_del(x):
    y = x * 2.0
    del y  # error: del
    return x


def uses_dict_literal(x):
    d = {str(x): x}  # error: str(x)
    return d["a"]


def uses_chained_assignment(x):  # one that unpacks: a chained assignment of names is accepted
    y, w = z = (x * 2.0, x)  # error: y, w
    return y * z[1] + w


def uses_star_args(*xs):  # error: def
    return xs[0]


def uses_keyword_args(x, **options):  # error: def
    return x * 2.0


def no_return(x):  # error: def
    x * 2.0


def bare_return(x):
    if x > 0:
        return  # error: return
    return x


def loop_else(x):
    for _ in range(3):  # error: for
        x = x * 2.0
    else:
        x = x + 1.0
    return x


UNSUPPORTED = [  # (function, words the message must contain)
    (uses_try, ["try"]), (uses_with, ["with"]), (uses_lambda, ["lambda"]), (uses_class, ["class"]),
    (uses_global, ["global"]), (uses_list_comprehension, ["comprehension", "if ... else"]),
    (uses_set_comprehension, ["set comprehension"]), (uses_dict_comprehension, ["dict comprehension"]),
    (uses_generator, ["generator"]), (uses_nested_def, ["nested function"]), (uses_star_call, ["star"]),
    (uses_yield, ["yield"]), (uses_walrus, [":="]), (uses_del, ["del"]),
    (uses_dict_literal, ["dict"]), (uses_chained_assignment, ["chained assignment"]),
    (uses_star_args, ["*args"]), (uses_keyword_args, ["**kwargs"]), (no_return, ["no return"]),
    (bare_return, ["bare `return`"]), (loop_else, ["else"]),
]


def _marked_location(f) -> tuple:
    """(line, column) of the ``# error: <token>`` marker's token in ``f``'s source, both 1-based."""
    lines, start = inspect.getsourcelines(f)
    for offset, line in enumerate(lines):
        if "# error: " in line:
            token = line.split("# error: ")[1].split("  #")[0].strip()
            return start + offset, line.index(token) + 1
    raise AssertionError(f"no marker in {f.__name__}")


@pytest.mark.parametrize("mode", [sct.forward, sct.reverse], ids=["forward", "reverse"])
@pytest.mark.parametrize("f, words", UNSUPPORTED, ids=lambda c: getattr(c, "__name__", ""))
def test_unsupported_syntax_is_located(f, words, mode):
    with pytest.raises(sct.SCTError) as info:
        mode(f)
    error = info.value
    line, col = _marked_location(f)
    message = str(error)
    assert f"{FILE}:{line}:{col}:" in message, message
    for word in words:
        assert word in message, message
    assert error.hint and f"hint: {error.hint}" in message
    assert error.lineno == line and error.filename.endswith(FILE)


# --------------------------------------------------------------------------------------- unknown calls
class Scaler:
    def __call__(self, t):
        return 2.0 * t


scaler = Scaler()
vectorized = np.vectorize(lambda t: t * 2.0)
partial_power = functools.partial(np.power, 2.0)


def calls_fft(x):
    return np.sum(np.abs(np.fft.fft(x)))  # error: np.fft.fft


def calls_fft_real(x):
    return np.sum(np.fft.fft(x).real)  # error: np.fft.fft


def calls_callable_object(x):
    return np.sum(scaler(x))  # error: scaler


def calls_vectorized(x):
    return np.sum(vectorized(x))  # error: vectorized


def calls_partial(x):
    return np.sum(partial_power(x))  # error: partial_power


def calls_unknown_numpy(x):
    return np.sum(np.unwrap(x))  # error: np.unwrap


def calls_unknown_scipy(x):
    return np.sum(scipy.special.gamma(x))  # error: scipy.special.gamma


def calls_unknown_method(x):
    return np.sum(x.compress(x > 0))  # error: x.compress


def reads_unknown_attribute(x):
    return np.sum(x.flat)  # error: x.flat


UNKNOWN = [
    (calls_fft, "np.fft.fft"), (calls_fft_real, "np.fft.fft"), (calls_callable_object, "scaler"),
    (calls_vectorized, "vectorized"), (calls_partial, "partial_power"), (calls_unknown_numpy, "numpy.unwrap"),
    (calls_unknown_scipy, "scipy.special.gamma"), (calls_unknown_method, "compress"),
    (reads_unknown_attribute, "flat"),
]


@pytest.mark.parametrize("mode", [sct.forward, sct.reverse], ids=["forward", "reverse"])
@pytest.mark.parametrize("f, name", UNKNOWN, ids=lambda c: getattr(c, "__name__", ""))
def test_unknown_call_is_named_never_zero(f, name, mode):
    with pytest.raises(sct.SCTError) as info:
        mode(f)
    message = str(info.value)
    line, col = _marked_location(f)
    if f is not calls_fft_real or mode is sct.forward:
        assert f"{FILE}:{line}:{col}:" in message, message
    assert f"'{name}" in message or f".{name}'" in message, message
    assert "hint:" in message


# ----------------------------------------------------------------------------------------- rule misuse
def einsum_variable_subscripts(a, spec):
    return np.einsum(spec, a)  # error: np.einsum


def einsum_ellipsis(a):
    return np.einsum("i.->...", a)  # error: np.einsum


def einsum_operands(a):
    return np.einsum("ij,jk->ik", a)  # error: np.einsum


def slogdet_unpacked_later(a):
    result = np.linalg.slogdet(a)  # error: np.linalg
    return result[1]


MISUSE = [
    (einsum_variable_subscripts, "string literal"), (einsum_ellipsis, "ellipsis"),
    (einsum_operands, "2 operands, got 1"), (slogdet_unpacked_later, "sign, logdet = np.linalg.slogdet(a)"),
]


@pytest.mark.parametrize("mode", [sct.forward, sct.reverse], ids=["forward", "reverse"])
@pytest.mark.parametrize("f, words", MISUSE, ids=lambda c: getattr(c, "__name__", ""))
def test_rule_misuse_is_located(f, words, mode):
    with pytest.raises(sct.SCTError) as info:
        mode(f)
    line, col = _marked_location(f)
    assert f"{FILE}:{line}:{col}:" in str(info.value)
    assert words in str(info.value)


# ------------------------------------------------------------------------------- what to differentiate
def two_inputs(x, y):
    return x * y


def vector_valued(x):
    return x * 2.0


@pytest.mark.parametrize("mode", [sct.forward, sct.reverse, sct.grad], ids=["forward", "reverse", "grad"])
@pytest.mark.parametrize("target", [np.sin, np.linalg.det, sum, len, np.vectorize(np.cos)],
                         ids=["ufunc", "numpy-function", "builtin-sum", "builtin-len", "vectorize"])
def test_builtin_is_refused(target, mode):
    with pytest.raises(sct.SCTError, match="not a Python function with source code") as info:
        mode(target)
    assert info.value.hint


LAMBDA = lambda x: x * 2.0  # noqa: E731


@pytest.mark.parametrize("mode", [sct.forward, sct.reverse, sct.grad], ids=["forward", "reverse", "grad"])
def test_lambda_is_refused(mode):
    with pytest.raises(sct.SCTError, match="lambda") as info:
        mode(LAMBDA)
    assert "def" in info.value.hint
    with pytest.raises(sct.SCTError, match="lambda"):
        mode(lambda t: np.sin(t))


@pytest.mark.parametrize("wrt", ["z", ("x", "z"), "x, z", ["y", "w"]], ids=str)
@pytest.mark.parametrize("mode", [sct.forward, sct.reverse], ids=["forward", "reverse"])
def test_wrt_must_name_parameters(wrt, mode):
    with pytest.raises(sct.SCTError) as info:
        mode(two_inputs, wrt=wrt)
    message = str(info.value)
    line = inspect.getsourcelines(two_inputs)[1]
    assert f"{FILE}:{line}:" in message
    assert "is not a parameter of two_inputs(x, y)" in message
    assert info.value.hint


def test_grad_of_vector_function_says_use_reverse():
    with pytest.raises(ValueError, match="scalar-valued"):
        sct.grad(vector_valued)(np.ones(3))


def test_error_type_is_exported():
    assert issubclass(sct.SCTError, Exception)
    error = sct.SCTError("message", "file.py", 3, 4, hint="do this")
    assert str(error) == "file.py:3:5: message\n  hint: do this"
