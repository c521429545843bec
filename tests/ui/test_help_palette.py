"""F1 that teaches (every key of the screen, grouped, with when it applies, never cut), the
command palette in Chinese holding the bindings' actions, and the warning about keys tmux takes
(issue 15, points 6 and 9)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot

from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.keys import key_label
from counter_tui.ui.screens.help import REMAP_LINE, HelpRow, HelpScreen
from counter_tui.ui.terminal import textual_key, tmux_warning, warn_about_terminal_keys
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, notifications, options, plain, settle
from tests.ui.test_queue import tickets

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def queue_app(queue_node: NodeDatabase) -> Callable[[], CounterApp]:
    return lambda: make_app(queue_node.settings, clock=lambda: FIXED_NOW)


async def open_help(pilot: Pilot[object], section: str) -> HelpScreen:
    await log_in(pilot, "li", PASSWORD)
    await pilot.press(section)
    await settle(pilot)
    await pilot.press("f1")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return screen


def by_key(screen: HelpScreen, group: str) -> dict[str, HelpRow]:
    (rows,) = [g.rows for g in screen.groups if g.title == group]
    return {row.key: row for row in rows}


def cells(line: str, start: int, end: int) -> str:
    """The characters of `line` in cells [start, end) (CJK characters are two cells wide)."""
    out, at = [], 0
    for char in line:
        if start <= at < end:
            out.append(char)
        at += cell_len(char)
    return "".join(out)


def table_cells(rendered: str) -> list[list[str]]:
    """Each row of the rendered help tables as its columns' whole text: the columns' starts are
    read off each header line, and a row's wrapped lines (blank key column) are joined."""
    rows: list[list[str]] = []
    starts: list[int] = []
    for line in rendered.splitlines():
        if line.startswith("按键"):
            labels = ("按键", "作用", "何时可用", "编号")
            starts = [cell_len(line[: line.index(label)]) for label in labels] + [10**6]
            continue
        if not starts or not line.strip():
            continue
        parts = ["".join(cells(line, a, b).split()) for a, b in pairwise(starts)]
        if parts[0]:
            rows.append(parts)
        elif rows and any(parts):
            rows[-1] = [old + new for old, new in zip(rows[-1], parts, strict=True)]
    return rows


