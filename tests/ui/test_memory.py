"""Working at the window keeps nothing alive that is gone from the screen (issue 12).

Textual's Footer rebuilt its keys at every focus move and kept the old ones (Textualize/textual
#6666): about 126 keys, 3 MB, per intake. The footer of every screen is ui.widgets.footer.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from textual.widgets._footer import FooterKey

from counter_tui.ui.app import CounterApp
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import log_in, settle


def detached_footer_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached)


async def test_moving_through_the_form_leaves_no_old_footer_keys(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        # The login screen's last keys stay with it (Textual keeps that screen): a few, once.
        left_at_login = detached_footer_keys()
        for _ in range(3):  # item → ID number → name → phone → address and back, three times
            for key in ("tab",) * 5 + ("shift+tab",) * 5:
                await pilot.press(key)
                await settle(pilot)
        # 30 focus moves, 30 new footers: none of the earlier footers' keys is still alive.
        assert detached_footer_keys() == left_at_login <= 5


def live_section_screens() -> dict[str, int]:
    from counter_tui.ui.screens.section import SectionScreen

    gc.collect()
    found: dict[str, int] = {}
    for o in gc.get_objects():
        if isinstance(o, SectionScreen):
            found[type(o).__name__] = found.get(type(o).__name__, 0) + 1
    return found


async def test_signing_out_and_in_leaves_no_earlier_session_s_screens(
    intake_app: Callable[[], CounterApp],
) -> None:
    """Each session gets fresh section screens; the last session's must go with it. They
    subscribed to the desk's signal and stayed in memory, about 12 MB a sign-in."""
    app = intake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        for _ in range(3):
            for key in ("f4", "f3", "f2"):
                await pilot.press(key)
                await settle(pilot)
            await pilot.press("f9")
            await log_in(pilot, "li", PASSWORD)
        for key in ("f4", "f3", "f2"):
            await pilot.press(key)
            await settle(pilot)
        # Three sign-outs: a screen kept per session would leave four of each. A loaded CI run
        # once found one earlier IntakeScreen still held by a finished worker, through the
        # context its hand-back ran in; hand-backs now run outside it
        # (ui/workers.outside_the_worker), but the flake was too rare to prove gone, so one
        # earlier screen is still allowed here.
        found = live_section_screens()
        assert set(found) == {"IntakeScreen", "WorklistScreen", "QueueScreen"}
        assert all(count <= 2 for count in found.values()), found
