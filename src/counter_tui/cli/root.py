"""The root of the command line: the Typer app, its global options, its command groups, and
`main`, which turns every error into one Chinese line and an exit code.

`launch.main` (the console script) sends here everything but a bare `counter-tui`.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from counter_tui import __version__
from counter_tui.cli import (
    audit,
    bench,
    calendar,
    cases,
    catalog,
    db,
    hub,
    launching,
    queue,
    sync,
    users,
)
from counter_tui.cli.context import CliContext, context_of
from counter_tui.errors import PermissionDenied, UserError

app = typer.Typer(
    name="counter-tui",
    help="综合窗口（一窗受理）终端应用。不带子命令运行时打开应用界面。",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,  # locals may hold passwords
)
launching.register(app)
db.register(app)
app.add_typer(db.db_app, name="db")
app.add_typer(users.users_app, name="users")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(bench.bench_app, name="bench")
app.add_typer(catalog.catalog_app, name="catalog")
app.add_typer(calendar.calendar_app, name="calendar")
app.add_typer(cases.cases_app, name="cases")
app.add_typer(queue.queue_app, name="queue")
app.add_typer(hub.hub_app, name="hub")
app.add_typer(sync.sync_app, name="sync")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"counter-tui {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="数据库地址或 SQLite 文件路径（默认：配置文件或用户数据目录）"),
    ] = None,
    config: Annotated[
        str | None, typer.Option("--config", help="配置文件路径（TOML；默认在用户配置目录）")
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出"),
    ] = False,
) -> None:
    context = context_of(ctx)
    context.db, context.config = db, config
    ctx.call_on_close(context.close)
    if ctx.invoked_subcommand is None:
        launching.launch(context.settings)


def main() -> None:
    """Run the command line on sys.argv; never a traceback (failures.py logs the unexpected)."""
    context = CliContext()
    try:
        app(obj=context)
    except PermissionDenied as exc:  # a UserError worded as a refusal: caught first
        typer.echo(f"无权操作：{exc.message}", err=True)
        sys.exit(exc.exit_code)
    except UserError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # one Chinese line, never a traceback (failures.py logs it)
        from counter_tui.failures import command_failure

        line, code = command_failure(exc, context.database_file)
        typer.echo(f"错误：{line}", err=True)
        sys.exit(code)
