"""Plotting helpers shared by the figure scripts in examples/ (matplotlib is imported only when asked).

The scripts import this module as ``plotting`` (Python puts the script's folder on ``sys.path``).
"""
from __future__ import annotations

import argparse
import math

import numpy as np

# one colour per mixture component; points mix them in proportion to their responsibilities
COMPONENT_COLOURS = np.array([[0.84, 0.15, 0.16], [0.12, 0.47, 0.71], [0.17, 0.63, 0.17], [0.58, 0.40, 0.74]])
LEVEL_STYLES = {1: "-", 2: "--", 3: ":"}


def parse_args(description: str, default_output: str, argv: list[str] | None = None) -> argparse.Namespace:
    """``output`` (a PNG path, default ``default_output`` in the current folder) and ``--quick``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("output", nargs="?", default=default_output,
                        help=f"PNG to write (default {default_output})")
    parser.add_argument("--quick", action="store_true", help="smaller settings, for a test run")
    return parser.parse_args(argv)


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend (files only, no window); ImportError without matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig, path: str, dpi: int = 80) -> None:
    """Write ``fig`` to ``path`` and free it."""
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=dpi, pil_kwargs={"optimize": True})
    plt.close(fig)


def sigma_mass(n_sigma: float, dims: int = 2) -> float:
    """Probability inside the ``n_sigma`` ellipse of a 2-D Gaussian (chi-squared, 2 degrees of freedom)."""
    if dims != 2:
        raise ValueError("sigma_mass is written for 2-D Gaussians")
    return 1.0 - math.exp(-n_sigma**2 / 2)


def full_covariances(model) -> np.ndarray:
    """A fitted GaussianMixture's covariances as (K, d, d) matrices, whatever its ``covariance_type``."""
    k, d = model.means_.shape
    covs = np.asarray(model.covariances_)
    if model.covariance_type == "full":
        return covs
    if model.covariance_type == "tied":
        return np.broadcast_to(covs, (k, d, d))
    if model.covariance_type == "diag":
        return np.stack([np.diag(c) for c in covs])
    return covs[:, None, None] * np.eye(d)


def covariance_ellipse(mean: np.ndarray, cov: np.ndarray, n_sigma: float, **style):
    """The ellipse (a matplotlib patch) of points ``n_sigma`` Mahalanobis units from ``mean``."""
    from matplotlib.patches import Ellipse

    variances, axes = np.linalg.eigh(cov)
    angle = np.degrees(np.arctan2(axes[1, -1], axes[0, -1]))  # direction of the major axis
    width, height = 2 * n_sigma * np.sqrt(variances[::-1])
    return Ellipse(mean, width, height, angle=angle, fill=False, **style)


def draw_components(ax, model, levels=(1, 2), colours=COMPONENT_COLOURS, lw: float = 1.5) -> None:
    """Each component's ``levels``-sigma ellipses (line style per level) and its mean (a cross)."""
    for k, (mean, cov) in enumerate(zip(model.means_, full_covariances(model))):
        colour = colours[k % len(colours)]
        for n_sigma in levels:
            style = dict(color=colour, lw=lw, ls=LEVEL_STYLES[n_sigma])
            ax.add_patch(covariance_ellipse(mean, cov, n_sigma, **style))
        ax.plot(*mean, marker="X", ms=9, color=colour, mec="black", mew=0.8, ls="none")


def level_handles(levels=(1, 2), mean: bool = True) -> list:
    """Legend entries for the ellipse levels drawn by :func:`draw_components` (and the mean marker)."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="black", lw=1.5, ls=LEVEL_STYLES[n],
               label=f"{n}\u03c3 ellipse ({100 * sigma_mass(n):.0f}% of the mass)")
        for n in levels
    ]
    if mean:
        handles.append(Line2D([], [], color="grey", marker="X", mec="black", ms=9, ls="none", label="mean"))
    return handles


def responsibility_colours(resp: np.ndarray, colours=COMPONENT_COLOURS) -> np.ndarray:
    """RGB per sample: the components' colours mixed in proportion to the responsibilities (n, K)."""
    k = resp.shape[1]
    palette = np.array([colours[j % len(colours)] for j in range(k)])
    return np.clip(resp @ palette, 0.0, 1.0)


def component_handles(weights, colours=COMPONENT_COLOURS, name: str = "component",
                      show_weights: bool = True) -> list:
    """Legend entries naming each component by its colour (and its weight)."""
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], color=colours[k % len(colours)], marker="o", ls="none",
               label=f"{name} {k + 1}" + (f" (weight {w:.2f})" if show_weights else ""))
        for k, w in enumerate(weights)
    ]


def circle(centre, radius: float, **style):
    """A circle patch (a node of a drawn graph)."""
    from matplotlib.patches import Circle

    return Circle(centre, radius, **style)


def arrow_handle(colour: str, label: str):
    """A legend entry showing an arrow of ``colour``."""
    from matplotlib.lines import Line2D

    return Line2D([], [], color=colour, lw=2, marker=">", markevery=[-1], label=label)
