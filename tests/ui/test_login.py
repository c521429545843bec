"""Signing in, wrong passwords, lockout and signing out, driven by key presses."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, text

from counter_tui.settings import Settings
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.intake.screen import IntakeScreen
from counter_tui.ui.screens.login import LoginScreen
from counter_tui.ui.screens.worklist import WorklistScreen
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import ID_NUMBER, Clock, field, intake_screen, log_in, payloads, settle


def status_text(app: CounterApp) -> str:
    return str(app.screen.query_one("#login-status").render())


async def test_clerk_signs_in_and_lands_on_intake(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        assert isinstance(app.screen, IntakeScreen)
        assert app.signed_in is not None
        assert app.signed_in.actor.role == "clerk"
        assert app.signed_in.actor.window == "3"
    [login] = payloads(node, "user.login_succeeded")
    assert login["window"] == "3"


async def test_approver_lands_on_worklist(app_for: Callable[..., CounterApp]) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "wang", PASSWORD)
        assert isinstance(app.screen, WorklistScreen)
        assert app.signed_in is not None
        assert app.signed_in.actor.department == "SCJG"


async def test_wrong_password_keeps_the_user_name_and_says_why(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", "not-the-password")
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.username.value == "li"
        assert app.screen.password.value == ""
        assert app.screen.password.has_focus
        assert "用户名或密码错误" in status_text(app)
        assert "再错 4 次" in status_text(app)
    assert len(payloads(node, "user.login_failed")) == 1
    assert payloads(node, "user.login_succeeded") == []


async def test_five_wrong_passwords_lock_the_account(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", "wrong-1")
        for attempt in range(2, 6):
            await pilot.press(*f"wrong-{attempt}", "enter")
            await settle(pilot)
        assert "账号已锁定至" in status_text(app)
        # Even the right password is refused while the lock holds.
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "账号已锁定" in status_text(app)
        assert app.signed_in is None
    assert len(payloads(node, "user.login_failed")) == 5
    assert len(payloads(node, "user.locked")) == 1


async def test_unknown_user_gets_the_answer_a_known_user_gets_and_is_recorded(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    """The screen must not tell which names have an account (issue 12, point 9)."""
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "nobody", "wrong-1")
        unknown = status_text(app)
        await pilot.press(*"wrong-2", "enter")
        await settle(pilot)
        unknown_again = status_text(app)
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", "wrong-1")
        known = status_text(app)
        await pilot.press(*"wrong-2", "enter")
        await settle(pilot)
        known_again = status_text(app)
    assert (unknown, unknown_again) == (known, known_again)
    assert "再错 3 次" in unknown_again
    assert payloads(node, "login.unknown_user")[0]["username"] == "nobody"


async def test_empty_fields_are_caught_before_checking(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert status_text(app) == "请输入用户名"
        await pilot.press(*"li", "enter", "enter")
        assert status_text(app) == "请输入密码"
        assert app.screen.username.value == "li"
    assert payloads(node, "user.login_failed") == []


async def test_sections_switch_with_function_keys_and_logout_returns_to_login(
    app_for: Callable[..., CounterApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")  # not signed in: sections are closed
        assert isinstance(app.screen, LoginScreen)
        await log_in(pilot, "li", PASSWORD)
        for key, mode in (
            ("f3", "queue"),
            ("f4", "worklist"),
            ("f5", "catalog"),
            ("f6", "reports"),
            ("f2", "intake"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
            assert app.screen.section_name == mode  # type: ignore[attr-defined]
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.signed_in is None
        assert app.screen.password.value == ""
        await pilot.press("f2")
        assert isinstance(app.screen, LoginScreen)


async def test_help_lists_the_keys_of_the_screen_underneath(
    app_for: Callable[..., CounterApp],
) -> None:
    from counter_tui.ui.screens.help import HelpScreen

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = [row.key for row in app.screen.rows]
        assert {"F1", "F2", "F3", "F4", "F5", "F6", "F9", "Ctrl+Q"} <= set(keys)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)


async def test_command_palette_goes_to_a_section(app_for: Callable[..., CounterApp]) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"统计")
        await pilot.pause(0.3)  # the palette searches in its own task
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "reports"


async def test_names_render_literally_not_as_markup(tmp_path: object) -> None:
    from pathlib import Path

    from tests.ui.conftest import FIXED_NOW, build_node

    node = build_node(Path(str(tmp_path)), {"li": ("李[b]四[/]", "clerk", None)})
    from counter_tui.ui.app import make_app
    from counter_tui.ui.widgets.header import CounterHeader

    app = make_app(node.settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        header = app.screen.query_one(CounterHeader)
        assert "李[b]四[/]（窗口人员）" in header.render().plain


async def test_a_database_from_a_newer_program_is_explained_on_the_login_screen(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    engine = create_engine(node.settings.db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.desk is None
        assert "更新版本" in str(app.screen.query_one("#login-site").render())
        await pilot.press(*"li", "enter", *PASSWORD, "enter")
        assert app.signed_in is None
        assert "更新版本" in status_text(app)


async def test_a_login_typed_before_the_database_opens_goes_through_when_it_opens(
    app_for: Callable[..., CounterApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    import counter_tui.desk.node as desk_module

    gate = threading.Event()
    real_open = desk_module.open_desk

    def slow_open(settings: Settings) -> desk_module.Desk:
        gate.wait(timeout=30)
        return real_open(settings)

    monkeypatch.setattr(desk_module, "open_desk", slow_open)
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"li", "enter", *PASSWORD, "enter")
        assert "稍候自动登录" in status_text(app)
        gate.set()
        await settle(pilot)
        # The held login starts its own worker once DeskReady is handled, which may be after
        # the first settle returned: wait for that worker too (bounded, no sleeping).
        for _ in range(20):
            if isinstance(app.screen, IntakeScreen):
                break
            await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)


# --- signing out a shared PC left alone (issue 12, point 9) ---------------------------------


async def test_an_idle_session_is_signed_out_after_the_configured_minutes(
    node: NodeDatabase,
) -> None:
    from counter_tui.ui.app import make_app

    clock = Clock()
    app = make_app(node.settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        clock.advance(minutes=14, seconds=59)
        await app.sign_out_if_idle()
        assert app.signed_in is not None  # not yet
        await pilot.press("f4")  # a key press starts the count again
        await pilot.pause()
        clock.advance(minutes=14)
        await app.sign_out_if_idle()
        assert app.signed_in is not None

        clock.advance(minutes=1, seconds=1)
        await app.sign_out_if_idle()
        await pilot.pause()

        assert app.signed_in is None
        assert isinstance(app.screen, LoginScreen)
        assert status_text(app) == "已因 15 分钟无操作自动注销，请重新登录"
        await pilot.press("f2")  # the sections are closed
        assert isinstance(app.screen, LoginScreen)


async def test_idle_sign_out_can_be_turned_off(node: NodeDatabase) -> None:
    from dataclasses import replace

    from counter_tui.ui.app import make_app

    clock = Clock()
    app = make_app(replace(node.settings, idle_logout_minutes=0), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        clock.advance(hours=8)
        await app.sign_out_if_idle()
        assert app.signed_in is not None


async def test_an_intake_draft_is_there_after_an_idle_sign_out(
    intake_node: NodeDatabase,
) -> None:
    from counter_tui.ui.app import make_app
    from counter_tui.ui.screens.ask import AskScreen

    clock = Clock()
    app = make_app(intake_node.settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press(*"spj", "enter")
        await settle(pilot)
        await pilot.press(*ID_NUMBER, "李", "雷")
        await settle(pilot)
        await pilot.press("ctrl+o")  # a dialog left open over the form
        await settle(pilot)
        assert isinstance(app.screen, AskScreen)
        clock.advance(minutes=15)
        await app.sign_out_if_idle()
        await pilot.pause()
        assert app.signed_in is None and isinstance(app.screen, LoginScreen)

        await log_in(pilot, "li", PASSWORD)

        assert field(app, "applicant.id_number") == ID_NUMBER
        assert field(app, "applicant.name") == "李雷"
        assert intake_screen(app).intake.entry_code == "F-5"
