"""The real `counter-tui` command, run as a separate process with a private HOME, so that what a
county admin types at a shell is what is tested: exit codes, one-line Chinese errors, files
left untouched."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from counter_tui import __version__
from counter_tui.accounts.service import authenticate
from counter_tui.db import write_session
from tests.conftest import Cli, Node
from tests.core.helpers import CLERK_PASSWORD, add_clerk, events, execute, import_test_catalog

WRITER = Path(__file__).with_name("writer.py")
SITE = "421202-XA-BYQ"


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text("init-pass-123\n", encoding="utf-8")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_file(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


# --- init and the database ---------------------------------------------------------------------


def test_init_makes_a_node_that_passes_every_check(
    cli: Cli, db_url: str, password_file: Path
) -> None:
    made = cli(
        "init",
        "--site",
        SITE,
        "--name",
        "测试便民服务室",
        "--password-file",
        password_file,
        db=db_url,
    )

    assert made.code == 0, made.err
    assert f"已初始化站点 {SITE}（测试便民服务室）" in made.out
    checked = cli("db", "check", db=db_url)
    assert checked.code == 0, checked.err
    assert "数据库完好" in checked.out
    verified = cli("audit", "verify", db=db_url)
    # site.created, user.created, and calendar.imported (init seeds the working-day calendar).
    assert (verified.code, verified.out.strip()) == (
        0,
        "日志完好：已核验 3 条事件；各投影表与按日志重建的结果一致",
    )
    listed = cli("users", "list", "--json", db=db_url)
    assert [(u["username"], u["role"]) for u in json.loads(listed.out)] == [("admin", "admin")]


def test_init_never_overwrites_an_existing_database(
    cli: Cli, node: Node, password_file: Path
) -> None:
    before = events(node.engine)
    file = sqlite_file(node.url)
    before_bytes = digest(file) if file else None

    again = cli(
        "init",
        "--site",
        "421202-XA-NEW",
        "--name",
        "另一个",
        "--password-file",
        password_file,
        db=node.url,
    )

    assert again.code == 2
    if file:
        assert again.error_line.startswith(f"错误：数据库已存在：{file}（不会覆盖")
        assert digest(file) == before_bytes
    else:
        assert again.error_line == f"错误：数据库已经初始化过：{node.url}"
    assert events(node.engine) == before


@pytest.mark.parametrize(
    "command",
    [
        ["db", "check"],
        ["db", "upgrade"],
        ["users", "list"],
        ["audit", "verify"],
        ["db", "backup", "copy.db"],
        ["init", "--site", SITE, "--name", "测试"],
        [],
    ],
    ids=lambda c: " ".join(c[:2]) or "app",
)
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(
    cli: Cli, tmp_path: Path, command: list[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("窗口交接班记录\n", encoding="utf-8")
    before = digest(notes)

    ran = cli(*command, db=notes)

    assert ran.code == 2
    assert ran.error_line == f"错误：不是 SQLite 数据库文件：{notes}"
    assert digest(notes) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "notes.txt", "work"]


@pytest.mark.parametrize("below", ["x.db", "sub/x.db"])
def test_a_folder_that_cannot_hold_the_database_is_refused(
    cli: Cli, tmp_path: Path, password_file: Path, below: str
) -> None:
    """Root may write anywhere, so the unwritable folder is a regular file standing in the way."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")

    ran = cli(
        "init",
        "--site",
        SITE,
        "--name",
        "测试",
        "--password-file",
        password_file,
        db=blocker / below,
    )

    assert ran.code == 2
    assert str(blocker) in ran.error_line
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_broken_config_file_is_named_with_its_line(cli: Cli) -> None:
    config = Path(cli.env["XDG_CONFIG_HOME"]) / "counter-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('window = "3"\ndb = /srv/counter.db\n', encoding="utf-8")

    ran = cli("db", "check")

    assert ran.code == 2
    assert ran.error_line.startswith(f"错误：配置文件语法错误：{config} 第 2 行")


