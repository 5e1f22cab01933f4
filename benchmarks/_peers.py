"""Gradient tools for the GMM benchmark, each behind one small adapter.

An adapter builds a callable ``grad(alphas, means, icf, x, gamma, m) -> (value, (d_alphas, d_means,
d_icf))`` taking and returning numpy arrays, or raises :class:`Unavailable` with the reason: the tool is
not installed, or it cannot differentiate ``mixtures.loglik.gmm_objective``.  Every AD tool
differentiates that same source (rebound to its array module where it traces), never a rewrite.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from mixtures.loglik import gmm_objective, objectives_for

Grads = tuple[np.ndarray, np.ndarray, np.ndarray]
GradFn = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, int], tuple[float, Grads]]

SCT_MODULE = "mixtures._generated.gmm_objective_grad"
SCT_FUNCTION = "diff_gmm_objective"


class Unavailable(Exception):
    """The tool cannot take part; ``str()`` says why ("not installed: ...", "cannot differentiate: ...")."""


def _require(module: str, install: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise Unavailable(f"not installed ({err}); pip install {install}") from None


def _cannot(err: Exception) -> Unavailable:
    first_line = (str(err).strip().splitlines() or [""])[0]
    return Unavailable(f"cannot differentiate: {type(err).__name__}: {first_line[:200]}")


def _labelled(grad: GradFn, origin: str) -> GradFn:
    grad.origin = origin  # type: ignore[attr-defined]  # shown in the table header and JSON
    return grad


def _version(module: Any, distribution: str | None = None) -> str:
    try:
        version = importlib.metadata.version(distribution or module.__name__)
    except importlib.metadata.PackageNotFoundError:
        version = getattr(module, "__version__", "?")
    return f"{module.__name__} {version}"


def _as_result(value: Any, grads: Any) -> tuple[float, Grads]:
    d_alphas, d_means, d_icf = (np.asarray(g, dtype=float) for g in grads)
    return float(value), (d_alphas, d_means, d_icf)


def hand() -> GradFn:
    """The hand-derived numpy gradient in ``mixtures._hand_gradient``."""
    from mixtures._hand_gradient import gmm_objective_and_gradient

    return _labelled(gmm_objective_and_gradient, "mixtures._hand_gradient")


def sct(module: str = SCT_MODULE, function: str = SCT_FUNCTION) -> GradFn:
    """sct's emitted reverse-mode derivative: the checked-in module, else ``sct.reverse`` on the fly."""
    origin = f"{module}.{function}"
    try:
        diff = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as missing:
        origin = "sct.reverse(gmm_objective) built now (no emitted module found)"
        try:
            import sct as sct_package

            diff = sct_package.reverse(gmm_objective, wrt=("alphas", "means", "icf"))
        except ImportError:
            raise Unavailable(f"not available: {missing}") from None
        except Exception as err:  # noqa: BLE001 -- whatever the compiler raised, report it
            raise _cannot(err) from None

    def grad(alphas, means, icf, x, gamma, m):
        value, grads = diff(alphas, means, icf, x, gamma, m)
        return _as_result(value, grads)

    return _labelled(grad, origin)


def autograd() -> GradFn:
    """HIPS autograd tracing ``gmm_objective`` with ``np`` bound to ``autograd.numpy``."""
    ag = _require("autograd", "autograd")
    objective, _ = objectives_for(_require("autograd.numpy", "autograd"))
    value_and_grad = ag.value_and_grad(objective, (0, 1, 2))

    def grad(alphas, means, icf, x, gamma, m):
        return _as_result(*value_and_grad(alphas, means, icf, x, gamma, m))

    return _labelled(grad, _version(ag))


def jax() -> GradFn:
    """``jax.jit(jax.value_and_grad(...))`` on CPU in float64; gamma and m are static arguments."""
    jax_module = _require("jax", "jax jaxlib")
    jax_module.config.update("jax_enable_x64", True)
    objective, _ = objectives_for(jax_module.numpy)
    compiled = jax_module.jit(jax_module.value_and_grad(objective, argnums=(0, 1, 2)), static_argnums=(4, 5))
    cpu = jax_module.devices("cpu")[0]

    def grad(alphas, means, icf, x, gamma, m):
        with jax_module.default_device(cpu):
            value, grads = compiled(alphas, means, icf, x, gamma, m)
        return _as_result(value, jax_module.device_get(grads))

    return _labelled(grad, _version(jax_module))


def torch() -> GradFn:
    """PyTorch eager autograd (CPU, float64) on ``gmm_objective`` through a small numpy-style shim."""
    torch_module = _require("torch", "torch==2.13.0 (CPU wheel)")
    objective, _ = objectives_for(_torch_namespace(torch_module))

    def grad(alphas, means, icf, x, gamma, m):
        f64 = torch_module.float64
        params = [torch_module.tensor(p, dtype=f64, requires_grad=True) for p in (alphas, means, icf)]
        value = objective(*params, torch_module.from_numpy(np.asarray(x, dtype=float)), gamma, m)
        grads = torch_module.autograd.grad(value, params)
        return _as_result(value.item(), [g.numpy() for g in grads])

    return _labelled(grad, _version(torch_module))


