"""Progress of a fit with several initialisations, for ``verbose`` estimators.

``verbose=1`` prints one line per ``verbose_interval`` iterations with the lower bound and its
change, and a line per initialisation when it ends; ``verbose=2`` adds the time each took. When
tqdm is installed and there are several initialisations, they advance a progress bar (the lines
are written above it); otherwise each initialisation starts with a plain ``Initialization k`` line.
"""

from __future__ import annotations

import sys
import time
from typing import Iterable, TextIO

try:
    from tqdm.auto import tqdm
except ImportError:  # tqdm is optional
    tqdm = None


class Progress:
    """Reports of one ``fit``: call :meth:`inits`, then per initialisation ``start``/``iteration``/``end``."""

    def __init__(self, verbose: int, interval: int, stream: TextIO | None = None,
                 use_bar: bool | None = None) -> None:
        self.verbose = int(verbose)
        self.interval = interval
        self.stream = sys.stdout if stream is None else stream
        self.bar = None
        self.use_bar = (tqdm is not None) if use_bar is None else use_bar
        self._init_time = self._iter_time = time.time()

    def inits(self, n_init: int) -> Iterable[int]:
        """The initialisation indices, through a tqdm bar when verbose and tqdm is available."""
        if not self.verbose or not self.use_bar or n_init < 2:
            return range(n_init)
        self.bar = tqdm(range(n_init), desc="initialisations", unit="init", file=self.stream, leave=True)
        return self.bar

    def _print(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)

    def start(self, init: int) -> None:
        if self.verbose:
            if self.bar is None:
                self._print(f"Initialization {init}")
            self._init_time = self._iter_time = time.time()

    def iteration(self, n_iter: int, bound: float, change: float) -> None:
        if not self.verbose or n_iter % self.interval:
            return
        line = f"  Iteration {n_iter}\t lower bound {bound:.6f}\t change {change:.3g}"
        if self.verbose >= 2:
            now = time.time()
            line += f"\t time lapse {now - self._iter_time:.5f}s"
            self._iter_time = now
        self._print(line)

    def end(self, bound: float, converged: bool, n_iter: int) -> None:
        if not self.verbose:
            return
        status = "converged" if converged else "did not converge"
        line = f"Initialization {status} after {n_iter} iteration(s): lower bound {bound:.6f}."
        if self.verbose >= 2:
            line += f" time lapse {time.time() - self._init_time:.5f}s"
        self._print(line)
        if self.bar is not None:
            self.bar.set_postfix(lower_bound=f"{bound:.4f}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
