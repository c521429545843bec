"""Pictures of the shell at the two sizes that matter: 80×24 (a hall PC's console) and 120×40."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from counter_tui.ui.app import CounterApp
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import log_in, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_login_screen(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp], size: tuple[int, int]
) -> None:
    """The login box centred: title, the site's name (database open), empty user name with the
    cursor, password, and the footer with Ctrl+Q 退出 and F1 帮助."""

    async def ready(pilot: Pilot[object]) -> None:
        await settle(pilot)

    assert snap_compare(app_for(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_login_error(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp], size: tuple[int, int]
) -> None:
    """After a wrong password: the user name stays, the password is empty and focused, and the
    red line under the form says 用户名或密码错误 and how many tries remain."""

    async def wrong(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", "wrong-password")

    assert snap_compare(app_for(), terminal_size=size, run_before=wrong)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp], size: tuple[int, int]
) -> None:
    """A clerk signed in: the header holds site, 3号窗口, 李四（窗口人员）, 同步：未配置 and the
    fixed clock; the intake section says it is not built yet; the footer lists F1–F6 and F9."""

    async def signed_in(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)

    assert snap_compare(app_for(), terminal_size=size, run_before=signed_in)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp], size: tuple[int, int]
) -> None:
    """F1 over the intake section: a table of every key with its Chinese description."""

    async def help_open(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_for(), terminal_size=size, run_before=help_open)


def test_demo_login_screen_in_sixteen_colours(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp]
) -> None:
    """Demo mode in a 16-colour terminal (ANSI colours only): the demo account hint under the
    form, every label still readable."""
    app = app_for(login_hint=("demo", "demo1234"))
    app.ansi_color = True

    async def ready(pilot: Pilot[object]) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
