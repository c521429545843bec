"""Textual's Footer without its leak: every screen's key line is this widget.

Textual's Footer rebuilds its keys whenever the bindings change (every focus move), and each new
FooterKey binds its `compact` to the footer's (`data_bind`). Textual stores that watcher on the
footer and only prunes it when `compact` itself changes, which never happens here, so every
rebuild kept the old keys alive: about 126 detached keys, 3 MB, per intake
(Textualize/textual#6666, measured with `counter-tui bench day`). This footer drops the
watchers of keys that are no longer mounted each time it composes new ones.

It also fits the terminal's width (80 columns at a window): when the keys do not fit, the keys
that are the same on every screen give up their words first — the other sections' F-keys show
as `f2 f3 f5`, then `f9` — while the screen's own keys and `f1 帮助` keep theirs. F1 lists every
key in full, and the section's title names the screen one is on.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: The keys that give up their words when the line is too narrow, in that order: the other
#: sections (their action is section('…')), then signing out.
SHORTEN_FIRST = ("section(", "logout")


class KeyFooter(Footer):
    """A Footer that forgets the keys it has removed."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        #: The width the keys were last fitted to: a resize to another width fits them again.
        self._fitted_to = 0

    def compose(self) -> ComposeResult:
        # Reactive watchers live in the observed object's "__watchers" dict (Textual's
        # reactive._watch); the old keys are detached by the time recompose calls compose.
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
        widgets = list(super().compose())
        self._fitted_to = self.app.size.width
        yield from fit(widgets, self._fitted_to)

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and self.app.size.width != self._fitted_to:
            self.call_after_refresh(self.recompose)


def width_of(key: FooterKey) -> int:
    """The cells a compact key takes: `f2 受理` and the gap after it."""
    words = 1 + cell_len(key.description) if key.description else 0
    return cell_len(key.key_display) + words + 1


def fit(widgets: Iterable[Widget], width: int) -> list[Widget]:
    """The footer's keys, the shared ones shortened (SHORTEN_FIRST) until the line fits."""
    widgets = list(widgets)
    keys = [w for w in widgets if isinstance(w, FooterKey)]
    for prefix in SHORTEN_FIRST:
        if sum(width_of(key) for key in keys) <= width:
            break
        for key in keys:
            if key.action.startswith(prefix):
                key.description = ""
    return widgets
