"""The console script's first stop. A bare `counter-tui` (with at most --db and --config) opens the
app straight away; anything else goes to the Typer CLI in cli.py.

Why: a clerk starts the app many times a day on a weak PC, and Typer with Click costs about 80 ms
before anything is painted. The bare path imports only the settings and the UI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from counter_tui.errors import UserError
from counter_tui.settings import Settings, load_settings

GLOBAL_OPTIONS = ("--db", "--config")


def bare_options(argv: Sequence[str]) -> dict[str, str] | None:
    """The global options of a bare launch, or None when argv asks for anything else."""
    found: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, sep, value = arg.partition("=")
        if name not in GLOBAL_OPTIONS:
            return None
        if not sep:
            if not args:
                return None  # let the CLI say that the option needs a value
            value = args.pop(0)
        found[name[2:]] = value
    return found


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
    from counter_tui.ui.app import make_app

    app = make_app(settings)
    app.run()
    if app.return_code:  # ended by a failure: said in one line (ui/app.py), logged, not 0
        sys.exit(app.return_code)


def main() -> None:
    options = bare_options(sys.argv[1:])
    if options is None:
        from counter_tui.cli import main as cli_main

        cli_main()
        return
    settings: Settings | None = None
    try:
        settings = load_settings(config=options.get("config"), db=options.get("db"))
        open_app(settings)
    except UserError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except Exception as exc:  # one Chinese line, never a traceback (failures.py logs it)
        from counter_tui.failures import command_failure

        line, code = command_failure(exc, settings.sqlite_path if settings else None)
        print(f"错误：{line}", file=sys.stderr)
        sys.exit(code)
