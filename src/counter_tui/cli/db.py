"""`counter-tui init` and `counter-tui db …`: making, migrating, checking and copying the node's
database.

These work on the database itself rather than on the node's business, so they take the engine
from the context (`CliContext.engine`) instead of the application layer: `db check` opens it
read-only and must work on a database too damaged or too old to open a desk on, `db upgrade`
migrates it, `db backup` copies the file with SQLite's own backup. `init` founds the node
through `desk.founding`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counter_tui.cli.context import context_of
from counter_tui.cli.passwords import read_new_password
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from counter_tui.schema import SchemaState

db_app = typer.Typer(help="数据库：升级结构、检查、备份。", no_args_is_help=True)


def init_cmd(
    ctx: typer.Context,
    site: Annotated[str, typer.Option("--site", help="站点编码，如 421202-XA-BYQ")],
    name: Annotated[str, typer.Option("--name", help="站点名称，如 某某县政务服务中心")],
    admin: Annotated[str, typer.Option("--admin", help="首个管理员的用户名")] = "admin",
    level: Annotated[
        str,
        typer.Option(
            "--level", help="站点层级：county 县级、town 乡镇（街道）、village 村（社区）"
        ),
    ] = "county",
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取管理员密码（不交互）")
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help="数据库地址（也可作为全局选项）")] = None,
) -> None:
    """创建本机（节点）的数据库和第一个管理员账号。"""
    from counter_tui.accounts.rules import (
        MIN_PASSWORD_LENGTH,
        password_problem,
        username_problem,
    )
    from counter_tui.settings import normalise_db_option
    from counter_tui.site.rules import level_problem, site_code_problem

    context = context_of(ctx)
    settings = context.settings
    if db is not None:
        settings = settings.with_overrides(db_url=normalise_db_option(db))
    for problem in (site_code_problem(site), level_problem(level), username_problem(admin)):
        if problem:
            raise UserError(problem)
    path = settings.sqlite_path
    existed = path is not None and path.exists() and path.stat().st_size > 0
    if existed and path is not None:
        from counter_tui.dbfile import check_sqlite_file

        check_sqlite_file(path, create=False)  # a file that is not a database says so
        raise UserError(f"数据库已存在：{path}（不会覆盖；要升级结构请用 counter-tui db upgrade）")
    password = read_new_password(
        password_file, f"管理员 {admin} 的密码（至少 {MIN_PASSWORD_LENGTH} 位）"
    )
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    try:
        from counter_tui.desk.founding import found_node

        engine = context.engine(settings, create=True)
        found_node(
            engine, settings, site=site, name=name, admin=admin, password=password, level=level
        )
        engine.dispose()
    except BaseException:
        if path is not None and not existed:
            _remove_partial_database(path)
        raise
    typer.echo(f"已初始化站点 {site}（{name}），数据库：{settings.db_url}")
    typer.echo(
        f"管理员账号：{admin}。下一步：counter-tui users add 用户名 --role clerk --name 姓名"
    )


def _remove_partial_database(path: Path) -> None:
    """Remove what a failed init left behind, never hiding the reason it failed."""
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        # e.g. the "folder" is a file: there is nothing to remove
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """把数据库结构升级到本程序的版本（先备份）。"""
    from counter_tui.schema import upgrade

    context = context_of(ctx)
    after = upgrade(context.engine())
    typer.echo(f"数据库结构已是最新版本 {after.current}：{context.settings.db_url}")


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """检查数据库完整性和结构版本（只读打开，也可检查写保护的备份）；有问题时退出码为 1。"""
    from counter_tui.db import is_sqlite, translated
    from counter_tui.dberrors import MESSAGES
    from counter_tui.errors import DatabaseDamaged
    from counter_tui.schema import state as schema_state

    context = context_of(ctx)
    engine = context.engine(read_only=True)  # never migrated, never written
    problems: list[str] = []
    current: SchemaState | None = None
    try:
        with translated(engine):
            damage = _integrity_problems(engine)
            if not damage:
                current = schema_state(engine)
                if is_sqlite(engine):
                    with engine.connect() as conn:
                        if list(conn.exec_driver_sql("PRAGMA foreign_key_check")):
                            problems.append("存在外键不一致的记录")
    except DatabaseDamaged:
        damage = []  # too damaged for the check itself to list what it found
        current = None
    if current is None:
        where = context.settings.sqlite_path or context.settings.db_url
        typer.echo(f"问题：{MESSAGES['damaged']}。文件：{where}", err=True)
        if damage:
            typer.echo(f"详情：完整性检查发现 {'；'.join(damage)}", err=True)
        raise typer.Exit(1)
    if current.current is None:
        problems.append("数据库尚未初始化（没有结构版本）")
    elif not current.at_head:
        problems.append(
            f"结构版本 {current.current} 较旧，最新为 {current.head}：请运行 counter-tui db upgrade"
        )
    if problems:
        for problem in problems:
            typer.echo(f"问题：{problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"数据库完好，结构版本 {current.current}：{context.settings.db_url}")


def _integrity_problems(engine: Engine) -> list[str]:
    """What the engine's own check finds wrong in the file (empty: nothing). SQLite: its
    integrity check. PostgreSQL checks each page as it reads it (with
    data checksums on), so reading every table through is its quick check."""
    from counter_tui.db import is_sqlite
    from counter_tui.schema import metadata

    with engine.connect() as conn:
        if is_sqlite(engine):
            result = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
            if result == ["ok"]:
                return []
            found = [line.strip() for row in result for line in row.splitlines() if line.strip()]
            return found[:5]  # the first few say enough: the answer is the backup either way
        from sqlalchemy import func, inspect, select

        present = set(inspect(conn).get_table_names())
        for table in metadata().sorted_tables:
            if table.name in present:
                conn.execute(select(func.count()).select_from(table))
    return []


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="备份文件路径（不能已存在）")],
) -> None:
    """在线备份 SQLite 数据库（应用运行时也可以做，得到一致的副本）。"""
    from counter_tui.dbfile import check_sqlite_file

    source = context_of(ctx).settings.sqlite_path
    if source is None:
        raise UserError("db backup 只用于 SQLite；PostgreSQL 请用 pg_dump")
    check_sqlite_file(source, create=False)
    target = path.expanduser().absolute()
    if target.exists():
        raise UserError(f"备份文件已存在，不会覆盖：{target}")
    if not target.parent.is_dir():
        raise UserError(f"备份目录不存在：{target.parent}")
    import sqlite3

    try:
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.execute("PRAGMA busy_timeout=10000")
            src.backup(dst)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise UserError(f"备份失败：{exc}") from None
    typer.echo(f"已备份到 {target}（{target.stat().st_size // 1024} KB）")


def register(app: typer.Typer) -> None:
    """`init` is a top-level command; the `db` group is added by the root."""
    app.command("init")(init_cmd)