def test_a_database_from_a_newer_version_is_refused_untouched(cli: Cli, node: Node) -> None:
    execute(node.engine, "UPDATE alembic_version SET version_num = '9999_future'")
    node.engine.dispose()
    message = (
        "错误：数据库由更新版本的 counter-tui 创建（结构版本 9999_future），本程序无法使用；"
        "请升级 counter-tui"
    )

    for command in (["db", "check"], ["users", "list"], ["db", "upgrade"]):
        ran = cli(*command, db=node.url)
        assert (ran.code, ran.error_line) == (2, message), command

    with node.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            "9999_future"
        )


def test_the_app_on_a_machine_never_initialised_says_what_to_run(cli: Cli) -> None:
    ran = cli()

    assert ran.code == 2
    assert "本机尚未初始化" in ran.err
    assert "counter-tui init --site" in ran.err and "counter-tui demo" in ran.err
    assert not Path(cli.env["XDG_DATA_HOME"], "counter-tui", "counter.db").exists()


def test_version(cli: Cli) -> None:
    ran = cli("--version")

    assert (ran.code, ran.out.strip()) == (0, f"counter-tui {__version__}")


def test_a_command_line_that_does_not_parse_is_said_in_chinese(cli: Cli, tmp_path: Path) -> None:
    database = tmp_path / "counter.db"
    late = cli("sync", "status", "--db", database)
    unknown = cli("sync", "status", "--colour")
    missing = cli("hub", "enroll")
    nosuch = cli("sycn", "now")
    extra = cli("sync", "status", "now")
    group = cli("sync")

    assert late.code == 2 and late.err.splitlines()[0] == (
        "错误：--db 要写在子命令之前：counter-tui --db 路径 sync status"
    )
    assert "用法：counter-tui sync status --help" in late.err
    assert unknown.code == 2 and "错误：没有这个选项：--colour" in unknown.err
    assert missing.code == 2 and "错误：缺少参数 SITE" in missing.err
    assert nosuch.code == 2 and "错误：没有这个命令：sycn" in nosuch.err
    assert extra.code == 2 and "错误：多余的参数：now" in extra.err
    assert group.code == 2 and "与县级中心同步" in group.err  # a group alone: its help
    for ran in (late, unknown, missing, nosuch, extra):
        assert "Error" not in ran.err and "Usage" not in ran.err
    assert not database.exists()


# --- audit --------------------------------------------------------------------------------------


def test_audit_verify_names_an_event_altered_with_sql(cli: Cli, node: Node) -> None:
    target = events(node.engine, "site.created")[0]
    execute(
        node.engine,
        "UPDATE event SET payload = :p WHERE id = :id",
        p='{"code":"421202-XA-BYQ","name":"改过的名字"}',
        id=target.id,
    )

    ran = cli("audit", "verify", db=node.url)

    assert ran.code == 1
    first = ran.err.splitlines()[0]
    assert target.id in first and "被改动" in first
    # Replayed, the altered event gives the site another name than the table holds.
    assert ran.err.splitlines()[1:] == [
        "数据与日志不符：表 site 主键 421202-XA-BYQ 列 name：与日志不符（含个人信息，不显示内容）"
    ]
    assert ran.out == ""


# --- users --------------------------------------------------------------------------------------


