"""The evals in PyTorch, eager on the CPU in float64, derivatives by ``torch.autograd`` (and
``torch.func`` for bundle adjustment's per-observation Jacobians). Written as GradBench's PyTorch
tool writes them."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Dict

import numpy as np
import torch

from gradbench.evals import Function, ba, gmm, kmeans, llsq, lse, lstm, nested, number, ode
from gradbench.peers import to_numpy

NAME = "torch"


def _tensors(prepare):
    return lambda input: tuple(torch.from_numpy(a) if isinstance(a, np.ndarray) else a
                               for a in prepare(input))


def _function(prepare, compute, output) -> Function:
    return Function(_tensors(prepare), compute, lambda result: output(to_numpy(result)))


def _gradient(f, count=1):
    """The gradient of ``f`` in its first ``count`` arguments, by one backward pass."""
    def gradient(*args):
        leaves = [a.detach().requires_grad_() for a in args[:count]]
        grads = torch.autograd.grad(f(*leaves, *args[count:]), leaves)
        return grads[0] if count == 1 else grads
    return gradient


def lse_primal(x):
    a = torch.max(x)
    return a + torch.log(torch.sum(torch.exp(x - a)))


def llsq_primal(x, n):
    t = -1.0 + torch.arange(n, dtype=torch.float64) * 2.0 / (n - 1.0)
    powers = t[:, None] ** torch.arange(x.shape[0], dtype=torch.float64)
    return torch.sum((torch.sign(t) - powers @ x) ** 2) / 2.0


def gmm_primal(alpha, mu, q, l, x, gamma, m):
    (k, d), n = mu.shape, x.shape[0]
    Qdiags, sum_qs = torch.exp(q), torch.sum(q, 1)
    rows, cols = np.tril_indices(d, -1)
    order = np.lexsort((rows, cols))
    Ls = torch.zeros((k, d, d), dtype=torch.float64)
    Ls[:, rows[order], cols[order]] = l
    xcentered = x[:, None, :] - mu[None, ...]
    Lxcentered = Qdiags * xcentered + torch.einsum("ijk,mik->mij", Ls, xcentered)
    inner = alpha + sum_qs - 0.5 * torch.sum(Lxcentered ** 2, 2)
    dof = d + m + 1
    prior = -torch.sum(0.5 * gamma * gamma * (torch.sum(Qdiags ** 2, 1) + torch.sum(l ** 2, 1)) - m * sum_qs)
    constant = dof * d * math.log(gamma / math.sqrt(2)) - float(torch.special.multigammaln(
        torch.tensor(0.5 * dof, dtype=torch.float64), d))
    return (-n * d * 0.5 * math.log(2 * math.pi) + torch.sum(torch.logsumexp(inner, 1))
            - n * torch.logsumexp(alpha, 0) + prior + k * constant)


def ode_primal(x, s):
    h = 2.0 / s
    y = torch.zeros_like(x)
    for _ in range(s):
        k1 = torch.cat([x[:1], x[1:] * y[:-1]])
        k2 = torch.cat([x[:1], x[1:] * (y + h / 2 * k1)[:-1]])
        k3 = torch.cat([x[:1], x[1:] * (y + h / 2 * k2)[:-1]])
        k4 = torch.cat([x[:1], x[1:] * (y + h * k3)[:-1]])
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def ode_gradient(x, s):
    x = x.detach().requires_grad_()
    return torch.autograd.grad(ode_primal(x, s)[-1], x)[0]


def kmeans_cost(points, centroids):
    a_sqr, b_sqr = torch.sum(points ** 2, 1)[None, :], torch.sum(centroids ** 2, 1)[:, None]
    dists = a_sqr + b_sqr - 2 * (points @ centroids.T).T
    return torch.sum(torch.min(dists, 0).values)


def kmeans_dir(points, centroids):
    c = centroids.detach().requires_grad_()
    (g,) = torch.autograd.grad(kmeans_cost(points, c), c, create_graph=True)
    (hessian_diagonal,) = torch.autograd.grad(g, c, grad_outputs=torch.ones_like(c))
    return g.detach() / hessian_diagonal


def lstm_primal(main_params, extra_params, state, sequence):
    hsize, total = state.shape[1], 0.0
    inp = sequence[0]
    for t in range(sequence.shape[0] - 1):
        x = inp * extra_params[0]
        new_state = []
        for i in range(0, state.shape[0], 2):
            gates = torch.cat((x, state[i], x, state[i])) * main_params[i] + main_params[i + 1]
            forget, ingate = torch.sigmoid(gates[:hsize]), torch.sigmoid(gates[hsize:2 * hsize])
            outgate, change = torch.sigmoid(gates[2 * hsize:3 * hsize]), torch.tanh(gates[3 * hsize:])
            cell = state[i + 1] * forget + ingate * change
            x = outgate * torch.tanh(cell)
            new_state += [x, cell]
        state = torch.stack(new_state)
        ypred = x * extra_params[1] + extra_params[2]
        inp = sequence[t + 1]
        total = total + torch.sum(inp * (ypred - torch.log(torch.sum(torch.exp(ypred)) + 2)))
    return -total / ((sequence.shape[0] - 1) * hsize)


def ba_reprojection(cam, X, w, feat):
    rot, Xo = cam[0:3], X - cam[3:6]
    sqtheta = torch.sum(rot ** 2)
    theta = torch.sqrt(torch.where(sqtheta != 0, sqtheta, torch.ones_like(sqtheta)))
    axis = rot / theta
    rotated = (Xo * torch.cos(theta) + torch.linalg.cross(axis, Xo) * torch.sin(theta)
               + axis * torch.dot(axis, Xo) * (1.0 - torch.cos(theta)))
    Xcam = torch.where(sqtheta != 0, rotated, Xo + torch.linalg.cross(rot, Xo))
    proj = Xcam[0:2] / Xcam[2]
    rsq = torch.sum(proj ** 2)
    return w * (proj * (1.0 + cam[9] * rsq + cam[10] * rsq * rsq) * cam[6] + cam[7:9] - feat)


def ba_objective(cams, X, w, obs, feats):
    errors = torch.func.vmap(ba_reprojection)(cams[obs[:, 0]], X[obs[:, 1]], w, feats)
    return errors.reshape(-1), 1.0 - w ** 2


def ba_jacobian(cams, X, w, obs, feats):
    by_all = torch.func.vmap(torch.func.jacfwd(ba_reprojection, argnums=(0, 1, 2)))
    J_cam, J_X, J_w = by_all(cams[obs[:, 0]], X[obs[:, 1]], w, feats)
    blocks = torch.cat([J_cam, J_X, J_w[:, :, None]], dim=2)
    w_err = torch.func.vmap(torch.func.grad(lambda v: 1.0 - v ** 2))(w)
    return ba.sparse(blocks.numpy(), w_err.numpy(), obs.numpy(), cams.shape[0], X.shape[0])


@lru_cache(maxsize=None)
def _lse() -> Dict[str, Function]:
    return {"primal": _function(lse.prepare, lse_primal, number),
            "gradient": _function(lse.prepare, _gradient(lse_primal), nested)}


@lru_cache(maxsize=None)
def _llsq() -> Dict[str, Function]:
    return {"primal": _function(llsq.prepare, llsq_primal, number),
            "gradient": _function(llsq.prepare, _gradient(llsq_primal), nested)}


@lru_cache(maxsize=None)
def _gmm() -> Dict[str, Function]:
    return {"objective": _function(gmm.prepare, gmm_primal, number),
            "jacobian": _function(gmm.prepare, _gradient(gmm_primal, 4), gmm.gradient_output)}


@lru_cache(maxsize=None)
def _ode() -> Dict[str, Function]:
    return {"primal": _function(ode.prepare, ode_primal, nested),
            "gradient": _function(ode.prepare, ode_gradient, nested)}


@lru_cache(maxsize=None)
def _kmeans() -> Dict[str, Function]:
    return {"cost": _function(kmeans.prepare, kmeans_cost, number),
            "dir": _function(kmeans.prepare, kmeans_dir, nested)}


@lru_cache(maxsize=None)
def _lstm() -> Dict[str, Function]:
    return {"objective": _function(lstm.prepare, lstm_primal, number),
            "jacobian": _function(lstm.prepare, _gradient(lstm_primal, 2), lstm.flat_output)}


@lru_cache(maxsize=None)
def _ba() -> Dict[str, Function]:
    return {"objective": _function(ba.prepare, ba_objective, ba.objective_output),
            "jacobian": _function(ba.prepare, ba_jacobian, ba.sparse_output)}


EVALS = {"lse": _lse, "llsq": _llsq, "gmm": _gmm, "ode": _ode, "kmeans": _kmeans, "lstm": _lstm, "ba": _ba}

