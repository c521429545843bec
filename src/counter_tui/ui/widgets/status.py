"""The status line under a form or a list: what the last step did, or why it failed.

One widget for every screen, so that the failure rule (ui/workers.py) finds it without the
screen writing anything: a worker's error is said here, and the form above it is untouched.
What it says is often the user's own text (a name in a refusal, a case number): it is always
shown literally, never read as markup (DESIGN §4.6).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """One line of news for the screen it sits on; `.error` styles a failure."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)

    def say(self, message: str, *, error: bool = False) -> None:
        """Show `message` (literally), as a failure when `error`; "" clears the line."""
        self.update(Text(message))
        self.set_class(error, "error")

    def show_failure(self, line: str) -> None:
        """A failed step (ui/workers.report_failure): said as an error."""
        self.say(line, error=True)