@pytest.mark.parametrize("db_kind", ["sqlite"])  # the accounts service: both, test_accounts.py
def test_users_add_list_passwd_disable(cli: Cli, node: Node, tmp_path: Path) -> None:
    first = tmp_path / "li.txt"
    first.write_text("li-pass-123\n", encoding="utf-8")
    second = tmp_path / "li-new.txt"
    second.write_text("li-pass-456\n", encoding="utf-8")
    add_li = ("users", "add", "li", "--role", "clerk", "--name", "李四", "--password-file", first)

    added = cli.as_admin(*add_li, db=node.url)
    no_department = cli.as_admin(
        "users",
        "add",
        "wang",
        "--role",
        "approver",
        "--name",
        "王芳",
        "--password-file",
        first,
        db=node.url,
    )
    twice = cli.as_admin(*add_li, db=node.url)
    changed = cli.as_admin("users", "passwd", "li", "--password-file", second, db=node.url)
    disabled = cli.as_admin("users", "disable", "li", db=node.url)
    listed = cli("users", "list", "--json", db=node.url)

    assert (added.code, added.out.strip()) == (0, "已新增账号 li（李四）")
    assert (no_department.code, no_department.error_line) == (
        2,
        "错误：后台审批人员必须指定所属部门（--department）",
    )
    assert (twice.code, twice.error_line) == (2, "错误：用户名已存在：li")
    assert (changed.code, disabled.code, listed.code) == (0, 0, 0)
    users = {u["username"]: u for u in json.loads(listed.out)}
    assert set(users) == {"admin", "li"}
    assert (users["li"]["name"], users["li"]["role"], users["li"]["disabled"]) == (
        "李四",
        "clerk",
        True,
    )
    changes = [e for e in events(node.engine) if not e.type.startswith(("user.login", "login."))]
    assert [(e.type, e.actor) for e in changes][-3:] == [
        ("user.created", "admin"),  # the journal names the administrator who signed in
        ("user.password_changed", "admin"),
        ("user.disabled", "admin"),
    ]
    with write_session(node.engine) as session:
        assert "停用" in authenticate(session, "li", "li-pass-456", site=node.site).message

    enabled = cli.as_admin("users", "enable", "li", db=node.url)

    assert enabled.code == 0
    with write_session(node.engine) as session:
        assert authenticate(session, "li", "li-pass-123", site=node.site).actor is None
        assert authenticate(session, "li", "li-pass-456", site=node.site).actor is not None


def test_users_add_without_a_terminal_asks_for_a_password_file(cli: Cli, node: Node) -> None:
    ran = cli.as_admin("users", "add", "li", "--role", "clerk", "--name", "李四", db=node.url)

    assert (ran.code, ran.error_line) == (
        2,
        "错误：没有可输入密码的终端：请用 --password-file 指定密码文件（读取第一行）",
    )
    assert len(events(node.engine, "user.created")) == 1  # only the admin


# --- who may change the node (issue 12, point 7) ---------------------------------------------

CHANGES = [
    ["users", "add", "evil", "--role", "clerk", "--name", "某人", "--password-file", "pw.txt"],
    ["users", "passwd", "admin", "--password-file", "pw.txt"],
    ["users", "disable", "admin"],
    ["users", "enable", "zhou"],
    ["catalog", "import", "catalog"],
    ["calendar", "import", "2027.toml"],
    ["queue", "setup", "hall.toml"],
]


@pytest.fixture
def inputs(cli: Cli, node: Node) -> Path:
    """The files the commands above read, valid, in the commands' working directory; a disabled
    clerk to enable; the calendar seeded (as any command may do from the installed package)."""
    from counter_tui.accounts.service import create_user, set_disabled
    from counter_tui.workdays.service import ensure_seeded
    from tests.catalog.helpers import write_catalog
    from tests.workdays.helpers import YEAR_2027

    with write_session(node.engine) as session:
        ensure_seeded(session, node.operator)
        create_user(
            session,
            node.operator,
            username="zhou",
            display_name="周五",
            role="clerk",
            password="zhou-pass-123",
        )
        set_disabled(session, node.operator, "zhou", True)

    (cli.cwd / "pw.txt").write_text("evil-pass-123\n", encoding="utf-8")
    write_catalog(cli.cwd / "catalog")
    (cli.cwd / "2027.toml").write_text(YEAR_2027, encoding="utf-8")
    (cli.cwd / "hall.toml").write_text('[categories.A]\nname = "综合受理"\n', encoding="utf-8")
    return cli.cwd


