"""Progress of long work on stderr: a line per step and, when a person watches a terminal, a
bar that fills in place for steps that count (`done` of `total`)."""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 24


class StepProgress:
    """Call with (step, done, total): total 0 prints `step` as a line; otherwise it is a count."""

    def __init__(self, stream: TextIO | None = None, bars: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bars = self.stream.isatty() if bars is None else bars
        self.open = False  # a bar is drawn on the current line

    def __call__(self, step: str, done: int, total: int) -> None:
        if total <= 0:
            self._end_bar()
            self.stream.write(f"  {step}\n")
        elif self.bars:
            filled = min(WIDTH, WIDTH * done // total)
            self.stream.write(f"\r  {step:<28} [{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,}")
            self.open = True
        self.stream.flush()

    def _end_bar(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.open = False

    def close(self) -> None:
        self._end_bar()
        self.stream.flush()
