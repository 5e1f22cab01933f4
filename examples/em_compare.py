"""One Gaussian against a mixture of two, and hard assignments (k-means) against soft ones (EM).

On the standardised Old Faithful data: (a) a single Gaussian, whose ellipses cover the empty middle;
(b) a mixture of two fitted by EM (``mixtures.GaussianMixture``), each point coloured by its
responsibilities, with the boundary where both are 1/2; (c) k-means (``mixtures.KMeans``, EM's limit
of hard assignments and equal spherical covariances), each point wholly in its nearest centre's
cluster, with its straight boundary beside EM's curved one.

    python examples/em_compare.py [output.png] [--quick]     # default: em_compare.png
"""
from __future__ import annotations

import sys

import numpy as np
import plotting
from em_steps import standardised_faithful

import mixtures

LIMITS = (-2.6, 2.6)


def grid(points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A square grid over the plotted area: its two coordinate arrays and its points as rows."""
    xs = np.linspace(*LIMITS, points)
    gx, gy = np.meshgrid(xs, xs)
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def boundary(ax, values: np.ndarray, gx: np.ndarray, gy: np.ndarray, **style) -> None:
    """The contour where ``values`` (on the grid) cross 1/2."""
    ax.contour(gx, gy, values.reshape(gx.shape), levels=[0.5], **style)


def shade(ax, resp: np.ndarray, shape: tuple[int, int]) -> None:
    """Tint the plotted area by the responsibilities (n_points, K) computed on the grid."""
    image = plotting.responsibility_colours(resp).reshape(*shape, 3)
    ax.imshow(image, extent=(*LIMITS, *LIMITS), origin="lower", alpha=0.22, interpolation="bilinear")


def finish(ax, title: str, handles: list) -> None:
    ax.set_xlim(*LIMITS)
    ax.set_ylim(*LIMITS)
    ax.set_aspect("equal")
    ax.set_xlabel("eruption duration (standardised)")
    ax.set_title(title, fontsize=10)
    ax.legend(handles=handles, loc="upper left", fontsize=7.5, framealpha=0.9)


def main(argv: list[str] | None = None) -> int:
    """Fit the three models, print how they compare, and draw them."""
    args = plotting.parse_args(__doc__.splitlines()[0], "em_compare.png", argv)
    X = standardised_faithful()
    one = mixtures.GaussianMixture(1).fit(X)
    two = mixtures.GaussianMixture(2, random_state=0).fit(X)
    kmeans = mixtures.KMeans(2, random_state=0).fit(X)
    resp = two.predict_proba(X)
    uncertain = int(np.sum((resp.min(axis=1) > 0.1)))
    # k-means numbers its clusters in its own order: match them to the mixture's components
    same = np.mean(kmeans.labels_ == two.predict(X))
    agreement = max(same, 1 - same)
    if same < 0.5:
        kmeans_labels, centres = 1 - kmeans.labels_, kmeans.cluster_centers_[::-1]
    else:
        kmeans_labels, centres = kmeans.labels_, kmeans.cluster_centers_
    print(f"one Gaussian: mean log-likelihood {one.score(X):.4f}, BIC {one.bic(X):.2f}")
    print(f"two Gaussians: mean log-likelihood {two.score(X):.4f}, BIC {two.bic(X):.2f}")
    print(f"points with both responsibilities above 0.1: {uncertain} of {len(X)}")
    print(f"k-means and EM assign the same cluster to {agreement:.1%} of the points")

    plt = plotting.pyplot()
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(1, 3, figsize=(14, 5.2), layout="constrained")
    gx, gy, points = grid(60 if args.quick else 200)
    em_line = Line2D([], [], color="black", lw=1.5, label="EM: responsibilities 1/2")

    axes[0].scatter(X[:, 0], X[:, 1], s=9, color="grey", edgecolors="none")
    plotting.draw_components(axes[0], one, levels=(1, 2), colours=np.array([[0.3, 0.3, 0.3]]))
    axes[0].set_ylabel("waiting time (standardised)")
    finish(axes[0], f"(a) one Gaussian: mean log-lik. {one.score(X):.3f}, BIC {one.bic(X):.0f}",
           plotting.level_handles((1, 2)))

    grid_resp = two.predict_proba(points)
    shade(axes[1], grid_resp, gx.shape)
    axes[1].scatter(X[:, 0], X[:, 1], s=9, c=plotting.responsibility_colours(resp), edgecolors="none")
    plotting.draw_components(axes[1], two, levels=(1, 2))
    boundary(axes[1], grid_resp[:, 0], gx, gy, colors="black", linewidths=1.5)
    finish(axes[1], f"(b) two Gaussians, EM (soft, tinted): mean log-lik. {two.score(X):.3f}, "
           f"BIC {two.bic(X):.0f}",
           plotting.component_handles(two.weights_) + plotting.level_handles((1, 2)) + [em_line])

    colours = plotting.COMPONENT_COLOURS[kmeans_labels]
    axes[2].scatter(X[:, 0], X[:, 1], s=9, c=colours, edgecolors="none")
    for k, centre in enumerate(centres):
        axes[2].plot(*centre, marker="X", ms=10, color=plotting.COMPONENT_COLOURS[k], mec="black", ls="none")
    in_first = (kmeans.predict(points) == kmeans.predict(centres[:1])[0]).astype(float)
    shade(axes[2], np.column_stack([in_first, 1 - in_first]), gx.shape)
    boundary(axes[2], in_first, gx, gy, colors="grey", linestyles="--", linewidths=1.5)
    boundary(axes[2], grid_resp[:, 0], gx, gy, colors="black", linewidths=1.5)
    hard = plotting.component_handles([0.5, 0.5], name="cluster", show_weights=False)
    hard += [Line2D([], [], color="grey", marker="X", mec="black", ms=9, ls="none", label="centre"),
             Line2D([], [], color="grey", ls="--", lw=1.5, label="k-means: equidistant from centres"),
             em_line]
    finish(axes[2], f"(c) k-means (hard): same cluster as EM for {agreement:.1%} of the points", hard)

    fig.suptitle("Old Faithful: one Gaussian or two; hard assignments (k-means) or soft ones (EM)")
    plotting.save(fig, args.output, dpi=60 if args.quick else 75)
    print(f"saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