# The administrator's sign-in is the command line's own (cli/admin.py), the same on both engines;
# each command's service is tested on both in its own module (tests/sqlite_only.py says why).
@pytest.mark.parametrize("db_kind", ["sqlite"])
@pytest.mark.parametrize("command", CHANGES, ids=lambda c: " ".join(c[:2]))
def test_a_change_to_accounts_or_reference_data_needs_an_administrator(
    cli: Cli, node: Node, inputs: Path, command: list[str]
) -> None:
    before = events(node.engine)

    anyone = cli(*command, db=node.url)
    wrong = cli(*command, *cli.admin_options(password="not-the-password"), db=node.url)

    assert (anyone.code, anyone.error_line) == (
        2,
        "错误：此命令需要管理员登录：没有可输入密码的终端，"
        "请用 --admin-password-file 指定管理员密码文件（读取第一行）",
    )
    assert (wrong.code, wrong.error_line) == (
        2,
        "错误：管理员登录失败：用户名或密码错误（再错 4 次将锁定 5 分钟）",
    )
    # Nothing changed; the wrong password is on record (and counts towards the lockout).
    assert [e.type for e in events(node.engine)] == [e.type for e in before] + ["user.login_failed"]

    signed_in = cli.as_admin(*command, db=node.url)

    assert signed_in.code == 0, signed_in.err
    changed = [
        e for e in events(node.engine)[len(before) + 1 :] if e.type != "user.login_succeeded"
    ]
    assert changed and {e.actor for e in changed} == {"admin"}


def test_an_account_that_is_not_an_administrator_cannot_change_the_node(
    cli: Cli, node: Node, inputs: Path
) -> None:
    add_clerk(node)

    ran = cli(*CHANGES[0], *cli.admin_options("li", CLERK_PASSWORD), db=node.url)

    assert (ran.code, ran.error_line) == (
        2,
        "错误：li 不是管理员账号：此命令需要管理员登录（--admin 管理员用户名）",
    )
    assert "evil" not in [u.username for u in _users(node)]


def _users(node: Node) -> list[Any]:
    from counter_tui.accounts.service import list_users
    from counter_tui.db import read_session

    with read_session(node.engine) as session:
        return list_users(session)


def test_the_command_line_without_sign_in_can_only_work_the_queue(node: Node) -> None:
    from counter_tui.accounts.service import create_user
    from counter_tui.actor import Actor
    from counter_tui.errors import PermissionDenied

    operator = Actor.command_line(node.site)

    with pytest.raises(PermissionDenied), write_session(node.engine) as session:
        create_user(
            session,
            operator,
            username="evil",
            display_name="某人",
            role="approver",
            department="SCJG",
            password="evil-pass-123",
        )


def test_an_approver_department_must_be_in_the_catalog(
    cli: Cli, node: Node, tmp_path: Path
) -> None:
    import_test_catalog(node, tmp_path / "catalog")
    pw = tmp_path / "wang.txt"
    pw.write_text("wang-pass-123\n", encoding="utf-8")
    add = ("users", "add", "wang", "--role", "approver", "--name", "王芳", "--password-file", pw)

    refused = cli.as_admin(*add, "--department", "NOPE", db=node.url)
    added = cli.as_admin(*add, "--department", "SCJG", db=node.url)

    assert (refused.code, refused.error_line) == (
        2,
        "错误：目录中没有这个部门：NOPE（可用：SCJG（区市场监督管理局）、SWJ（区税务局））",
    )
    assert added.code == 0, added.err
    assert {u.username: u.department for u in _users(node)}["wang"] == "SCJG"


def test_reset_admin_by_the_owner_of_the_database_file(
    cli: Cli, node: Node, tmp_path: Path
) -> None:
    """The way back in when the administrator's password is forgotten (or the account locked)."""
    file = sqlite_file(node.url)
    if file is None:
        pytest.skip("PostgreSQL: the owner's role in the URL decides (recovery_problem)")
    for n in range(5):  # locked out by someone guessing
        cli.as_admin("users", "disable", "admin", password=f"guess-{n}", db=node.url)
    pw = tmp_path / "new.txt"
    pw.write_text("new-admin-pass-1\n", encoding="utf-8")

    reset = cli("users", "reset-admin", "admin", "--password-file", pw, db=node.url)

    assert reset.code == 0, reset.err
    assert "已重设管理员 admin 的密码" in reset.out
    import getpass

    last = events(node.engine, "user.password_changed")[-1]
    assert last.actor == f"recovery:{getpass.getuser()}"
    assert json.loads(last.payload)["reason"] == "recovery"
    with write_session(node.engine) as session:
        assert authenticate(session, "admin", "new-admin-pass-1", site=node.site).actor


