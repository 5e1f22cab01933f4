"""Forward or reverse? The time of a whole Jacobian of F: R^n -> R^m by sct's forward and reverse modes.

Forward mode gives one Jacobian column per sweep, so a whole Jacobian costs n sweeps; reverse mode gives
one row per sweep, m sweeps. For F(x) = sin(W tanh(x)) with W of shape (m, n) every sweep costs about
the same, so forward mode wins when n < m and reverse mode when n > m. The script times both (the best
of several repeats, on this machine, one sweep per unit tangent or seed) with n varying at fixed m, with
m varying at fixed n, and over a grid of both; every Jacobian is first checked against the analytic one.

    python examples/jacobian_timing.py [output.png] [--quick]     # default: jacobian_timing.png
"""
from __future__ import annotations

import sys
import time

import numpy as np
import plotting

import sct


def F(x, W):
    h = np.tanh(x)
    return np.sin(W @ h)


def analytic_jacobian(x: np.ndarray, W: np.ndarray) -> np.ndarray:
    """dF/dx worked out by hand: diag(cos(W h)) W diag(1 - h**2)."""
    h = np.tanh(x)
    return np.cos(W @ h)[:, None] * W * (1 - h**2)


FORWARD = sct.forward(F, wrt="x")
REVERSE = sct.reverse(F, wrt="x")


def forward_jacobian(x: np.ndarray, W: np.ndarray) -> np.ndarray:
    """n forward sweeps, one per unit tangent: the columns of the Jacobian."""
    return np.stack([FORWARD(x, W, e)[1] for e in np.eye(x.size)], axis=1)


def reverse_jacobian(x: np.ndarray, W: np.ndarray) -> np.ndarray:
    """m reverse sweeps, one per unit seed: the rows of the Jacobian."""
    return np.stack([REVERSE(x, W, seed=e)[1] for e in np.eye(W.shape[0])])


