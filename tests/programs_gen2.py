"""A random-program generator for the constructs with effects: what ``test_random_programs`` never writes.

Every program is ``f(x, y)`` (``f(x, y, rng)`` when it draws from a generator passed in) whose inputs have
shapes drawn from ``SHAPES``; ``B`` is their broadcast shape. The prologue makes ``a`` and ``b`` of shape
``B`` and a buffer ``z`` of shape ``(3,) + B``, the statements of one *family* then rebind and write them
(every value a statement gives ``a`` or ``b`` keeps shape ``B``, so the program runs at every shape), and
the function returns a scalar or an array built from ``a``, ``b`` and ``z``.

Families: ``tuple_assign`` (right side evaluated before any name is bound), ``masked_write`` (the mask is
computed from the array written), ``fancy_write`` (repeated indices: the last write wins, ``+=`` adds
once per write), ``inplace`` (augmented operators on scalars, arrays and slices), ``alias_view`` (a second
name or a view of the array written), ``random_calls`` (a generator created inside with a fixed seed,
passed in, or numpy's global one seeded inside) and ``control`` (all of them inside loops and branches);
``plain`` rebinds names only, to test what every family relies on (array outputs with the default seed).
"""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

SHAPES = [(), (1,), (3,), (2, 3), (1, 3)]
FAMILIES = ["plain", "tuple_assign", "masked_write", "fancy_write", "inplace", "alias_view", "random_calls",
            "control"]
UNARY = ["np.sin({})", "np.tanh({})", "np.exp(-({}) ** 2)", "np.sqrt(1.0 + ({}) ** 2)", "-({})",
         "np.log(1.0 + ({}) ** 2)"]
BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / (1.5 + np.cos({}) ** 2))"]
LEAVES = ["a", "b", "x", "y"]
THRESHOLDS = ["-0.5", "0.0", "0.3", "1.0"]
CONSTANTS = ["0.5", "-0.75", "1.25", "2.0"]


@dataclass(frozen=True)
class Program:
    """A generated program: its source, its family, the input shapes and whether it takes ``rng``."""

    source: str
    family: str
    x_shape: tuple
    y_shape: tuple
    takes_rng: bool


def broadcast(*shapes: tuple) -> tuple:
    """numpy's broadcast shape of ``shapes`` (without importing numpy into the generator)."""
    ndim = max((len(s) for s in shapes), default=0)
    padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
    return tuple(max(dims) for dims in zip(*padded))


def shape_literal(shape: tuple) -> str:
    """``(3,)`` -> ``"(3,)"``, ``(2, 3)`` -> ``"(2, 3)"``, ``()`` -> ``"()"``."""
    return repr(tuple(shape))


@st.composite
def expressions(draw, depth: int = 2) -> str:
    """A smooth elementwise expression of ``a``, ``b``, ``x``, ``y`` and constants (shape within ``B``)."""
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(LEAVES + CONSTANTS))
    if draw(st.booleans()):
        return draw(st.sampled_from(UNARY)).format(draw(expressions(depth - 1)))
    left, right = draw(expressions(depth - 1)), draw(expressions(depth - 1))
    return draw(st.sampled_from(BINARY)).format(left, right)


@st.composite
def full(draw) -> str:
    """An expression of shape exactly ``B``: it adds (a multiple of) ``a`` or ``b`` to a free one."""
    term = draw(st.sampled_from(["a", "b", f"{draw(st.sampled_from(CONSTANTS))} * a", "b * 0.5"]))
    return f"{term} + {draw(expressions())}"


@st.composite
def factor(draw) -> str:
    """A factor in [0.5, 1.5] that keeps repeated products bounded."""
    return f"(1.0 + 0.5 * np.tanh({draw(expressions())}))"