def test_reset_admin_is_refused_to_anyone_but_the_owner_of_the_file(
    cli: Cli, node: Node, tmp_path: Path
) -> None:
    import os

    from counter_tui.desk.recovery import file_owner_problem

    file = sqlite_file(node.url)
    if file is None:
        pytest.skip("PostgreSQL: the owner's role in the URL decides (recovery_problem)")
    owner = file.stat().st_uid

    assert file_owner_problem(file, owner) is None
    refused = file_owner_problem(file, owner + 1)
    assert refused is not None and refused.startswith("找回管理员只能由数据库文件的所有者执行")
    if os.getuid() != 0:
        return
    # As root: hand the file to another account; root is then not its owner and is refused.
    os.chown(file, 54321, -1)
    pw = tmp_path / "new.txt"
    pw.write_text("new-admin-pass-1\n", encoding="utf-8")
    before = events(node.engine)

    ran = cli("users", "reset-admin", "admin", "--password-file", pw, db=node.url)

    assert ran.code == 2
    assert ran.error_line.startswith("错误：找回管理员只能由数据库文件的所有者执行")
    assert events(node.engine) == before


# --- backup (SQLite) ----------------------------------------------------------------------------


def start_writer(path: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), f"sqlite:///{path}", SITE, "421202-BK", mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_sound(cli: Cli, path: Path) -> int:
    """`db check` and `audit verify` pass; returns the number of events."""
    checked = cli("db", "check", db=path)
    assert checked.code == 0, checked.err
    verified = cli("audit", "verify", db=path)
    assert verified.code == 0, verified.err
    return events_in(path)


def events_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM event").fetchone()[0])


def test_backup_while_another_process_holds_a_write_transaction(
    cli: Cli, init_file: Path, tmp_path: Path
) -> None:
    before = events_in(init_file)
    writer = start_writer(init_file, "hold")
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"

        ran = cli("db", "backup", tmp_path / "copy.db", db=init_file)

        assert ran.code == 0, ran.err
        out, err = writer.communicate("commit\n", timeout=60)
        assert (writer.returncode, out.strip()) == (0, "done"), err
    finally:
        writer.kill()
    # The uncommitted event is not in the copy; it is in the node once committed.
    assert assert_sound(cli, tmp_path / "copy.db") == before
    assert assert_sound(cli, init_file) == before + 1


def test_backup_while_another_process_keeps_writing(
    cli: Cli, init_file: Path, tmp_path: Path
) -> None:
    before = events_in(init_file)
    writer = start_writer(init_file, "forever")
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "committed"

        ran = cli("db", "backup", tmp_path / "copy.db", db=init_file)

        assert ran.code == 0, ran.err
        assert writer.poll() is None, writer.stderr
    finally:
        writer.kill()  # mid-transaction, as a power cut would
        writer.wait(timeout=60)
    copied = assert_sound(cli, tmp_path / "copy.db")
    assert copied >= before + 1  # the writer had committed once before the backup began
    assert assert_sound(cli, init_file) >= copied


def test_backup_never_overwrites_a_file(cli: Cli, init_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "yesterday.db"
    target.write_bytes(b"yesterday's backup")

    ran = cli("db", "backup", target, db=init_file)

    assert (ran.code, ran.error_line) == (2, f"错误：备份文件已存在，不会覆盖：{target}")
    assert target.read_bytes() == b"yesterday's backup"


def test_backup_of_postgresql_points_to_pg_dump(cli: Cli, tmp_path: Path) -> None:
    ran = cli("db", "backup", tmp_path / "x.db", db="postgresql+psycopg://u:p@127.0.0.1:1/x")

    assert (ran.code, ran.error_line) == (
        2,
        "错误：db backup 只用于 SQLite；PostgreSQL 请用 pg_dump",
    )
    assert not (tmp_path / "x.db").exists()
