"""GradBench's ``ba`` (ADBench's bundle adjustment): reprojection errors of ``p`` observations of ``m``
points by ``n`` cameras, weighted by ``w``, and the ``1 - w^2`` weight errors, with their sparse
Jacobian. The input carries one camera, point, weight and feature; as in ADBench they are repeated
``n``, ``m`` and ``p`` times, observation ``i`` pairing camera ``i % n`` with point ``i % m``.

Each observation's 2 x 15 block (camera, point, weight) is three Jacobians sct computes in forward
mode; the answer is GradBench's abbreviated sparse matrix (the first 30 entries and the last one of
``rows``, ``cols`` and ``vals``).
"""

from __future__ import annotations

from typing import Dict

import numpy as np

import sct

from . import Function, array

BLOCK = 2 * (11 + 3 + 1)  # entries of one observation's two Jacobian rows


def rodrigues_rotate_point(rot, X):
    sqtheta = np.sum(rot ** 2)
    if sqtheta != 0.0:
        theta = np.sqrt(sqtheta)
        costheta = np.cos(theta)
        sintheta = np.sin(theta)
        theta_inverse = 1.0 / theta
        w = theta_inverse * rot
        w_cross_X = np.cross(w, X)
        tmp = np.dot(w, X) * (1.0 - costheta)
        return X * costheta + w_cross_X * sintheta + w * tmp
    else:
        return X + np.cross(rot, X)


def radial_distort(rad_params, proj):
    rsq = np.sum(proj ** 2)
    L = 1.0 + rad_params[0] * rsq + rad_params[1] * rsq * rsq
    return proj * L


def project(cam, X):
    Xcam = rodrigues_rotate_point(cam[0:3], X - cam[3:6])
    distorted = radial_distort(cam[9:11], Xcam[0:2] / Xcam[2])
    return distorted * cam[6] + cam[7:9]


def compute_reproj_err(cam, X, w, feat):
    return w * (project(cam, X) - feat)


def compute_w_err(w):
    return 1.0 - w ** 2


def objective(cams, X, w, obs, feats):
    p = len(obs)
    reproj_err = np.empty((p, 2))
    w_err = np.empty(p)
    for i in range(p):
        reproj_err[i] = compute_reproj_err(cams[obs[i, 0]], X[obs[i, 1]], w[i], feats[i])
        w_err[i] = compute_w_err(w[i])
    return reproj_err.ravel(), w_err


def prepare(input):
    """ADBench's full problem from GradBench's input: the repeated parameters and the observations."""
    n, m, p = int(input["n"]), int(input["m"]), int(input["p"])
    cams = np.tile(array(input["cam"]), (n, 1))
    X = np.tile(array(input["x"]), (m, 1))
    w = np.full(p, float(input["w"]))
    feats = np.tile(array(input["feat"]), (p, 1))
    obs = np.stack([np.arange(p) % n, np.arange(p) % m], axis=1)
    return cams, X, w, obs, feats


def sparse(blocks, w_err_derivatives, obs, n, m):
    """ADBench's sparse Jacobian (row starts, columns, values) from each observation's 2 x 15 block
    (derivatives in camera, point and weight) and each weight error's derivative."""
    p = len(obs)
    block_cols = np.concatenate([11 * obs[:, :1] + np.arange(11), 11 * n + 3 * obs[:, 1:] + np.arange(3),
                                 11 * n + 3 * m + np.arange(p)[:, None]], axis=1)
    cols = np.concatenate([np.tile(block_cols, (1, 2)).ravel(), 11 * n + 3 * m + np.arange(p)])
    vals = np.concatenate([np.reshape(blocks, (p, BLOCK)).ravel(), w_err_derivatives])
    rows = np.concatenate([np.arange(2 * p + 1) * (BLOCK // 2), BLOCK * p + 1 + np.arange(p)])
    return rows, cols, vals


def objective_output(errors):
    reproj_err, w_err = errors
    return {"reproj_error": {"elements": reproj_err[:2].tolist(), "repeated": len(reproj_err) // 2},
            "w_err": {"element": float(w_err[0]), "repeated": len(w_err)}}


def sparse_output(matrix):
    rows, cols, vals = matrix
    return {"rows": rows[:BLOCK].tolist() + [int(rows[-1])], "cols": cols[:BLOCK].tolist() + [int(cols[-1])],
            "vals": vals[:BLOCK].tolist() + [float(vals[-1])]}


def define() -> Dict[str, Function]:
    """``objective`` and ``jacobian``."""
    by_cam = sct.jacobian(compute_reproj_err, wrt="cam")
    by_point = sct.jacobian(compute_reproj_err, wrt="X")
    by_weight = sct.jacobian(compute_reproj_err, wrt="w")
    w_err_gradient = sct.grad(compute_w_err, wrt="w")

    def jacobian(cams, X, w, obs, feats):
        p = len(obs)
        blocks = np.empty((p, 2, 15))
        w_err_derivatives = np.empty(p)
        for i in range(p):
            args = (cams[obs[i, 0]], X[obs[i, 1]], w[i], feats[i])
            blocks[i] = np.concatenate([by_cam(*args), by_point(*args), by_weight(*args)[:, None]], axis=1)
        for i in range(p):
            w_err_derivatives[i] = w_err_gradient(w[i])
        return sparse(blocks, w_err_derivatives, obs, len(cams), len(X))

    return {
        "objective": Function(prepare, objective, objective_output),
        "jacobian": Function(prepare, jacobian, sparse_output),
    }
