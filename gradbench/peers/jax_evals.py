"""The evals in JAX: ``jit`` on the CPU in float64, every timed call ended by ``block_until_ready``
(the first call compiles: time the calls after it). Written as GradBench's JAX tool writes them."""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Dict

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import logsumexp, multigammaln

from gradbench.evals import Function, ba, gmm, kmeans, lse, lstm, nested, number, ode
from gradbench.peers import to_numpy

jax.config.update("jax_enable_x64", True)
NAME = "jax"


def _blocking(f):
    return lambda *args: jax.block_until_ready(f(*args))


def _on_device(prepare):
    return lambda input: tuple(jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in prepare(input))


def _function(prepare, compute, output) -> Function:
    return Function(_on_device(prepare), _blocking(compute), lambda result: output(to_numpy(result)))


def lse_primal(x):
    a = jnp.max(x)
    return a + jnp.log(jnp.sum(jnp.exp(x - a)))


@partial(jax.jit, static_argnums=1)
def llsq_primal(x, n):
    m = x.shape[0]

    def term(i):
        ti = -1.0 + i * 2.0 / (n - 1.0)
        powers = jnp.cumprod(jnp.full(m, ti).at[0].set(1.0))
        return (jnp.sign(ti) - jnp.sum(x * powers)) ** 2

    return jnp.sum(jax.vmap(term)(jnp.arange(n))) / 2.0


def gmm_primal(alpha, mu, q, l, x, gamma, m):
    (k, d), n = mu.shape, x.shape[0]
    Qdiags, sum_qs = jnp.exp(q), jnp.sum(q, axis=1)
    rows, cols = np.tril_indices(d, -1)
    order = np.lexsort((rows, cols))
    Ls = jnp.zeros((k, d, d)).at[:, rows[order], cols[order]].set(l)
    xcentered = x[:, None, :] - mu[None, ...]
    Lxcentered = Qdiags * xcentered + jnp.einsum("ijk,mik->mij", Ls, xcentered)
    inner = alpha + sum_qs - 0.5 * jnp.sum(Lxcentered ** 2, axis=2)
    dof = d + m + 1
    frobenius = jnp.sum(Qdiags ** 2, axis=1) + jnp.sum(l ** 2, axis=1)
    prior = -jnp.sum(0.5 * gamma * gamma * frobenius - m * sum_qs)
    prior = prior + k * (dof * d * jnp.log(gamma / jnp.sqrt(2.0)) - multigammaln(0.5 * dof, d))
    constant = -n * d * 0.5 * jnp.log(2 * jnp.pi)
    return constant + jnp.sum(logsumexp(inner, axis=1)) - n * logsumexp(alpha) + prior


@partial(jax.jit, static_argnums=1)
def ode_primal(x, s):
    h = 2.0 / s

    def field(y):
        return jnp.concatenate([x[:1], x[1:] * y[:-1]])

    def step(_, y):
        k1 = field(y)
        k2 = field(y + h / 2 * k1)
        k3 = field(y + h / 2 * k2)
        k4 = field(y + h * k3)
        return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

    return jax.lax.fori_loop(0, s, step, jnp.zeros_like(x))


def kmeans_cost(points, centroids):
    a_sqr, b_sqr = jnp.sum(points ** 2, 1)[None, :], jnp.sum(centroids ** 2, 1)[:, None]
    dists = a_sqr + b_sqr - 2 * (points @ centroids.T).T
    return jnp.sum(jnp.min(dists, axis=0))


def kmeans_dir(points, centroids):
    gradient = jax.grad(kmeans_cost, argnums=1)
    g, hessian_diagonal = jax.jvp(lambda c: gradient(points, c), (centroids,), (jnp.ones_like(centroids),))
    return g / hessian_diagonal


def lstm_primal(main_params, extra_params, state, sequence):
    layers = state.shape[0] // 2

    def step(carry, ygold):
        state, inp, total = carry
        x = inp * extra_params[0]
        new_state = []
        for i in range(0, 2 * layers, 2):
            hsize = state.shape[1]
            gates = jnp.concatenate((x, state[i], x, state[i])) * main_params[i] + main_params[i + 1]
            forget, ingate = jax.nn.sigmoid(gates[:hsize]), jax.nn.sigmoid(gates[hsize:2 * hsize])
            outgate, change = jax.nn.sigmoid(gates[2 * hsize:3 * hsize]), jnp.tanh(gates[3 * hsize:])
            cell = state[i + 1] * forget + ingate * change
            x = outgate * jnp.tanh(cell)
            new_state += [x, cell]
        ypred = x * extra_params[1] + extra_params[2]
        ynorm = ypred - jnp.log(jnp.sum(jnp.exp(ypred)) + 2)
        return (jnp.stack(new_state), ygold, total + jnp.sum(ygold * ynorm)), None

    (_, _, total), _ = jax.lax.scan(step, (state, sequence[0], 0.0), sequence[1:])
    return -total / ((sequence.shape[0] - 1) * sequence.shape[1])