@st.composite
def tuple_assign(draw, ctx) -> list:
    choice = draw(st.integers(0, 4))
    e1, e2 = draw(expressions()), draw(expressions())
    c = draw(st.sampled_from(CONSTANTS))
    if choice == 0:
        return [f"a, b = b, a + b * ({e1})"]
    if choice == 1:
        return [f"a, b = a + {c} * b * ({e1}), b - {c} * a * ({e2})"]
    if choice == 2:
        return ["a, b = b, a"]
    if choice == 3:
        return [f"(a, b) = (b * {c}, a + ({e1}))"]
    return [f"t = {e1}", "[a, b] = [b + t * a, a - t]"]


@st.composite
def masked_write(draw, ctx) -> list:
    choice = draw(st.integers(0, 5))
    c, k = draw(st.sampled_from(THRESHOLDS)), draw(st.sampled_from(CONSTANTS))
    if choice == 0:
        return [f"z[z > {c}] = {k}"]
    if choice == 1:
        return [f"z[z > {c}] = np.sin(z[z > {c}])"]
    if choice == 2:
        return [f"m = z < {c}", f"z[m] = z[m] * {k} + 1.0"]
    if choice == 3:
        return [f"z[np.abs(z) > {c}] *= {k}"]
    if choice == 4:
        column = "z[:" + ", 0" * len(ctx.B) + "]"
        return [f"z[np.argmax({column})] = {k}"]
    if ctx.B:
        return [f"a[a > {c}] = b[a > {c}]"]
    return [f"z[z > {c}] = a"]


@st.composite
def fancy_write(draw, ctx) -> list:
    choice = draw(st.integers(0, 5))
    e = draw(expressions())
    if choice == 0:
        return [f"z[[0, 0, 1]] = {e}"]
    if choice == 1:
        return [f"z[[0, 0, 1]] = z[[2, 1, 0]] * ({e})"]
    if choice == 2:
        return ["idx = [0, 2, 0]", f"z[idx] += {e}"]
    if choice == 3:
        return ["idx = np.array([1, 1, 1])", f"z[idx] -= {e}"]
    if choice == 4:
        return [f"z[[2, 0, 2]] *= {draw(factor())}"]
    return ["z[[0, 2]] = z[[2, 0]]"]


@st.composite
def inplace(draw, ctx) -> list:
    target = draw(st.sampled_from(["a", "b", "z", "z[1:]", "z[0]", "z[-1]"]))
    op = draw(st.sampled_from(["+=", "-=", "*=", "/="]))
    if op == "*=":
        value = draw(factor())
    elif op == "/=":
        value = f"(1.5 + np.sin({draw(expressions())}) ** 2)"
    else:
        value = draw(expressions())
    return [f"{target} {op} {value}"]


@st.composite
def alias_view(draw, ctx) -> list:
    choice = draw(st.integers(0, 13))
    e = draw(expressions())
    # 7-13: a second name that shares nothing at the write (a copy, a rebinding, a view bound after it,
    # a view only read): sct must accept these and be exact
    if choice == 7:
        return ["c = np.copy(a)", f"c += {e}", "a = a + c"]
    if choice == 8:
        return ["c = z", f"c = c + {e}", "z[0] = c[1] * 2.0"]
    if choice == 9:
        return [f"z[1] = {e}", "v = z[1:]", "a = a + v[0]"]
    if choice == 10:
        return ["v = z[:2]", "a = a * v[1] + v[0]"]
    if choice == 11:
        return ["c = a", "a = a * 2.0", f"c += {e}", "b = b + c"]
    if choice == 12:
        return ["v = z.T", f"a = a + v.T[0] * ({e})"]
    if choice == 13:
        return ["c = z[[0, 1]]", f"c[0] = {e}", "a = a + c[0] * c[1]"]
    if choice == 0:
        return ["c = a", f"c += {e}", "b = b * 0.5 + c"]
    if choice == 1:
        return ["c = z", f"c[0] = {e}"]
    if choice == 2:
        return ["v = z[1:]", f"v += {e}"]
    if choice == 3:
        return ["v = z[0]", f"z[0] = {e}", "a = a + v"]
    if choice == 4:
        return ["r = z.reshape(-1)", f"r *= {draw(factor())}"]
    if choice == 5:
        return [f"c = a if np.sum({e}) > 0.0 else b", f"c *= {draw(factor())}", "a = a + c"]
    return ["c = x", f"c += {e}", "a = a + x * c"]


