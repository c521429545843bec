"""The training mark on screens that cover the header: a demo's dialogs say they are training.

The header says 演示模式·不同步 on every section screen; a dialog as tall as the terminal (the
key help, a case's detail, the hard cases) hides it, and a photo of one could pass for a real
hall's. Such a dialog puts the mark in its box's top border: no line of the box is spent on it,
and a real hall's dialogs are drawn exactly as before.
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget

#: In the top border of a full-height dialog of a demo hall.
TRAINING_LABEL = " 培训演示 · 非正式 "


def runs_a_demo(app: Any) -> bool:
    """Whether the app works on a demo (training) database: its settings or its node say so."""
    settings = getattr(app, "settings", None)
    node = getattr(app, "node", None)
    return bool(getattr(settings, "demo", False) or getattr(node, "demo", False))


def mark_training(box: Widget) -> None:
    """Put the training mark in `box`'s top border when the app runs a demo hall."""
    if not runs_a_demo(box.app):
        return
    box.border_title = TRAINING_LABEL
    box.styles.border_title_align = "right"
    box.styles.border_title_style = "bold reverse"
    box.add_class("training")
