"""Keys of a routed input (ui/focus.py) that are bindings of Textual's rather than the input's
own: ↓ and ↑ in the item search move through its hits. They scroll a one-line input, which
cannot scroll (SkipAction): run first by the input, they ended the app (found driving the
training scenarios: 二手房's item is the third hit)."""

from __future__ import annotations

from collections.abc import Callable

from counter_tui.ui.app import CounterApp
from tests.ui.helpers import intake_screen, signed_in


async def test_down_and_up_in_the_item_search_move_through_the_hits(
    app_for: Callable[[], CounterApp],
) -> None:
    app = app_for()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        hits = intake_screen(app).item.hits
        await keys("down")  # nothing typed, no hits: nothing happens
        assert app.is_running and not hits.display
        await keys(*"dj")  # 登记: the test catalog's registrations
        assert hits.option_count > 1 and hits.highlighted == 0
        await keys("down")
        assert hits.highlighted == 1
        await keys("up")
        assert hits.highlighted == 0
        second = hits.get_option_at_index(1).id
        await keys("down", "enter")
        assert app.is_running
        assert intake_screen(app).intake.entry_code == second
