"""The command line: the only entry point (`counter-tui …`, `python -m counter_tui`).

Heavy imports (SQLModel, Textual) happen inside the commands that need them, so `--help` and the
first paint of the app stay fast (STYLE.md, "Start fast").
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter_tui import __version__
from counter_tui.cli_admin import AdminOption, AdminPasswordFileOption
from counter_tui.cli_calendar import calendar_app
from counter_tui.cli_cases import cases_app
from counter_tui.cli_catalog import bench_search, catalog_app
from counter_tui.cli_queue import queue_app
from counter_tui.clock import set_hall_zone
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from counter_tui.schema import SchemaState

app = typer.Typer(
    name="counter-tui",
    help="综合窗口（一窗受理）终端应用。不带子命令运行时打开应用界面。",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,  # locals may hold passwords
)
db_app = typer.Typer(help="数据库：升级结构、检查、备份。", no_args_is_help=True)
users_app = typer.Typer(
    help="账号：新增、列出、改密码、停用、启用（除列出外需管理员登录）。", no_args_is_help=True
)
audit_app = typer.Typer(
    help="审计：核验事件日志的哈希链，并按日志重建数据逐行比对。", no_args_is_help=True
)
bench_app = typer.Typer(help="性能测量。", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(bench_app, name="bench")
app.add_typer(catalog_app, name="catalog")
app.add_typer(calendar_app, name="calendar")
app.add_typer(cases_app, name="cases")
app.add_typer(queue_app, name="queue")
bench_app.command("search")(bench_search)


class State:
    """Global options, resolved into Settings on first use."""

    db: str | None = None
    config: str | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(config=self.config, db=self.db)
            set_hall_zone(self._settings.timezone)  # every command counts the hall's days
        return self._settings


state = State()


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
    state.db, state.config, state._settings = db, config, None
    if ctx.invoked_subcommand is None:
        _launch(state.settings)


# --- the app ------------------------------------------------------------------------------------


def _launch(settings: Settings) -> None:
    from counter_tui.launch import open_app

    open_app(settings)


@app.command("run")
def run_cmd() -> None:
    """打开应用界面（与不带子命令相同）。"""
    _launch(state.settings)


@app.command("display")
def display_cmd(
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

    shown = frozenset(w.strip() for w in windows.split(",") if w.strip()) if windows else None
    if windows is not None and not shown:
        raise UserError("--windows 需要至少一个窗口号，如 --windows 1,2,3")
    _ready_engine(state.settings).dispose()
    announcer, note = None, ""
    if voice:
        from counter_tui.queue.voice import Unavailable, find_announcer

        found = find_announcer()
        if isinstance(found, Unavailable):
            note = found.note
        else:
            announcer = found
    make_display(state.settings, announcer=announcer, voice_note=note, windows=shown).run()


@app.command("demo")
def demo_cmd(
    keep: Annotated[bool, typer.Option("--keep", help="退出后保留演示数据库（默认删除）")] = False,
) -> None:
    """演示（培训）模式：在临时数据库上打开应用，数据从不离开本机。"""
    from counter_tui.demo.setup import create_demo_database

    demo = create_demo_database()
    try:
        from counter_tui.ui.app import make_app

        make_app(demo.settings, login_hint=demo.login_hint).run()
    finally:
        if keep:
            typer.echo(f"演示数据库保留在：{demo.path}")
        else:
            demo.remove()


# --- init and db -------------------------------------------------------------------------------


def _read_password(password_file: Path | None, prompt: str) -> str:
    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"无法读取密码文件：{password_file}（{exc.strerror}）") from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise UserError(f"密码文件为空：{password_file}")
        return lines[0]
    if not sys.stdin.isatty():  # a script or a service: a prompt would echo or hang
        raise UserError("没有可输入密码的终端：请用 --password-file 指定密码文件（读取第一行）")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt="再输入一次"))


def _engine(settings: Settings, *, create: bool = False, read_only: bool = False) -> Engine:
    from sqlalchemy.exc import OperationalError

    from counter_tui.db import make_engine, translated

    engine = make_engine(settings.db_url, create=create, read_only=read_only)
    try:
        with translated(engine), engine.connect():  # busy, full, gone: said as such
            pass
    except OperationalError as exc:
        raise UserError(f"无法打开数据库：{settings.db_url}（{exc.orig}）") from None
    return engine


def _ready_engine(settings: Settings, *, read_only: bool = False) -> Engine:
    from counter_tui.db import translated
    from counter_tui.schema import require_head

    engine = _engine(settings, read_only=read_only)
    with translated(engine):
        require_head(engine)
    return engine


def _operator(engine: Engine) -> Any:
    """The CLI's own actor, for what needs no sign-in (queue steps, the calendar filled from the
    installed package): role `operator`, which may change no account and no reference data.
    Commands that do sign an administrator in (cli_admin.sign_in_admin)."""
    from counter_tui.actor import Actor
    from counter_tui.db import read_session
    from counter_tui.site.service import node

    with read_session(engine) as session:
        return Actor.command_line(node(session).site)


@app.command("init")
def init_cmd(
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

    settings = state.settings
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
    password = _read_password(
        password_file, f"管理员 {admin} 的密码（至少 {MIN_PASSWORD_LENGTH} 位）"
    )
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    try:
        _initialise(settings, site=site, name=name, admin=admin, password=password, level=level)
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


def _initialise(
    settings: Settings, *, site: str, name: str, admin: str, password: str, level: str
) -> None:
    from counter_tui.accounts.service import create_user
    from counter_tui.db import write_session
    from counter_tui.schema import state as schema_state
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node
    from counter_tui.workdays.service import ensure_seeded

    engine = _engine(settings, create=True)
    if schema_state(engine).current is not None:
        raise UserError(f"数据库已经初始化过：{settings.db_url}")
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=site, name=name, demo=settings.demo, level=level)
        create_user(
            session,
            operator,
            username=admin,
            display_name="管理员",
            role="admin",
            password=password,
        )
        # Due dates need the working-day calendar from the first case on.
        ensure_seeded(session, operator)
    engine.dispose()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库结构升级到本程序的版本（先备份）。"""
    from counter_tui.schema import upgrade

    engine = _engine(state.settings)
    after = upgrade(engine)
    typer.echo(f"数据库结构已是最新版本 {after.current}：{state.settings.db_url}")


