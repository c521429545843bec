"""A demo (training) database stays a demo: it never syncs or exports, is never opened as a
hall's database, and the demo never touches the hall's configured database, printer or notice
folder (issue 18, Build 2; docs/demo-isolation.md)."""

from __future__ import annotations

import hashlib
import io
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from counter_tui.accounts.service import create_user
from counter_tui.cases.intake import Intake, Party
from counter_tui.cli.root import main as cli_main
from counter_tui.db import make_engine, write_session
from counter_tui.demo.options import DemoOptions
from counter_tui.demo.setup import DEMO_SITE, DEMO_SITE_NAME
from counter_tui.desk.node import Desk
from counter_tui.desk.sync import SyncFailed
from counter_tui.errors import UserError
from counter_tui.notices.content import TRAINING_MARK
from counter_tui.schema import upgrade
from counter_tui.settings import Settings
from counter_tui.site.service import initialise_node
from counter_tui.sync.models import SyncLink
from tests.conftest import HALL, Cli, NodeTemplate

ADMIN, ADMIN_PASSWORD = "admin", "admin-pass-1"
#: A well-formed ID number (its check digit is right) for the applicant of a printed notice.
ID_NUMBER = "420602199001011233"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo node as the demo marks it (node.demo), with an administrator: small, made once.
    The refusals never open it for writing, so the tests share it."""
    path = tmp_path_factory.mktemp("kept-demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=DEMO_SITE, name=DEMO_SITE_NAME, demo=True)
        create_user(
            session,
            operator,
            username=ADMIN,
            display_name="管理员",
            role="admin",
            password=ADMIN_PASSWORD,
        )
    engine.dispose()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused_as_demo(line: str, path: Path) -> bool:
    """The refusal says what the file is and how to reopen it as a demo."""
    return "演示（培训）数据库" in line and f"counter-tui demo --keep {path}" in line


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`counter-tui ARGV` through the CLI's own entry point (exit code, the error line)."""
    saved = sys.argv
    sys.argv = ["counter-tui", *argv]
    try:
        with pytest.raises(SystemExit) as ended:
            cli_main()
    finally:
        sys.argv = saved
    return int(ended.value.code or 0), capsys.readouterr().err.strip()


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No config file and no COUNTER_TUI_* variable of the machine running the tests."""
    for name in ("COUNTER_TUI_DB", "COUNTER_TUI_CONFIG", "COUNTER_TUI_WINDOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


# --- a demo database is never a hall's database ------------------------------------------

#: Commands that open the database, each as a hall's script would type it. The refusal comes
#: before anything else is checked (a sign-in, a hub's address, a file to write).
COMMANDS = [
    ["users", "list"],
    ["users", "add", "li", "--role", "clerk", "--name", "李四"],
    ["catalog", "list"],
    ["calendar", "show", "2026"],
    ["cases", "overdue"],
    ["queue", "issue", "A"],
    ["queue", "status"],
    ["ratings", "list"],
    ["hard-cases", "list"],
    ["report", "daily", "--format", "xlsx", "--out", "report.xlsx"],
    ["sync", "status"],
    ["sync", "now"],
    ["sync", "register", "--hub", "http://127.0.0.1:9", "--code", "X"],
    ["sync", "export", "out.bundle"],
    ["hub", "sites"],
    ["db", "check"],
    ["db", "upgrade"],
    ["db", "backup", "copy.db"],
    ["audit", "verify"],
]


@pytest.mark.usefixtures("no_user_config")
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_refuses_a_demo_database_and_names_the_demo_command(
    demo_file: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = digest(demo_file)

    code, err = run_main(["--db", str(demo_file), *command], capsys)

    assert code == 2
    assert len(err.splitlines()) == 1 and refused_as_demo(err, demo_file), err
    assert digest(demo_file) == before
    assert list(tmp_path.iterdir()) == []  # no report, bundle or backup written


def test_the_app_and_the_screens_refuse_a_demo_database_however_it_is_named(
    demo_file: Path, cli: Cli, tmp_path: Path
) -> None:
    """A bare `counter-tui` (the launcher's fast path), `run`, the hall display (the rating pad
    opens the same way) and the hub: by --db, by COUNTER_TUI_DB and by the config's `db`."""
    config = tmp_path / "counter.toml"
    config.write_text(f'db = "{demo_file}"\n', encoding="utf-8")
    ways = [
        cli(db=demo_file),
        cli("run", db=demo_file),
        cli("display", db=demo_file),
        cli("hub", "serve", "--port", "8471", db=demo_file),
        Cli(env=cli.env | {"COUNTER_TUI_DB": str(demo_file)}, cwd=cli.cwd)(),
        cli("--config", config, "run"),
    ]

    for ran in ways:
        assert ran.code == 2 and refused_as_demo(ran.error_line, demo_file), ran.err


def test_a_real_node_still_opens(
    cli: Cli, sqlite_node_template: NodeTemplate, tmp_path: Path
) -> None:
    """The check reads the node's flag, not the file's name or place."""
    db = tmp_path / "demo.db"  # named like a demo, but made as `init` makes a node
    shutil.copyfile(sqlite_node_template.source, db)

    ran = cli("users", "list", db=db)

    assert ran.code == 0 and ADMIN in ran.out


def test_demo_keep_never_takes_a_halls_database(
    demo_file: Path, sqlite_node_template: NodeTemplate, tmp_path: Path
) -> None:
    """`demo --keep PATH` reopens a kept demo, builds a new one where nothing is, and refuses
    a real node's database or any other file (demo/isolation.refuse_other_than_demo)."""
    from counter_tui.demo.isolation import refuse_other_than_demo

    other = tmp_path / "notes.txt"
    other.write_text("not a database", encoding="utf-8")
    refuse_other_than_demo(demo_file)
    refuse_other_than_demo(tmp_path / "new.db")
    for taken in (Path(sqlite_node_template.source), other):
        with pytest.raises(UserError, match="不是演示数据库"):
            refuse_other_than_demo(taken)