async def test_f1_on_f3_without_a_ticket_lists_every_key_with_when_it_applies(
    queue_app: Callable[[], CounterApp],
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_help(pilot, "f3")
        here = by_key(screen, "本画面")
        # Lower-case, as typed; the state-dependent ones dim with their condition.
        for key in "rsfxtp":
            assert key in here and not here[key].enabled, key
            assert here[key].when, key
        assert here["n"].enabled and here["i"].enabled
        assert here["r"].when == "已叫号、申请人未到窗口时"
        assert here["s"].when == "已叫号、申请人未到窗口时"
        assert here["f"].when == "已叫号或办理中"
        assert "过号行：重新排队" in here["回车"].when and "往日行：关闭" in here["回车"].when
        assert not {"R", "S", "N"} & set(here)
        general = by_key(screen, "通用")
        assert {"F1", "F2", "F4", "F9", "Ctrl+Y", "Ctrl+P", "Ctrl+Q"} <= set(general)
        assert not general["F3"].enabled  # the section on screen
        assert here["r"].binding_id == "queue.recall"
        # Never cut: at 80 columns every description and condition is there in full.
        width = app.screen.query_one("#help-table").content_region.width
        rendered = plain(pilot, "#help-table", width=width)
        assert "…" not in rendered
        shown = table_cells(rendered)
        for row in screen.rows:
            whole = ["".join(text.split()) for text in (row.key, row.description, row.when)]
            assert whole in [cells[:3] for cells in shown], row
        assert "".join(REMAP_LINE.split()) in "".join(plain(pilot, "#help-foot", 76).split())


async def test_f1_on_f4_lists_enter_and_the_case_keys(app_for: Callable[..., CounterApp]) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_help(pilot, "f4")
        assert by_key(screen, "本画面")["回车"].description == "打开办件"
        opened = by_key(screen, "回车打开办件后")
        assert opened["o"].description.startswith("出件")
        assert opened["o"].when == "办件已办结时（窗口人员、培训讲师）"
        assert opened["h"].binding_id == "case.hand_off"


async def test_a_remapped_key_is_shown_as_remapped(node: NodeDatabase) -> None:
    from dataclasses import replace

    app = make_app(replace(node.settings, keys={"section.reports": "f11"}), clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_help(pilot, "f2")
        general = by_key(screen, "通用")
        assert general["F11"].binding_id == "section.reports" and "F6" not in general


def test_keys_are_written_as_typed() -> None:
    assert [key_label(k) for k in ("r", "f1", "ctrl+o", "enter", "space", "escape,f1")] == [
        "r",
        "F1",
        "Ctrl+O",
        "回车",
        "空格",
        "Esc/F1",
    ]


async def test_the_palette_is_chinese_and_holds_the_actions(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    from textual.command import CommandInput

    app = queue_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one(CommandInput).placeholder == "输入栏目或操作名称…"
        await pilot.press(*"出件")
        await pilot.pause(0.3)  # the palette searches in its own task
        found = options(pilot, "CommandList")
        assert found and found[0].startswith("出件（F4 · 回车 · o）"), found
        assert not any(line.startswith(("事项：", "一件事：")) for line in found), found
        for _ in "出件":
            await pilot.press("backspace")
        await pilot.press(*"zzzq")
        await pilot.pause(0.8)  # Textual waits half a second before saying nothing matched
        assert "没有匹配的命令" in " ".join(options(pilot, "CommandList"))
        await pilot.press("escape")
        await pilot.pause()
        # 叫号 from anywhere: goes to F3 and calls the next ticket (A002, 绿色通道 first).
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"叫号（F3")
        await pilot.pause(0.3)
        assert options(pilot, "CommandList")[0].startswith("叫号（F3 · n）")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "queue"
        assert tickets(queue_node)["A002"].state == "called"
        # 叫号 again while A002 is held: nothing happens, the notification says when it applies.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"叫号（F3")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert tickets(queue_node)["A001"].state == "waiting"
        assert any("叫号：窗口空闲" in line for line in notifications(pilot))


async def test_the_palette_has_no_english_system_commands(
    app_for: Callable[..., CounterApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("down")  # opens the list of every command
        await pilot.pause(0.3)
        listed = " ".join(options(pilot, "CommandList"))
        assert "前往：排队叫号（F3）" in listed
        for english in ("Quit the application", "theme", "Keys", "Screenshot", "Maximize"):
            assert english not in listed


# --- tmux -----------------------------------------------------------------------------------

KEYS = {"intake.kind": "ctrl+b", "intake.find": "ctrl+o", "help": "f1"}


def test_outside_tmux_there_is_no_warning() -> None:
    assert tmux_warning({}, None, KEYS) is None


def test_tmux_default_prefix_names_the_binding_to_remap() -> None:
    warning = tmux_warning({"TMUX": "/tmp/tmux-1000/default,1,0"}, None, KEYS)
    assert warning is not None
    assert "Ctrl+B 是 tmux 的前缀键" in warning and "intake.kind" in warning
    assert "intake.find" not in warning


def test_tmux_with_another_prefix() -> None:
    env = {"TMUX": "x"}
    assert tmux_warning(env, "C-a", KEYS) is None  # nothing of ours on Ctrl+A
    warning = tmux_warning(env, "C-o", KEYS)
    assert warning is not None and "Ctrl+O" in warning and "intake.find" in warning
    assert textual_key("M-a") == "alt+a" and textual_key("F1") == "f1"


async def test_the_app_warns_once_inside_tmux(
    app_for: Callable[..., CounterApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter_tui.ui import terminal

    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1,0")
    monkeypatch.setattr(terminal, "read_tmux_prefix", lambda: "C-o")
    app = app_for()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert not notifications(pilot)  # headless: the hook in on_mount says nothing
        monkeypatch.setattr(type(app), "is_headless", property(lambda self: False))
        warn_about_terminal_keys(app)
        await pilot.pause()
        await pilot.pause()
        (warning,) = notifications(pilot)
        assert "intake.find" in warning


# --- pictures -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_help_on_f3_snapshot(
    snap_compare: Callable[..., bool], queue_app: Callable[[], CounterApp], size: tuple[int, int]
) -> None:
    """F1 over F3 with no ticket called: 本画面 with Enter on a row, n and i bright, r s f x t p
    dim with when they apply; ids in the last column; the remapping line at the foot."""

    async def run(pilot: Pilot[object]) -> None:
        await open_help(pilot, "f3")

    assert snap_compare(queue_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_help_on_f4_snapshot(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp], size: tuple[int, int]
) -> None:
    """F1 over F4: Enter 打开办件, the worklist's keys, then 回车打开办件后 (h, c, b … o 出件)."""

    async def run(pilot: Pilot[object]) -> None:
        await open_help(pilot, "f4")

    assert snap_compare(app_for(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_palette_snapshot(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp], size: tuple[int, int]
) -> None:
    """Ctrl+P, then 叫号: the commands 叫号（F3 · n）and those near it, in Chinese."""

    async def run(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"叫号")
        await pilot.pause(0.3)

    assert snap_compare(app_for(), terminal_size=size, run_before=run)