@db_app.command("check")
def db_check() -> None:
    """检查数据库完整性和结构版本（只读打开，也可检查写保护的备份）；有问题时退出码为 1。"""
    from counter_tui.db import is_sqlite, translated
    from counter_tui.dberrors import MESSAGES
    from counter_tui.errors import DatabaseDamaged
    from counter_tui.schema import state as schema_state

    engine = _engine(state.settings, read_only=True)  # never migrated, never written
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
        where = state.settings.sqlite_path or state.settings.db_url
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
    typer.echo(f"数据库完好，结构版本 {current.current}：{state.settings.db_url}")


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
def db_backup(path: Annotated[Path, typer.Argument(help="备份文件路径（不能已存在）")]) -> None:
    """在线备份 SQLite 数据库（应用运行时也可以做，得到一致的副本）。"""
    from counter_tui.dbfile import check_sqlite_file

    source = state.settings.sqlite_path
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


@audit_app.command("verify")
def audit_verify() -> None:
    """核验每个站点事件日志的哈希链，并按日志另行重建各投影表、与现存数据逐行比对；
    发现改动时指出第一条出问题的事件和每一处不符的表、行、列，退出码为 1。"""
    from counter_tui.db import read_session
    from counter_tui.journal.service import projection_differences, verify

    # SQLite opens read-only (a write-protected backup too; the projections are rebuilt in a
    # scratch copy). PostgreSQL rebuilds them in a savepoint that is always rolled back, which a
    # read-only transaction would refuse; a server is no write-protected stick.
    postgres = state.settings.db_url.startswith("postgresql")
    engine = _ready_engine(state.settings, read_only=not postgres)
    with read_session(engine) as session:
        checked, breach = verify(session)
        differences = projection_differences(session)
    if breach is not None:
        typer.echo(f"日志被改动：{breach.describe()}", err=True)
    for difference in differences:
        typer.echo(f"数据与日志不符：{difference.describe()}", err=True)
    if breach is not None or differences:
        raise typer.Exit(1)
    typer.echo(f"日志完好：已核验 {checked} 条事件；各投影表与按日志重建的结果一致")


