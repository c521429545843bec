"""Keys remapped by binding id in the config file (STYLE.md: users remap keys by id)."""

from __future__ import annotations

from dataclasses import replace

from counter_tui.ui.app import make_app
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, notifications


async def test_a_remapped_section_key_opens_its_section(node: NodeDatabase) -> None:
    settings = replace(node.settings, keys={"section.reports": "f11"})
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f11")
        await pilot.pause()
        assert app.current_mode == "reports"
        await pilot.press("f2")
        await pilot.pause()
        assert app.current_mode == "intake"


async def test_an_unknown_binding_id_is_pointed_out(node: NodeDatabase) -> None:
    settings = replace(node.settings, keys={"section.nowhere": "f7"})
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert any("未知的按键编号：section.nowhere" in m for m in notifications(pilot))


def test_every_binding_of_every_screen_has_an_id() -> None:
    """Every default stays remappable in the config file's [keys], by binding id."""
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.keymap import binding_ids, binding_owners

    without = {
        (owner.__name__, b.key)
        for owner in binding_owners(CounterApp)
        for b in owner.BINDINGS
        if not getattr(b, "id", None)
    }
    assert without == set()
    # The ids the app accepts in [keys] include the widgets' and dialogs' (the checklist's r).
    assert {"intake.received", "case.deliver", "queue.recall", "help"} <= binding_ids(CounterApp)


async def test_a_checklist_key_is_remappable(node: NodeDatabase) -> None:
    settings = replace(node.settings, keys={"intake.received": "y"})
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await log_in(pilot, "li", PASSWORD)
        assert not any("未知的按键编号" in m for m in notifications(pilot))
