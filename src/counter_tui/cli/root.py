"""The root of the command line: the Typer app, its global options, its command groups, and
`main`, which turns every error into one Chinese line and an exit code.

`launch.main` (the console script) sends here everything but a bare `counter-tui`.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

# Typer 0.29 carries its own copy of Click: its parse errors are these classes, not click's.
from typer._click import exceptions as click

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
    report,
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
app.add_typer(report.report_app, name="report")


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
        code = app(obj=context, standalone_mode=False, prog_name="counter-tui")
        # As Click's standalone mode: the process always ends through SystemExit.
        sys.exit(code if isinstance(code, int) else 0)
    except click.NoArgsIsHelpError as exc:  # a command group alone: its help, as Click does
        typer.echo(exc.format_message(), err=True)
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        typer.echo(f"错误：{usage_problem(exc)}", err=True)
        if exc.ctx is not None:
            typer.echo(f"用法：{exc.ctx.command_path} --help", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("已取消", err=True)
        sys.exit(1)
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


def usage_problem(exc: click.UsageError) -> str:
    """A command line that does not parse, said in Chinese (Click says it in English)."""
    if isinstance(exc, click.NoSuchOption):
        if exc.option_name in ("--db", "--config") and exc.ctx is not None:
            root = exc.ctx.find_root().info_name or "counter-tui"
            command = exc.ctx.command_path.removeprefix(root).strip()
            return f"{exc.option_name} 要写在子命令之前：{root} {exc.option_name} 路径 {command}"
        return f"没有这个选项：{exc.option_name}"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = exc.param.opts[0] if exc.param.opts else exc.param.name
        kind = "参数" if exc.param.param_type_name == "argument" else "选项"
        return f"缺少{kind} {str(name).upper() if kind == '参数' else name}"
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        name = exc.param.opts[0] if exc.param.opts else exc.param.name
        return f"{name} 的值不对：{exc.message}"
    if exc.message.startswith("No such command"):
        return f"没有这个命令：{_quoted(exc.message)}"
    if exc.message.startswith("Got unexpected extra argument"):
        return f"多余的参数：{exc.message.rpartition('(')[2].rstrip(')')}"
    return f"命令用法不对：{exc.message}"


def _quoted(message: str) -> str:
    """What Click's English message names between quotes ('x'), or the whole message."""
    parts = message.split("'")
    return parts[1] if len(parts) > 2 else message
