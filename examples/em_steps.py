"""EM step by step on Old Faithful: the lecture's panels at the start and after iterations 1-6 and 20.

A mixture of two Gaussians is fitted to the standardised eruption data from a deliberately poor start
(means at (-1.5, 1) and (1.5, -1), unit covariances, equal weights), one EM iteration at a time:
``mixtures.GaussianMixture`` with ``warm_start=True`` and ``max_iter=1`` runs one E-step and one M-step
per ``fit``. Each panel shows the parameters after that many iterations, the 1-sigma and 2-sigma
ellipses of each component, and every point coloured by its responsibilities under those parameters
(red for component 1, blue for component 2, purple in between). The mean log-likelihood never decreases.

    python examples/em_steps.py [output.png] [--quick]     # default: em_steps.png
"""
from __future__ import annotations

import copy
import sys
import warnings

import numpy as np
import plotting

import mixtures

SNAPSHOTS = (0, 1, 2, 3, 4, 5, 6, 20)
START = {
    "weights_init": np.array([0.5, 0.5]),
    "means_init": np.array([[-1.5, 1.0], [1.5, -1.0]]),
    "precisions_init": np.array([np.eye(2), np.eye(2)]),
}


def standardised_faithful() -> np.ndarray:
    """Old Faithful (eruption, waiting) with each column shifted to mean 0 and scaled to deviation 1."""
    X = mixtures.load_faithful()
    return (X - X.mean(axis=0)) / X.std(axis=0)


def em_snapshots(X: np.ndarray, snapshots=SNAPSHOTS) -> dict[int, mixtures.GaussianMixture]:
    """A copy of the mixture after each number of EM iterations in ``snapshots`` (0: the start)."""
    model = mixtures.GaussianMixture(2, max_iter=0, warm_start=True, tol=0.0, **START).fit(X)
    models = {0: copy.deepcopy(model)}
    model.set_params(max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixtures.ConvergenceWarning)  # one iteration never meets tol = 0
        for iteration in range(1, max(snapshots) + 1):
            model.fit(X)
            if iteration in snapshots:
                models[iteration] = copy.deepcopy(model)
    return models


def draw_panel(ax, model: mixtures.GaussianMixture, X: np.ndarray, iteration: int) -> None:
    """Points coloured by responsibility, the 1- and 2-sigma ellipses and the means."""
    ax.scatter(X[:, 0], X[:, 1], s=9, c=plotting.responsibility_colours(model.predict_proba(X)),
               edgecolors="none")
    plotting.draw_components(ax, model, levels=(1, 2))
    ax.set_title("start" if iteration == 0 else f"after iteration {iteration}", fontsize=10)
    ax.text(0.03, 0.03, f"mean log-lik. {model.score(X):.3f}", transform=ax.transAxes, fontsize=8,
            bbox=dict(fc="white", ec="none", alpha=0.8))
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-2.6, 2.6)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=7)


def main(argv: list[str] | None = None) -> int:
    """Run EM, print the log-likelihood at each snapshot, draw the panels; 0 if it never decreased."""
    args = plotting.parse_args(__doc__.splitlines()[0], "em_steps.png", argv)
    X = standardised_faithful()
    models = em_snapshots(X)
    scores = [models[i].score(X) for i in SNAPSHOTS]
    for i, score in zip(SNAPSHOTS, scores):
        weights = ", ".join(f"{w:.3f}" for w in models[i].weights_)
        print(f"iteration {i:2d}: mean log-likelihood {score:.6f}, weights [{weights}]")
    monotone = all(b >= a - 1e-12 for a, b in zip(scores, scores[1:]))
    print("the log-likelihood never decreased" if monotone else "THE LOG-LIKELIHOOD DECREASED")

    plt = plotting.pyplot()
    fig, axes = plt.subplots(2, 4, figsize=(12, 6.8), sharex=True, sharey=True, layout="constrained")
    for ax, iteration in zip(axes.flat, SNAPSHOTS):
        draw_panel(ax, models[iteration], X, iteration)
    for ax in axes[1]:
        ax.set_xlabel("eruption duration (standardised)", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("waiting time (standardised)", fontsize=8)
    handles = plotting.component_handles(START["weights_init"], show_weights=False)
    fig.legend(handles=handles + plotting.level_handles((1, 2)), loc="outside lower center", ncol=5,
               fontsize=9)
    fig.suptitle("EM step by step: two Gaussians on Old Faithful (mixtures.GaussianMixture)\npoints "
                 "coloured by their responsibilities: red, component 1; blue, component 2; purple, shared")
    plotting.save(fig, args.output, dpi=50 if args.quick else 60)
    print(f"saved {args.output}")
    return 0 if monotone else 1


if __name__ == "__main__":
    sys.exit(main())