def best_time(jacobian, x: np.ndarray, W: np.ndarray, repeats: int) -> float:
    """Seconds for one whole Jacobian, the best of ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jacobian(x, W)
        times.append(time.perf_counter() - start)
    return min(times)


def problem(n: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    """A point x (n,), a matrix W (m, n), and the largest error of both modes against the exact Jacobian."""
    x, W = rng.standard_normal(n), rng.standard_normal((m, n))
    exact = analytic_jacobian(x, W)
    error = max(np.abs(forward_jacobian(x, W) - exact).max(), np.abs(reverse_jacobian(x, W) - exact).max())
    return x, W, float(error)


def measure(shapes: list[tuple[int, int]], repeats: int, passes: int,
            seed: int = 0) -> tuple[np.ndarray, float]:
    """Forward and reverse seconds per (n, m) in ``shapes``, shape (len, 2), and the largest error.

    Each time is the best over ``passes`` rounds through all shapes of the best of ``repeats`` runs, so a
    burst of load on the machine spoils no single size.
    """
    rng = np.random.default_rng(seed)
    problems = [problem(n, m, rng) for n, m in shapes]
    times = np.full((len(shapes), 2), np.inf)
    for _ in range(passes):
        for i, (x, W, _) in enumerate(problems):
            times[i] = np.minimum(times[i], [best_time(forward_jacobian, x, W, repeats),
                                             best_time(reverse_jacobian, x, W, repeats)])
    return times, max(error for _, _, error in problems)


def crossover(sizes: np.ndarray, forward: np.ndarray, reverse: np.ndarray) -> float | None:
    """The size where the forward and reverse curves first cross (linear interpolation), if they do."""
    diff = forward - reverse
    for i in range(len(sizes) - 1):
        if np.sign(diff[i]) != np.sign(diff[i + 1]):
            return float(sizes[i] + (sizes[i + 1] - sizes[i]) * diff[i] / (diff[i] - diff[i + 1]))
    return None


def sweep_panel(ax, sizes, forward, reverse, varied: str, fixed: str, fixed_size: int) -> None:
    """Times of both modes against one dimension, the other held at ``fixed_size``."""
    ax.plot(sizes, forward * 1e3, "o-", color="#1f5fa8", label=f"forward: {varied} sweeps" if varied == "n"
            else f"forward: {fixed} = {fixed_size} sweeps")
    ax.plot(sizes, reverse * 1e3, "s-", color="#b2282f", label=f"reverse: {varied} sweeps" if varied == "m"
            else f"reverse: {fixed} = {fixed_size} sweeps")
    ax.axvline(fixed_size, color="grey", ls=":", label=f"{varied} = {fixed} = {fixed_size}")
    cross = crossover(sizes, forward, reverse)
    if cross is not None:
        ax.plot([cross], [np.interp(cross, sizes, forward) * 1e3], "k*", ms=12,
                label=f"measured crossover {varied} \u2248 {cross:.0f}")
    ax.set_xlabel(f"{varied} ({'inputs' if varied == 'n' else 'outputs'}), {fixed} = {fixed_size}")
    ax.set_ylabel("time of the whole Jacobian (ms)")
    ax.set_title(f"{'n' if varied == 'n' else 'm'} varies, {fixed} = {fixed_size}")
    ax.legend(fontsize=8)


def ratio_panel(fig, ax, grid: np.ndarray, ratio: np.ndarray) -> None:
    """log2(forward time / reverse time) over the (n, m) grid, with the line n = m."""
    lim = np.abs(np.log2(ratio)).max()
    image = ax.pcolormesh(np.arange(len(grid) + 1), np.arange(len(grid) + 1), np.log2(ratio), cmap="RdBu_r",
                          vmin=-lim, vmax=lim, shading="flat")
    ax.plot([0, len(grid)], [0, len(grid)], "k--", lw=1, label="n = m")
    ax.set_xticks(np.arange(len(grid)) + 0.5, [str(g) for g in grid])
    ax.set_yticks(np.arange(len(grid)) + 0.5, [str(g) for g in grid])
    ax.set_xlabel("n (inputs)")
    ax.set_ylabel("m (outputs)")
    ax.set_title("log2(forward time / reverse time)")
    ax.legend(loc="upper left", fontsize=8)
    bar = fig.colorbar(image, ax=ax)
    bar.set_label("blue: forward faster, red: reverse faster")


def main(argv: list[str] | None = None) -> int:
    """Time, check and plot; 0 if every Jacobian matched the analytic one."""
    args = plotting.parse_args(__doc__.splitlines()[0], "jacobian_timing.png", argv)
    fixed, repeats, passes = (8, 2, 1) if args.quick else (20, 5, 4)
    sizes = np.array([1, 4, 8, 12, 16] if args.quick else [1, 5, 10, 15, 20, 25, 30, 40, 50, 60])
    grid = np.array([1, 4, 16] if args.quick else [1, 2, 4, 8, 16, 32, 64])
    shapes = [(n, fixed) for n in sizes] + [(fixed, m) for m in sizes] + [(n, m) for m in grid for n in grid]
    times, worst = measure(shapes, repeats, passes)
    by_n, by_m = times[: len(sizes)], times[len(sizes): 2 * len(sizes)]
    cells = times[2 * len(sizes):].reshape(len(grid), len(grid), 2)
    print(f"F(x) = sin(W tanh(x)); whole Jacobians, best of {repeats * passes} runs (ms)")
    print(f"{'n':>4} {'m':>4} {'forward':>9} {'reverse':>9}")
    for (n, m), (tf, tr) in zip(shapes[: 2 * len(sizes)], times):
        print(f"{n:4d} {m:4d} {tf * 1e3:9.3f} {tr * 1e3:9.3f}")
    print(f"largest error of any Jacobian against the analytic one: {worst:.1e}")

    plt = plotting.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    sweep_panel(axes[0], sizes, by_n[:, 0], by_n[:, 1], "n", "m", fixed)
    sweep_panel(axes[1], sizes, by_m[:, 0], by_m[:, 1], "m", "n", fixed)
    ratio_panel(fig, axes[2], grid, cells[..., 0] / cells[..., 1])
    fig.suptitle("Forward or reverse? A whole Jacobian of F: R\u207f \u2192 R\u1d50 with sct "
                 "(forward: n sweeps, reverse: m sweeps)")
    fig.tight_layout()
    plotting.save(fig, args.output)
    print(f"saved {args.output}")
    ok = worst < 1e-12
    print("every Jacobian matches the analytic one" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
