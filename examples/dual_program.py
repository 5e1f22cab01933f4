"""The lecture's figure of the dual program: f(x1, x2) = x1*x2 + sin(x1) as a computational graph and as code.

Left, the graph of f in three-address form (w1 = x1, w2 = x2, w3 = w1*w2, w4 = sin(w1), w5 = w3 + w4):
on top the forward sweep, its arrows carrying the tangents along the computation; below the reverse
sweep, its arrows carrying the adjoints back from w5. Right, the code sct emits for each mode, with the
derivatives it computes at a point, checked against the analytic ones.

    python examples/dual_program.py [output.png] [--quick]     # default: dual_program.png
"""
from __future__ import annotations

import math
import sys

import plotting
from lecture import analytic_gradient, f

import sct

NODES = {  # position of each node of the graph
    "w1": (0.0, 1.2), "w2": (0.0, 0.0), "w3": (1.7, 0.0), "w4": (1.7, 1.2), "w5": (3.2, 0.6),
}
PRIMAL = {
    "w1": "$w_1 = x_1$", "w2": "$w_2 = x_2$", "w3": r"$w_3 = w_1 w_2$", "w4": r"$w_4 = \sin w_1$",
    "w5": "$w_5 = w_3 + w_4$",
}
# edge (from, to) of the computation -> what it carries in each sweep
TANGENTS = {
    ("w1", "w3"): r"$\dot w_1 w_2$", ("w2", "w3"): r"$w_1 \dot w_2$", ("w1", "w4"): r"$\cos(w_1)\,\dot w_1$",
    ("w3", "w5"): r"$\dot w_3$", ("w4", "w5"): r"$\dot w_4$",
}
ADJOINTS = {
    ("w1", "w3"): r"$\bar w_3 w_2$", ("w2", "w3"): r"$\bar w_3 w_1$", ("w1", "w4"): r"$\bar w_4 \cos w_1$",
    ("w3", "w5"): r"$\bar w_5$", ("w4", "w5"): r"$\bar w_5$",
}
TANGENT_SUMS = {
    "w1": r"$\dot w_1 = \dot x_1$", "w2": r"$\dot w_2 = \dot x_2$",
    "w3": r"$\dot w_3 = \dot w_1 w_2 + w_1 \dot w_2$",
    "w4": r"$\dot w_4 = \cos(w_1)\,\dot w_1$", "w5": r"$\dot w_5 = \dot w_3 + \dot w_4$",
}
ADJOINT_SUMS = {
    "w1": r"$\bar w_1 = \bar w_3 w_2 + \bar w_4 \cos w_1$", "w2": r"$\bar w_2 = \bar w_3 w_1$",
    "w3": r"$\bar w_3 = \bar w_5$", "w4": r"$\bar w_4 = \bar w_5$", "w5": r"$\bar w_5 = 1$ (seed)",
}


def emitted(derivative) -> str:
    """The emitted ``diff_f`` alone (the module's runtime helpers come before it)."""
    source = derivative.source
    return source[source.index("def diff_f"):].rstrip()


def draw_graph(ax, carried: dict, sums: dict, colour: str, backwards: bool, title: str) -> None:
    """Nodes w1..w5 with their primal statements, and arrows labelled with what each sweep carries."""
    for (a, b), label in carried.items():
        start, end = (NODES[b], NODES[a]) if backwards else (NODES[a], NODES[b])
        ax.annotate("", xy=end, xytext=start, arrowprops=dict(
            arrowstyle="-|>", color=colour, lw=2, shrinkA=24, shrinkB=24, mutation_scale=16))
        mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        ax.text(*mid, label, color=colour, fontsize=10, ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=colour, lw=0.6))
    for name, (x, y) in NODES.items():
        ax.add_patch(plotting.circle((x, y), 0.2, fc="#f3f3f3", ec="black", lw=1.2))
        ax.text(x, y, f"$w_{name[1]}$", ha="center", va="center", fontsize=12)
        above = y > 0.6
        ax.text(x, y + (0.26 if above else -0.26), PRIMAL[name], ha="center", va="bottom" if above else "top",
                fontsize=10)
        ax.text(x, y + (0.46 if above else -0.46), sums[name], ha="center", va="bottom" if above else "top",
                fontsize=10, color=colour)
    ax.set_xlim(-0.8, 4.0)
    ax.set_ylim(-0.8, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)


def draw_code(ax, code: str, colour: str, title: str, note: str) -> None:
    """``code`` in a monospace box, followed by ``note`` (the derivative's values) as comment lines."""
    ax.axis("off")
    comments = "\n".join("# " + line for line in note.splitlines())
    ax.text(0.0, 0.95, f"{code}\n\n{comments}", family="monospace", fontsize=10, va="top", ha="left",
            transform=ax.transAxes, bbox=dict(boxstyle="round,pad=0.6", fc="#fafafa", ec=colour, lw=1.2))
    ax.set_title(title, fontsize=11, loc="left", family="monospace")


def main(argv: list[str] | None = None) -> int:
    """Draw the figure; 0 if sct's forward and reverse derivatives match the analytic ones."""
    args = plotting.parse_args(__doc__.splitlines()[0], "dual_program.png", argv)
    x1, x2 = 1.5, 0.5
    forward = sct.forward(f, wrt=("x1", "x2"))
    reverse = sct.reverse(f, wrt=("x1", "x2"))
    _, d1 = forward(x1, x2, 1.0, 0.0)
    _, d2 = forward(x1, x2, 0.0, 1.0)
    value, (b1, b2) = reverse(x1, x2)
    e1, e2 = analytic_gradient(x1, x2)
    agree = all(math.isclose(a, e, rel_tol=1e-14) for a, e in ((d1, e1), (d2, e2), (b1, e1), (b2, e2)))
    print(f"f({x1}, {x2}) = {value:.15g}; df/dx1 = {d1:.15g}, df/dx2 = {d2:.15g} (forward), "
          f"{b1:.15g}, {b2:.15g} (reverse); analytic {e1:.15g}, {e2:.15g}")
    print("forward, reverse and analytic derivatives agree" if agree else "MISMATCH")

    plt = plotting.pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(13, 8.5), gridspec_kw={"width_ratios": [1.25, 1]})
    blue, red = "#1f5fa8", "#b2282f"
    draw_graph(axes[0, 0], TANGENTS, TANGENT_SUMS, blue, False,
               "Forward mode: tangents flow with the computation")
    draw_graph(axes[1, 0], ADJOINTS, ADJOINT_SUMS, red, True,
               "Reverse mode: adjoints flow back from the output")
    draw_code(axes[0, 1], emitted(forward), blue, "sct.forward(f, wrt=('x1', 'x2')).source",
              f"at x = ({x1}, {x2}), two sweeps, tangents (1, 0) and (0, 1):\n"
              f"df/dx1 = {d1:.6f}, df/dx2 = {d2:.6f}")
    draw_code(axes[1, 1], emitted(reverse), red, "sct.reverse(f, wrt=('x1', 'x2')).source",
              f"at x = ({x1}, {x2}), one sweep, seed 1:\n(x1_bar, x2_bar) = ({b1:.6f}, {b2:.6f})")
    axes[1, 0].legend(handles=[plotting.arrow_handle(blue, "tangent (forward sweep)"),
                               plotting.arrow_handle(red, "adjoint (reverse sweep)")],
                      loc="lower center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=10)
    fig.suptitle("The dual program of f(x1, x2) = x1 \u00b7 x2 + sin(x1), emitted by sct", fontsize=13)
    fig.tight_layout()
    plotting.save(fig, args.output, dpi=70 if args.quick else 80)
    print(f"saved {args.output}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
