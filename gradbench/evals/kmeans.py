"""GradBench's ``kmeans``: the k-means cost ``sum_i min_j |C_j - P_i|^2`` and Newton's direction.

``dir`` is the gradient with respect to the centroids divided elementwise by the Hessian's diagonal.
The Hessian of the cost is diagonal, so its diagonal is the Hessian-vector product with a vector of
ones, as GradBench's JAX tool computes it.
"""

from __future__ import annotations

from typing import Dict

import numpy as np

import sct

from . import Function, array, nested, number


def cost(points, centroids):
    a_sqr = np.sum(points ** 2, 1)[None, :]
    b_sqr = np.sum(centroids ** 2, 1)[:, None]
    diff = np.matmul(points, centroids.T).T
    dists = a_sqr + b_sqr - 2 * diff
    min_dist = np.min(dists, axis=0)
    return np.sum(min_dist)


def prepare(input):
    return array(input["points"]), array(input["centroids"])


def define() -> Dict[str, Function]:
    """``cost`` and ``dir``: sct's gradient over sct's Hessian-vector product with ones, from one sweep."""
    gradient_and_hvp = sct.grad_and_hvp(cost, wrt="centroids")

    def direction(points, centroids):
        gradient, diagonal = gradient_and_hvp(points, centroids, np.ones_like(centroids))
        return gradient / diagonal

    return {
        "cost": Function(prepare, cost, number),
        "dir": Function(prepare, direction, nested),
    }
