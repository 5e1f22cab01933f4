"""Model selection on Old Faithful: BIC and AIC against the number of components, per covariance type.

Fits ``mixtures.GaussianMixture`` with 1 to 6 components and each covariance type ("full", "tied",
"diag", "spherical") to the eruption data, prints every BIC and AIC, and plots both criteria, marking
the lowest of each type. BIC charges log(n) per parameter and AIC 2, so BIC prefers fewer components.
Each criterion is drawn as its difference from the lowest value of all models, on an axis that is linear
below 10 and logarithmic above, so the near-ties at the bottom and the spherical models, far above
(their one variance per component cannot fit axes whose scales differ about 12-fold), both show.

    python examples/model_selection.py [output.png] [--quick]     # default: model_selection.png
"""
from __future__ import annotations

import sys

import numpy as np
import plotting

import mixtures

TYPES = ("full", "tied", "diag", "spherical")
MARKERS = {"full": "o", "tied": "s", "diag": "^", "spherical": "D"}


def criteria(X: np.ndarray, components: range, n_init: int) -> dict[str, np.ndarray]:
    """Per covariance type, an array (len(components), 2) of (BIC, AIC)."""
    table = {}
    for kind in TYPES:
        models = [mixtures.GaussianMixture(k, covariance_type=kind, n_init=n_init, random_state=0).fit(X)
                  for k in components]
        table[kind] = np.array([(m.bic(X), m.aic(X)) for m in models])
    return table


def main(argv: list[str] | None = None) -> int:
    """Fit, print the table and plot the two criteria."""
    args = plotting.parse_args(__doc__.splitlines()[0], "model_selection.png", argv)
    X = mixtures.load_faithful()
    components = range(1, 4 if args.quick else 7)
    table = criteria(X, components, 1 if args.quick else 3)
    print(f"{'covariance':<10} {'K':>2} {'BIC':>9} {'AIC':>9}")
    for kind in TYPES:
        for k, (bic, aic) in zip(components, table[kind]):
            print(f"{kind:<10} {k:2d} {bic:9.2f} {aic:9.2f}")
    for column, name in enumerate(("BIC", "AIC")):
        kind, k = min(((t, k) for t in TYPES for k in components),
                      key=lambda tk: table[tk[0]][tk[1] - components.start, column])
        print(f"lowest {name}: {k} components, covariance_type={kind!r}")

    plt = plotting.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained")
    for column, (ax, name) in enumerate(zip(axes, ("BIC", "AIC"))):
        lowest = min(table[kind][:, column].min() for kind in TYPES)
        for j, kind in enumerate(TYPES):
            values = table[kind][:, column] - lowest
            colour = plotting.COMPONENT_COLOURS[j]
            ax.plot(components, values, marker=MARKERS[kind], color=colour, label=f'covariance_type="{kind}"')
            best = int(np.argmin(values))
            ax.plot(components[best], values[best], marker="*", ms=16, color=colour, mec="black", ls="none")
        ax.plot([], [], marker="*", ms=12, color="white", mec="black", ls="none", label="lowest of each type")
        ax.set_xticks(list(components))
        ax.set_xlabel("number of components K")
        ax.set_yscale("symlog", linthresh=10)
        ax.set_ylim(-1, None)
        ax.set_ylabel(f"{name} \u2212 lowest {name} ({lowest:.1f}); lower is better")
        ax.set_title(f"{name} = -2 log-likelihood + {'log(n)' if name == 'BIC' else '2'} \u00d7 parameters")
        ax.legend(fontsize=8)
    fig.suptitle(f"Old Faithful (n = {len(X)}): the number of components for mixtures.GaussianMixture")
    plotting.save(fig, args.output, dpi=60 if args.quick else 75)
    print(f"saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
