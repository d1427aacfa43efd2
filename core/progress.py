"""Progress of a long management command: one line on stderr, rewritten in place on a terminal
and written every 10 s otherwise (a log file or CI then gets a line now and then, not a flood)."""

import time


class ProgressLine:
    def __init__(self, stream):
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = self.last = time.monotonic()
        self.shown = False

    def due(self) -> float | None:
        """Seconds since the start when it is time for a new line, else None."""
        now = time.monotonic()
        if now - self.last < (0.5 if self.interactive else 10):
            return None
        self.last = now
        return max(now - self.started, 1e-6)

    def show(self, line: str) -> None:
        if self.interactive:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
            self.shown = True
        else:
            self.stream.write(line)

    def finish(self) -> None:
        if self.shown:
            self.stream.write("")