# --- users --------------------------------------------------------------------------------------


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="用户名（小写字母开头）")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="角色：clerk 窗口人员、approver 后台审批、supervisor 督查管理、"
            "admin 管理员、trainer 培训讲师",
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="姓名")],
    department: Annotated[
        str | None, typer.Option("--department", help="所属部门编码（后台审批人员必填）")
    ] = None,
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取新账号的密码（不交互）")
    ] = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """新增账号（需管理员登录）。"""
    from counter_tui.accounts.rules import role_problem, username_problem
    from counter_tui.accounts.service import create_user, department_problem
    from counter_tui.cli_admin import sign_in_admin
    from counter_tui.db import read_session, write_session

    for problem in (username_problem(username), role_problem(role, department)):
        if problem:
            raise UserError(problem)
    engine = _ready_engine(state.settings)
    actor = sign_in_admin(engine, admin, admin_password_file)
    if role == "approver" and department:  # before the password is typed, not after
        with read_session(engine) as session:
            problem = department_problem(session, department)
        if problem:
            raise UserError(problem)
    password = _read_password(password_file, f"{username} 的密码")
    with write_session(engine) as session:
        create_user(
            session,
            actor,
            username=username,
            display_name=name,
            role=role,
            password=password,
            department=department,
        )
    typer.echo(f"已新增账号 {username}（{name}）")


@users_app.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False) -> None:
    """列出账号。"""
    from counter_tui.accounts.rules import role_label
    from counter_tui.accounts.service import list_users, utcnow
    from counter_tui.db import read_session

    engine = _ready_engine(state.settings)
    with read_session(engine) as session:
        users = list_users(session)
    now = utcnow()
    rows = [
        {
            "username": u.username,
            "name": u.display_name,
            "role": u.role,
            "department": u.department,
            "disabled": u.disabled,
            "locked": u.locked_until is not None and u.locked_until > now,
            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
        }
        for u in users
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        flags = ("（已停用）" if row["disabled"] else "") + ("（已锁定）" if row["locked"] else "")
        dept = f" 部门 {row['department']}" if row["department"] else ""
        typer.echo(
            f"{row['username']:<16} {row['name']}  {role_label(str(row['role']))}{dept}{flags}"
        )


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument(help="用户名")],
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取新密码（不交互）")
    ] = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """重设密码（同时解除锁定；需管理员登录）。"""
    from counter_tui.accounts.service import change_password, find_user
    from counter_tui.cli_admin import sign_in_admin
    from counter_tui.db import read_session, write_session

    engine = _ready_engine(state.settings)
    actor = sign_in_admin(engine, admin, admin_password_file)
    with read_session(engine) as session:
        if find_user(session, username) is None:
            raise UserError(f"没有这个用户：{username}")
    password = _read_password(password_file, f"{username} 的新密码")
    with write_session(engine) as session:
        change_password(session, actor, username, password)
    typer.echo(f"已重设 {username} 的密码")


@users_app.command("reset-admin")
def users_reset_admin(
    username: Annotated[str, typer.Argument(help="管理员用户名（不存在时新建）")],
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取新密码（不交互）")
    ] = None,
) -> None:
    """找回管理员：忘记管理员密码时重设（并解除锁定、停用）。

    不需要管理员登录，但只能由数据库文件所属的系统用户执行（PostgreSQL：--db 地址使用数据库
    所有者的账号）；日志记为 recovery:系统用户名。
    """
    from counter_tui.accounts.rules import username_problem
    from counter_tui.accounts.service import recover_admin
    from counter_tui.cli_admin import recovery_actor, recovery_problem
    from counter_tui.db import write_session

    problem = username_problem(username)
    if problem:
        raise UserError(problem)
    engine = _ready_engine(state.settings)
    problem = recovery_problem(engine, state.settings.sqlite_path)
    if problem:
        raise UserError(problem)
    password = _read_password(password_file, f"管理员 {username} 的新密码")
    with write_session(engine) as session:
        created = recover_admin(session, recovery_actor(engine), username, password)
    what = "已新建管理员" if created else "已重设管理员"
    typer.echo(f"{what} {username} 的密码（记入日志：由系统用户找回）")


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="用户名")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """停用账号（不删除，历史记录保留；需管理员登录）。"""
    _set_disabled(username, True, admin, admin_password_file)
    typer.echo(f"已停用 {username}")