@st.composite
def random_calls(draw, ctx) -> list:
    choice = draw(st.integers(0, 4))
    seed = draw(st.integers(0, 9))
    size = f"size={shape_literal(ctx.B)}" if ctx.B else ""
    big = shape_literal((3,) + ctx.B)
    k = draw(st.sampled_from(CONSTANTS))
    if choice == 0:
        return [f"g = np.random.default_rng({seed})", f"a = a + {k} * g.standard_normal({size})"]
    if choice == 1:
        return [f"g = np.random.default_rng({seed})", f"e = g.standard_normal({size})", "b = b + e * e * a"]
    if choice == 2:
        ctx.takes_rng = True
        return [f"a = a * rng.uniform(0.5, 1.5{', ' + size if size else ''}) + b"]
    if choice == 3:
        return [f"np.random.seed({seed})", f"z = z + {k} * np.random.standard_normal({big})"]
    ctx.takes_rng = True
    return [f"noise = rng.normal(size={big})", "z = z * noise + a"]


@st.composite
def plain(draw, ctx) -> list:
    return [f"{draw(st.sampled_from(['a', 'b']))} = {draw(full())}"]


GENERATORS = {"plain": plain, "tuple_assign": tuple_assign, "masked_write": masked_write,
              "fancy_write": fancy_write, "inplace": inplace, "alias_view": alias_view,
              "random_calls": random_calls}


class _Context:
    def __init__(self, B: tuple):
        self.B = B
        self.takes_rng = False


@st.composite
def _statement(draw, ctx, family: str, depth: int) -> list:
    """One statement of ``family`` (``control``: of any family), sometimes inside a loop or a branch."""
    if family == "control":
        family = draw(st.sampled_from([name for name in GENERATORS if name != "plain"]))
        wrap = depth == 0 or draw(st.integers(0, 2)) == 0
    else:
        wrap = depth == 0 and draw(st.integers(0, 4)) == 0
    body = draw(st.one_of(GENERATORS[family](ctx), plain(ctx)) if draw(st.integers(0, 3)) == 0
                else GENERATORS[family](ctx))
    if not wrap or depth > 1:
        return body
    body += draw(_statement(ctx, family, depth + 1)) if draw(st.booleans()) else []
    inner = ["    " + line for line in body]
    if draw(st.booleans()):
        return [f"for i in range({draw(st.integers(0, 3))}):"] + inner
    condition = f"np.sum({draw(expressions(1))}) > {draw(st.sampled_from(THRESHOLDS))}"
    orelse = ["    " + line for line in draw(plain(ctx))]
    return [f"if {condition}:"] + inner + ["else:"] + orelse


@st.composite
def programs(draw, family: str) -> Program:
    """A program of ``family`` at drawn input shapes (see the module docstring)."""
    x_shape, y_shape = draw(st.sampled_from(SHAPES)), draw(st.sampled_from(SHAPES))
    ctx = _Context(broadcast(x_shape, y_shape))
    body = ["a = x * 0.5 + y * 0.25", "b = np.sin(x) * y + 1.0",
            f"z = np.zeros({shape_literal((3,) + ctx.B)}) + a"]
    for _ in range(draw(st.integers(1, 3))):
        body += draw(_statement(ctx, family, 0))
    e = draw(expressions(1))
    if draw(st.booleans()):
        body.append(f"return np.sum(z * ({e})) + np.sum(a * b)")
    else:
        body.append(f"return z * ({e}) + a * b")
    params = "x, y, rng" if ctx.takes_rng else "x, y"
    lines = ["import numpy as np", "", "", f"def f({params}):"] + ["    " + line for line in body]
    return Program("\n".join(lines) + "\n", family, x_shape, y_shape, ctx.takes_rng)
