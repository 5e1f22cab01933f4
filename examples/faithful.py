"""Fit Gaussian mixtures with 1 to 4 components to the Old Faithful geyser data.

Prints each model's weights, means, covariances and BIC, the standard errors of the
best model's means (from sct's Hessian of the log-likelihood), then draws the data
with the 1-, 2- and 3-sigma ellipses and the means of the model with the lowest BIC, and a legend.

Usage: python examples/faithful.py [output.png]   (default: ./faithful.png)

Plotting needs matplotlib; without it the script only prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

try:
    import mixtures
except ImportError:  # running from a source checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import mixtures


def fit_models(X: np.ndarray, max_components: int = 4) -> list[mixtures.GaussianMixture]:
    """Full-covariance mixtures with 1..max_components components."""
    return [
        mixtures.GaussianMixture(k, covariance_type="full", n_init=3, random_state=0).fit(X)
        for k in range(1, max_components + 1)
    ]


def describe(model: mixtures.GaussianMixture, X: np.ndarray) -> str:
    lines = [f"{model.n_components} component(s): BIC = {model.bic(X):.2f}"]
    for k in range(model.n_components):
        cov = model.covariances_[k]
        lines.append(
            f"  component {k}: weight {model.weights_[k]:.3f}, mean {np.round(model.means_[k], 3).tolist()}, "
            f"covariance {np.round(cov, 3).tolist()}"
        )
    return "\n".join(lines)


def plot(model: mixtures.GaussianMixture, X: np.ndarray, path: str) -> None:
    """Scatter ``X`` by component, draw each component's 1/2/3-sigma ellipses and mean; save to ``path``."""
    import plotting

    plt = plotting.pyplot()
    fig, ax = plt.subplots(figsize=(7, 5))
    labels = model.predict(X)
    colours = plotting.COMPONENT_COLOURS[labels % len(plotting.COMPONENT_COLOURS)]
    ax.scatter(X[:, 0], X[:, 1], s=8, c=colours, alpha=0.6)
    plotting.draw_components(ax, model, levels=(1, 2, 3), lw=1.2)
    handles = plotting.component_handles(model.weights_) + plotting.level_handles((1, 2, 3))
    ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9)
    ax.set_xlabel("eruption duration (min)")
    ax.set_ylabel("waiting time to the next eruption (min)")
    ax.set_title(f"Old Faithful: {model.n_components}-component mixture (lowest BIC)")
    fig.tight_layout()
    plotting.save(fig, path, dpi=100)


def main(argv: list[str]) -> int:
    X = mixtures.load_faithful()
    models = fit_models(X)
    for model in models:
        print(describe(model, X))
    best = min(models, key=lambda m: m.bic(X))
    print(f"Lowest BIC: {best.n_components} components")
    errors = mixtures.standard_errors(best, X)
    for k, (mean, error) in enumerate(zip(best.means_, errors)):
        pairs = ", ".join(f"{m:.3f} ± {e:.3f}" for m, e in zip(mean, error))
        print(f"  mean {k}: [{pairs}]  (± one standard error)")
    path = argv[1] if len(argv) > 1 else "faithful.png"
    try:
        plot(best, X, path)
    except ImportError:
        print("matplotlib is not installed; plotting skipped.")
    else:
        print(f"Saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