@users_app.command("enable")
def users_enable(
    username: Annotated[str, typer.Argument(help="用户名")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """重新启用账号（需管理员登录）。"""
    _set_disabled(username, False, admin, admin_password_file)
    typer.echo(f"已启用 {username}")


def _set_disabled(
    username: str, disabled: bool, admin: str | None, admin_password_file: Path | None
) -> None:
    from counter_tui.accounts.service import set_disabled
    from counter_tui.cli_admin import sign_in_admin
    from counter_tui.db import write_session

    engine = _ready_engine(state.settings)
    actor = sign_in_admin(engine, admin, admin_password_file)
    with write_session(engine) as session:
        set_disabled(session, actor, username, disabled)


# --- bench -------------------------------------------------------------------------------------


@bench_app.command("intake")
def bench_intake(
    cases: Annotated[int, typer.Option("--cases", min=10, max=5000, help="受理件数")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """测量受理：草稿保存、受理出回执、一次性告知、通知书排版与 PDF、界面按键延迟。"""
    from counter_tui.bench.intake import format_report, measure_intake

    report = measure_intake(cases=cases)
    from counter_tui.bench.report import echo_report

    echo_report(report, format_report, as_json=as_json)


@bench_app.command("cases")
def bench_cases(
    cases: Annotated[
        int, typer.Option("--cases", min=1000, max=5_000_000, help="生成的办件数")
    ] = 1_000_000,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """测量待办与超期查询：在生成的大型办件表上计时（p50/p95）。"""
    from counter_tui.bench.cases import format_report, measure_cases

    report = measure_cases(cases=cases)
    from counter_tui.bench.report import echo_report

    echo_report(report, format_report, as_json=as_json)


@bench_app.command("queue")
def bench_queue(
    waiting: Annotated[int, typer.Option("--waiting", min=10, max=100_000, help="等候张数")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """测量排队叫号：取号、叫号、办结、显示屏查询，以及多个窗口进程同时叫号。"""
    from counter_tui.bench.queue import format_report, measure_queue
    from counter_tui.bench.report import echo_report

    echo_report(measure_queue(waiting=waiting), format_report, as_json=as_json)


@bench_app.command("day")
def bench_day(
    intakes: Annotated[
        int, typer.Option("--intakes", min=1, max=2000, help="受理件数（每件打印 PDF 通知书）")
    ] = 100,
    tickets: Annotated[
        int, typer.Option("--tickets", min=1, max=5000, help="叫号并办结的号数")
    ] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """窗口的一天：在真实应用里受理并打印、叫号办结、刷新待办，测量应用进程的内存。"""
    from counter_tui.bench.day import format_report, measure_day
    from counter_tui.bench.report import echo_report

    echo_report(measure_day(intakes=intakes, tickets=tickets), format_report, as_json=as_json)


@bench_app.command("startup")
def bench_startup(
    runs: Annotated[int, typer.Option("--runs", min=1, max=50, help="每个程序测几次")] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """在真实伪终端里测量从启动到首屏绘制的时间（与最小 Textual 应用对比）和内存峰值。"""
    from counter_tui.bench.startup import format_report, measure_startup

    report = measure_startup(runs=runs)
    from counter_tui.bench.report import echo_report

    echo_report(report, format_report, as_json=as_json)


def main() -> None:
    try:
        app()
    except UserError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        sys.exit(exc.exit_code)
    except PermissionDenied as exc:
        typer.echo(f"无权操作：{exc.message}", err=True)
        sys.exit(2)
    except Exception as exc:  # one Chinese line, never a traceback (failures.py logs it)
        from counter_tui.failures import command_failure

        line, code = command_failure(exc, _database_file())
        typer.echo(f"错误：{line}", err=True)
        sys.exit(code)


def _database_file() -> Path | None:
    """The SQLite file the command worked on, if the settings got as far as being read."""
    settings = state._settings
    return settings.sqlite_path if settings is not None else None
