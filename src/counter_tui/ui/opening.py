"""Opening the clerk's app on a node's settings: the one way in for the launcher's fast path
(a bare `counter-tui`) and for the CLI's `run`.

Imports no Textual until the database file has been checked, so a machine that was never
initialised is told what to run without paying for the UI.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from counter_tui.demo.isolation import refuse_demo_database
from counter_tui.errors import UserError
from counter_tui.settings import Settings

if TYPE_CHECKING:
    from counter_tui.demo.setup import DemoDatabase


def open_app(settings: Settings) -> None:
    """Open the interface on `settings`' database, or say exactly what to run first."""
    path = settings.sqlite_path
    if path is not None and not path.exists():
        raise UserError(
            f"本机尚未初始化（没有数据库 {path}）。请先运行：\n"
            "  counter-tui init --site 站点编码 --name 站点名称\n"
            "只想看看？运行 counter-tui demo 打开演示模式。"
        )
    if path is not None:
        from counter_tui.dbfile import check_sqlite_file

        check_sqlite_file(path, create=False)
    # A kept demo named by --db, COUNTER_TUI_DB or the config file: its fake cases would pass
    # for the hall's. The demo opens its own database with demo settings (run_app), not here.
    refuse_demo_database(settings)
    run_app(settings)


def run_app(
    settings: Settings,
    *,
    login_hint: tuple[str, str] | None = None,
    demo: DemoDatabase | None = None,
) -> None:
    """Run the clerk's app for the day: `counter-tui run` and the demo (a trainer's day is as
    long, and its sign-ins as many)."""
    from counter_tui.memory import return_large_blocks
    from counter_tui.ui.app import make_app

    return_large_blocks()  # before the first sign-in's password check
    app = make_app(settings, login_hint=login_hint, demo=demo)
    app.run()
    if app.return_code:  # ended by a failure: said in one line (ui/app.py), logged, not 0
        sys.exit(app.return_code)