def _torch_namespace(torch: Any) -> SimpleNamespace:
    """The numpy calls ``gmm_objective`` makes, spelled in torch (float64)."""

    def reduce(op: Callable[..., Any]) -> Callable[..., Any]:
        def call(a, axis=None, keepdims=False):
            return op(a) if axis is None else op(a, dim=axis, keepdim=keepdims)

        return call

    def constant(op: Callable[..., Any]) -> Callable[..., Any]:
        return lambda a: op(torch.as_tensor(a, dtype=torch.float64))

    return SimpleNamespace(
        pi=np.pi,
        exp=constant(torch.exp),
        log=constant(torch.log),
        sum=reduce(torch.sum),
        max=reduce(torch.amax),
        einsum=torch.einsum,
        arange=torch.arange,
        concatenate=lambda arrays, axis=0: torch.cat(arrays, dim=axis),
        zeros=lambda shape: torch.zeros(shape, dtype=torch.float64),
        ones=lambda shape: torch.ones(shape, dtype=torch.float64),
    )


def tangent() -> GradFn:
    """Tangent (the maintained ``tangent-ad`` fork): source transformation of ``gmm_objective``."""
    tangent_module = _require("tangent", "tangent-ad")
    try:
        diff = tangent_module.grad(gmm_objective, wrt=(0, 1, 2), preserve_result=True, verbose=0)
    except Exception as err:  # noqa: BLE001 -- whatever tangent raised, report it
        raise _cannot(err) from None

    def grad(alphas, means, icf, x, gamma, m):
        *grads, value = diff(alphas, means, icf, x, gamma, m)
        return _as_result(value, grads)

    return _labelled(grad, _version(tangent_module, "tangent-ad"))


@dataclass(frozen=True)
class Peer:
    """A tool's name in tables and JSON, and the adapter that builds its gradient callable."""

    name: str
    build: Callable[[], GradFn]


def all_peers(sct_module: str = SCT_MODULE, sct_function: str = SCT_FUNCTION) -> list[Peer]:
    """Every tool, in table order: the two references first."""
    return [
        Peer("sct", lambda: sct(sct_module, sct_function)),
        Peer("hand", hand),
        Peer("plain", sct_plain),
        Peer("autograd", autograd),
        Peer("jax", jax),
        Peer("torch", torch),
        Peer("tangent", tangent),
    ]


def plain_objective(alphas, means, icf, x, gamma, m) -> float:
    """GradBench's GMM objective (``gradbench/evals/gmm.py``), the plain formulation, in ADBench's arguments.

    Its likelihood is ``gmm_objective``'s written plainly (the broadcast ``x - mu`` and the factor by
    ``einsum``) and its Wishart prior has the opposite, corrected sign, so its gradient is checked
    against the hand-written one of ``handwritten.gmm_gradient``, not against the other tools'.
    """
    from gradbench.evals.gmm import gmm_objective as plain

    d = x.shape[1]
    return plain(alphas, means, icf[:, :d], icf[:, d:], x, gamma, m)


def _icf_gradient(d_alpha, d_mu, d_q, d_l) -> Grads:
    return d_alpha, d_mu, np.concatenate([d_q, d_l], axis=1)


def sct_plain() -> GradFn:
    """sct's reverse-mode derivative of the plain formulation (``plain_objective``), built now."""
    try:
        import sct as sct_package
        from gradbench.evals.gmm import gmm_objective as plain

        diff = sct_package.reverse(plain, wrt=("alpha", "mu", "q", "l"))
    except ImportError as missing:
        raise Unavailable(f"not available: {missing}") from None
    except Exception as err:  # noqa: BLE001 -- whatever the compiler raised, report it
        raise _cannot(err) from None

    def grad(alphas, means, icf, x, gamma, m):
        d = x.shape[1]
        value, grads = diff(alphas, means, icf[:, :d], icf[:, d:], x, gamma, m)
        return _as_result(value, _icf_gradient(*grads))

    return _labelled(grad, "sct.reverse(gradbench.evals.gmm.gmm_objective)")


def hand_plain(alphas, means, icf, x, gamma, m) -> tuple[float, Grads]:
    """The value and hand-written gradient of ``plain_objective`` (``handwritten.gmm_gradient``)."""
    from handwritten import gmm_gradient

    d = x.shape[1]
    grads = gmm_gradient(alphas, means, icf[:, :d], icf[:, d:], x, gamma, m)
    return _as_result(plain_objective(alphas, means, icf, x, gamma, m), _icf_gradient(*grads))