def ba_reprojection(cam, X, w, feat):
    rot, Xo = cam[0:3], X - cam[3:6]
    sqtheta = jnp.sum(rot ** 2)
    theta = jnp.sqrt(jnp.where(sqtheta != 0, sqtheta, 1.0))
    axis = rot / theta
    rotated = (Xo * jnp.cos(theta) + jnp.cross(axis, Xo) * jnp.sin(theta)
               + axis * jnp.dot(axis, Xo) * (1.0 - jnp.cos(theta)))
    Xcam = jnp.where(sqtheta != 0, rotated, Xo + jnp.cross(rot, Xo))
    proj = Xcam[0:2] / Xcam[2]
    rsq = jnp.sum(proj ** 2)
    distorted = proj * (1.0 + cam[9] * rsq + cam[10] * rsq * rsq)
    return w * (distorted * cam[6] + cam[7:9] - feat)


@jax.jit
def ba_objective(cams, X, w, obs, feats):
    errors = jax.vmap(ba_reprojection)(cams[obs[:, 0]], X[obs[:, 1]], w, feats)
    return errors.ravel(), 1.0 - w ** 2


@jax.jit
def _ba_blocks(cams, X, w, obs, feats):
    by_all = jax.vmap(jax.jacfwd(ba_reprojection, argnums=(0, 1, 2)))
    J_cam, J_X, J_w = by_all(cams[obs[:, 0]], X[obs[:, 1]], w, feats)
    w_err = jax.vmap(jax.grad(lambda v: 1.0 - v ** 2))(w)
    return jnp.concatenate([J_cam, J_X, J_w[:, :, None]], axis=2), w_err


def ba_jacobian(cams, X, w, obs, feats):
    blocks, w_err = jax.block_until_ready(_ba_blocks(cams, X, w, obs, feats))
    return ba.sparse(np.asarray(blocks), np.asarray(w_err), np.asarray(obs), cams.shape[0], X.shape[0])


@lru_cache(maxsize=None)
def _lse() -> Dict[str, Function]:
    return {"primal": _function(lse.prepare, jax.jit(lse_primal), number),
            "gradient": _function(lse.prepare, jax.jit(jax.grad(lse_primal)), nested)}


@lru_cache(maxsize=None)
def _llsq() -> Dict[str, Function]:
    from gradbench.evals import llsq
    gradient = jax.jit(jax.grad(llsq_primal), static_argnums=1)
    return {"primal": _function(llsq.prepare, llsq_primal, number),
            "gradient": _function(llsq.prepare, gradient, nested)}


@lru_cache(maxsize=None)
def _gmm() -> Dict[str, Function]:
    objective = jax.jit(gmm_primal, static_argnums=(5, 6))
    jacobian = jax.jit(jax.grad(gmm_primal, argnums=(0, 1, 2, 3)), static_argnums=(5, 6))
    return {"objective": _function(gmm.prepare, objective, number),
            "jacobian": _function(gmm.prepare, jacobian, gmm.gradient_output)}


@lru_cache(maxsize=None)
def _ode() -> Dict[str, Function]:
    gradient = jax.jit(jax.grad(lambda x, s: ode_primal(x, s)[-1]), static_argnums=1)
    return {"primal": _function(ode.prepare, ode_primal, nested),
            "gradient": _function(ode.prepare, gradient, nested)}


@lru_cache(maxsize=None)
def _kmeans() -> Dict[str, Function]:
    return {"cost": _function(kmeans.prepare, jax.jit(kmeans_cost), number),
            "dir": _function(kmeans.prepare, jax.jit(kmeans_dir), nested)}


@lru_cache(maxsize=None)
def _lstm() -> Dict[str, Function]:
    jacobian = jax.jit(jax.grad(lstm_primal, argnums=(0, 1)))
    return {"objective": _function(lstm.prepare, jax.jit(lstm_primal), number),
            "jacobian": _function(lstm.prepare, jacobian, lstm.flat_output)}


@lru_cache(maxsize=None)
def _ba() -> Dict[str, Function]:
    return {"objective": _function(ba.prepare, ba_objective, ba.objective_output),
            "jacobian": _function(ba.prepare, ba_jacobian, ba.sparse_output)}


EVALS = {"lse": _lse, "llsq": _llsq, "gmm": _gmm, "ode": _ode, "kmeans": _kmeans, "lstm": _lstm, "ba": _ba}

