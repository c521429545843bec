"""Textual's Footer without its leak: every screen's key line is this widget.

Textual's Footer rebuilds its keys whenever the bindings change (every focus move), and each new
FooterKey binds its `compact` to the footer's (`data_bind`). Textual stores that watcher on the
footer and only prunes it when `compact` itself changes, which never happens here, so every
rebuild kept the old keys alive: about 126 detached keys, 3 MB, per intake
(Textualize/textual#6666, measured with `counter-tui bench day`). This footer drops the
watchers of keys that are no longer mounted each time it composes new ones.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that forgets the keys it has removed."""

    def compose(self) -> ComposeResult:
        # Reactive watchers live in the observed object's "__watchers" dict (Textual's
        # reactive._watch); the old keys are detached by the time recompose calls compose.
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
        yield from super().compose()