def test_the_desk_check_refuses_a_demo_node_on_any_engine(demo_file: Path) -> None:
    """What the CLI's desk checks once a node is open (a PostgreSQL database has no file to
    read first): the node's own flag against the settings."""
    from counter_tui.demo.isolation import refuse_demo_node

    settings = Settings(db_url=f"sqlite:///{demo_file}")
    with pytest.raises(UserError) as refused:
        refuse_demo_node(settings, node_is_demo=True)
    assert refused_as_demo(refused.value.message, demo_file)
    refuse_demo_node(settings, node_is_demo=False)
    refuse_demo_node(Settings(db_url=settings.db_url, demo=True), node_is_demo=True)


# --- never sync, never export ------------------------------------------------------------


@pytest.fixture
def demo_desk(demo_file: Path, tmp_path: Path) -> Iterator[Desk]:
    """The demo's own desk (demo settings) on a copy of the demo node, made to look registered
    at a hub (the link row is the node's own, not an event), with a transport that records
    every request instead of sending it."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_file, path)
    settings = Settings(db_url=f"sqlite:///{path}", demo=True)
    desk = Desk(settings)
    with write_session(desk.engine) as session:
        session.add(
            SyncLink(
                hub_url="http://hub.example",
                hub_site="421200",
                token="t",
                registered_at=datetime(2026, 12, 1, tzinfo=HALL),
            )
        )
    yield desk
    desk.close()


def test_a_demo_never_registers_syncs_or_exports_and_sends_nothing(
    demo_desk: Desk, tmp_path: Path
) -> None:
    sent: list[httpx.Request] = []

    def hub(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    demo_desk.sync.transport = httpx.MockTransport(hub)
    bundle = tmp_path / "export.bundle"

    with pytest.raises(SyncFailed, match="演示（培训）数据库不能登记或同步"):
        demo_desk.sync.register("http://hub.example", "CODE")
    with pytest.raises(SyncFailed, match="演示（培训）数据库不能登记或同步"):
        demo_desk.sync.run()
    with pytest.raises(UserError, match="演示（培训）数据库不能同步"):
        demo_desk.files.export(bundle)

    assert sent == [] and not bundle.exists()
    # The app's background round waits for a registered node that is not a demo
    # (ui/syncing.py, tests/ui/test_sync_app.py): this one says it is a demo.
    assert demo_desk.sync.status().demo


# --- the demo never touches the hall's database, printer or notice folder -----------------


def test_the_demo_leaves_the_configured_database_printer_and_notice_folder_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PC set up for the hall (config file with its database, printer and notice folder,
    COUNTER_TUI_DB too) runs `counter-tui demo`, prints a notice and a ticket slip in it."""
    hall = tmp_path / "hall"
    hall.mkdir()
    printed = hall / "printer-ran"
    printer = hall / "printer.sh"
    printer.write_text(f'#!/bin/sh\necho "$@" >> "{printed}"\n', encoding="utf-8")
    printer.chmod(0o755)
    notices = hall / "notices"
    config = hall / "config.toml"
    config.write_text(
        f'db = "{hall / "counter.db"}"\n'
        f'[print]\ncommand = "{printer}"\nfolder = "{notices}"\nformat = "80mm"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("COUNTER_TUI_CONFIG", str(config))
    monkeypatch.setenv("COUNTER_TUI_DB", str(hall / "env.db"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    seen: dict[str, object] = {}

    def trainee_prints(settings: Settings, **_: object) -> None:
        """Stands in for the app: what a trainee's refusal and ticket print, through the desk."""
        desk = Desk(settings)
        try:
            actor = desk.accounts.login("demo", "demo1234").actor
            assert actor is not None
            entry = desk.catalog.entries()[0]
            intake = Intake(
                entry_code=entry.code,
                applicant=Party(name="张三", id_number=ID_NUMBER, phone="13812345678"),
            )
            now = datetime.now(HALL)
            done = desk.intake.conclude(
                actor, "refuse", intake, case_id=None, draft_id=None, now=now,
                reasons="本厅不办理此事项", competent_agency="某某局",
            )  # fmt: skip
            said = desk.intake.print_notices(done.notices)
            ticket, slip = desk.queue.issue(actor, "A", "", now)
            said.append(desk.queue.print_slip(ticket, slip))
            saved = sorted(settings.printing.folder.rglob("*.*"))
            seen.update(said=said, slip=slip, files={p.name: p.read_bytes() for p in saved})
        finally:
            desk.close()

    monkeypatch.setattr("counter_tui.ui.opening.run_app", trainee_prints)

    def no_terminal_app(*_: object, **__: object) -> None:
        raise AssertionError("the demo opened its app some other way than ui.opening.run_app")

    monkeypatch.setattr("textual.app.App.run", no_terminal_app)
    from counter_tui.cli.launching import run_demo

    run_demo(DemoOptions())

    assert not (hall / "counter.db").exists() and not (hall / "env.db").exists()
    assert not printed.exists()
    assert not notices.exists()
    assert not (tmp_path / "xdg-data").exists()  # nor the default database or notice folder
    assert all(line.startswith("已保存到") for line in seen["said"])  # type: ignore[attr-defined]
    files: dict[str, bytes] = seen["files"]  # type: ignore[assignment]
    (pdf,) = (data for name, data in files.items() if name.endswith(".pdf"))
    assert TRAINING_MARK in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert TRAINING_MARK in str(seen["slip"])
    assert list((tmp_path / "tmp").iterdir()) == []  # the demo's own folder went with it
