"""The commands that open an interface: the clerk's app (`run`, and a bare `counter-tui`), the
hall display (`display`), the rating pad at a window (`rating-pad`) and the training demo
(`demo`).

The only module of the CLI that imports the UI (an import-linter contract says so), and only
inside the commands, so that `--help` never pays for Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counter_tui.cli.context import context_of
from counter_tui.errors import UserError
from counter_tui.settings import Settings

if TYPE_CHECKING:
    from counter_tui.demo.options import DemoOptions


def launch(settings: Settings) -> None:
    """Open the clerk's app on `settings`' database (or say what to run first)."""
    from counter_tui.ui.opening import open_app

    open_app(settings)


def run_cmd(ctx: typer.Context) -> None:
    """打开应用界面（与不带子命令相同）。"""
    launch(context_of(ctx).settings)


def display_cmd(
    ctx: typer.Context,
    voice: Annotated[
        bool, typer.Option("--voice", help="用语音播报叫号（需要 espeak-ng 和普通话语音）")
    ] = False,
    windows: Annotated[
        str | None,
        typer.Option("--windows", help="只显示这些窗口的叫号，逗号分隔，如 1,2,3（默认全部）"),
    ] = None,
) -> None:
    """大厅叫号显示屏：大字显示当前叫号、最近叫号和各类别等候人数（不需要登录）。"""
    from counter_tui.ui.hall.display import make_display

    context = context_of(ctx)
    shown = frozenset(w.strip() for w in windows.split(",") if w.strip()) if windows else None
    if windows is not None and not shown:
        raise UserError("--windows 需要至少一个窗口号，如 --windows 1,2,3")
    context.ready_engine().dispose()  # a missing or outdated database is said before the screen
    announcer, note = None, ""
    if voice:
        from counter_tui.queue.voice import Unavailable, find_announcer

        found = find_announcer()
        if isinstance(found, Unavailable):
            note = found.note
        else:
            announcer = found
    make_display(context.settings, announcer=announcer, voice_note=note, windows=shown).run()


def rating_pad_cmd(
    ctx: typer.Context,
    window: Annotated[str, typer.Option("--window", help="评价器所在的窗口号，如 3")],
) -> None:
    """窗口评价器：本窗口办结一个号或出件后，请办事人按 1–5 评价（不需要登录）。"""
    from counter_tui.ui.pad.app import make_pad

    context = context_of(ctx)
    window = window.strip()
    if not window:
        raise UserError("--window 需要一个窗口号，如 --window 3")
    context.ready_engine().dispose()  # a missing or outdated database is said before the screen
    settings = context.settings
    make_pad(settings, window, timeout=settings.ratings.pad_timeout).run()


def demo_cmd(
    seed: Annotated[
        int | None, typer.Option("--seed", help="随机种子：同一种子每次生成相同的演示大厅")
    ] = None,
    keep: Annotated[
        Path | None,
        typer.Option("--keep", help="把演示数据库建在（或重新打开）这个文件，退出后保留"),
    ] = None,
    today: Annotated[
        str | None, typer.Option("--date", help="演示中的“今天”，如 2026-12-07（默认真实日期）")
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="登录后直接开始这个练习场景（名称见场景列表）")
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve", help="在浏览器中开课：每位学员连接后得到自己的演示大厅")
    ] = False,
    trainer: Annotated[
        bool, typer.Option("--trainer", help="与 --serve 同用：在本终端显示各学员的进度和得分")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="与 --serve 同用：监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="与 --serve 同用：端口")] = 8000,
) -> None:
    """演示（培训）模式：在临时数据库上打开一个有人排队、有各种办件的演示大厅，数据从不离开本机。"""
    from counter_tui.demo.options import DemoOptions

    options = DemoOptions.from_cli(seed=seed, keep=keep, today=today, scenario=scenario)
    if options.scenario is not None:
        from counter_tui.demo.scenario_files import find_scenario

        # An unknown name (listing the available ones) or a broken file (file, line) is said
        # now, before a hall is built or a class is served.
        find_scenario(options.scenario)
    if serve:
        from counter_tui.demo.classroom import serve_classroom

        view = None
        if trainer:  # the demo layer is below the UI: the CLI hands the trainer's view down
            from counter_tui.ui.classroom import run_trainer_view

            view = run_trainer_view
        serve_classroom(options, host=host, port=port, trainer=view)
        return
    if trainer:
        raise UserError("--trainer 只能与 --serve 一起用：counter-tui demo --serve --trainer")
    run_demo(options)


def run_demo(options: DemoOptions) -> None:
    """One trainee's (or the trainer's) demo hall in this terminal: built, opened, removed."""
    from counter_tui.demo.setup import create_demo_database

    demo = create_demo_database(options)
    try:
        from counter_tui.ui.opening import run_app

        # As `run`: the demo returned no large freed block to the system, and each sign-in
        # kept its 19 MiB argon2 area (216 MB after an hour's sign-outs in tmux).
        run_app(demo.settings, login_hint=demo.login_hint, demo=demo)
    finally:
        if demo.kept:
            typer.echo(f"演示数据库保留在：{demo.path}")
        else:
            demo.remove()


def register(app: typer.Typer) -> None:
    """Add these commands to the root app (they are top-level commands, not a group)."""
    app.command("run")(run_cmd)
    app.command("display")(display_cmd)
    app.command("rating-pad")(rating_pad_cmd)
    app.command("demo")(demo_cmd)
