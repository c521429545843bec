"""A demo hall's dialogs that cover the header say they are training (issue 18): a photo of the
key help or of a case's detail taken in training cannot pass for a real hall's screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.widgets.training_mark import TRAINING_LABEL
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, settle


@pytest.fixture
def app_on(node: NodeDatabase) -> Callable[[bool], CounterApp]:
    """The app on the test node, as the demo opens it (`demo`) or as a hall's PC does."""

    def factory(demo: bool) -> CounterApp:
        return make_app(replace(node.settings, demo=demo), clock=lambda: FIXED_NOW)

    return factory


async def open_help(pilot: Pilot[object]) -> None:
    await log_in(pilot, "li", PASSWORD)
    await pilot.press("f1")
    await settle(pilot)


@pytest.mark.parametrize(("demo", "title"), [(True, TRAINING_LABEL), (False, "")])
async def test_the_key_help_says_training_in_a_demo_only(
    app_on: Callable[[bool], CounterApp], demo: bool, title: str
) -> None:
    app = app_on(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_help(pilot)
        box = app.screen.query_one("#help-box", Widget)
        assert str(box.border_title or "") == title


def test_demo_key_help_at_80x24(
    snap_compare: Callable[..., bool], app_on: Callable[[bool], CounterApp]
) -> None:
    """F1 in a demo hall at 80×24: the help box covers the header, and its top border carries
    培训演示 · 非正式 at the right, in reverse; the keys table below as on a real node."""
    assert snap_compare(app_on(True), terminal_size=(80, 24), run_before=open_help)


async def test_the_booking_form_says_training_in_a_demo(queue_node: NodeDatabase) -> None:
    """The booking form covers the header at 80×24: a form that sets its own on_mount still
    gets the mark (Textual runs the screen's and its own)."""
    app = make_app(replace(queue_node.settings, demo=True), clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("b", "1", "a", "enter", "enter")  # 窗口预约, category A, today
        await settle(pilot)
        box = app.screen.query_one("#ask-box", Widget)
        assert type(app.screen).__name__ == "BookingScreen"
        assert str(box.border_title) == TRAINING_LABEL
