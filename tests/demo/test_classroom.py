"""The classroom without a browser: where it listens (a port in use, a bad host said in Chinese
before anything starts, and by the server itself if it loses the race), what a seat runs and
with which environment, how the trainer's view reads the seats' files, and the trainer's mode
(the server as a child process, ended with the view)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from counter_tui.demo.classroom import Classroom, seat_command, serve, serve_classroom
from counter_tui.demo.classroom_seats import read_seats
from counter_tui.demo.options import DemoOptions
from counter_tui.errors import UserError

#: A process id no system hands out (above Linux's largest pid_max): a seat that has left.
GONE_PID = 4_194_999


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port something else listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_port_in_use_is_said_in_one_chinese_line_before_the_class_starts(
    busy_port: int, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "counter_tui", "demo", "--serve", "--port", str(busy_port)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"错误：端口 {busy_port} 已被占用：换一个 --port（如 --port {busy_port + 1}），"
        "或先结束占用它的程序（也许是上一堂还没结束的课）"
    ]
    assert list(tmp_path.iterdir()) == []  # no class folder was made


@pytest.mark.parametrize(
    ("host", "port", "said"),
    [
        ("no-such-host.invalid", 8000, "找不到地址 'no-such-host.invalid'"),
        ("192.0.2.1", 8000, "地址 192.0.2.1 不是本机的地址"),  # TEST-NET: nobody's address
        ("127.0.0.1", 0, "--port 应在 1 到 65535 之间，收到 0"),
        ("127.0.0.1", 70000, "--port 应在 1 到 65535 之间，收到 70000"),
    ],
)
def test_a_bad_host_or_port_says_what_to_give(host: str, port: int, said: str) -> None:
    with pytest.raises(UserError) as caught:
        serve_classroom(DemoOptions(), host=host, port=port)
    assert caught.value.message.startswith(said)


def test_a_kept_database_cannot_be_served(tmp_path: Path) -> None:
    """Every seat builds its own hall: one kept file would be one hall for the whole room."""
    with pytest.raises(UserError, match="--keep 不能与 --serve 同用"):
        serve_classroom(DemoOptions(keep=tmp_path / "hall.db"), host="127.0.0.1", port=8000)


def test_the_server_says_a_port_taken_after_the_check_too(busy_port: int, tmp_path: Path) -> None:
    """Another program may take the port between the check and the server's start."""
    with pytest.raises(UserError, match=f"端口 {busy_port} 已被占用"):
        serve(DemoOptions(), tmp_path, "127.0.0.1", busy_port, on_ready=lambda: None)


def test_a_seat_runs_this_pythons_demo_with_the_class_options_and_never_keep() -> None:
    options = DemoOptions(
        seed=7, keep=Path("/x/hall.db"), today=date(2026, 12, 7), scenario="routine intake"
    )
    assert seat_command(options) == (
        f"exec {sys.executable} -m counter_tui demo --seed 7 --date 2026-12-07 "
        "--scenario 'routine intake'"
    )


def test_a_seat_gets_its_class_folder_and_none_of_a_real_nodes_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter_tui.demo.classroom import seat_environment
    from counter_tui.demo.classroom_server import SeatService

    monkeypatch.setenv("COUNTER_TUI_DB", "postgresql://hall/real")
    monkeypatch.setenv("COUNTER_TUI_CONFIG", "/etc/counter-tui/config.toml")

    async def nothing(*args: object) -> None: ...

    seat = SeatService(
        "exec true",
        seat_env=seat_environment(tmp_path),
        write_bytes=nothing,
        write_str=nothing,
        close=nothing,
        download_manager=None,
    )
    environment = seat._build_environment(80, 24)
    assert environment["COUNTER_TUI_CLASSROOM"] == str(tmp_path)
    assert environment["TMPDIR"] == str(tmp_path / "halls")  # its demo database goes there
    assert "COUNTER_TUI_DB" not in environment
    assert "COUNTER_TUI_CONFIG" not in environment
    assert environment["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"


def seat_file(folder: Path, seat: str, **fields: object) -> None:
    data = {
        "seat": seat,
        "trainee": f"学员{seat.removeprefix('seat-')}",
        "pid": os.getpid(),
        "joined_at": "2026-12-07T09:00:00+08:00",
        "updated_at": "2026-12-07T09:05:00+08:00",
        "scenario": "routine-intake",
        "title": "常规受理",
        "done": 1,
        "tasks": 4,
        "score": None,
        "mistakes": 0,
        "hints": 0,
        "elapsed_seconds": 65,
        "finished": False,
        "history": [],
        "database": f"/tmp/class/halls/{seat}/demo.db",
    }
    (folder / f"{seat}.json").write_text(json.dumps({**data, **fields}), encoding="utf-8")


def test_the_trainer_reads_every_seat_file_and_skips_what_is_not_one(tmp_path: Path) -> None:
    seat_file(tmp_path, "seat-2", joined_at="2026-12-07T09:10:00+08:00", pid=GONE_PID)
    runs = [{"score": 80}, {"score": 92}]  # the current one joins the history when it ends
    seat_file(tmp_path, "seat-1", score=92, finished=True, history=runs, done=4)
    (tmp_path / "seat-3.json").write_text('{"seat": "seat-3", "pid": 12', encoding="utf-8")
    (tmp_path / "seat-4.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "seat-5.json").write_text('{"seat": "seat-5", "pid": "12"}', encoding="utf-8")
    (tmp_path / "seat-6.json").write_text("", encoding="utf-8")  # claimed, not yet written
    (tmp_path / "server.log").write_text("not a seat", encoding="utf-8")

    rows = read_seats(tmp_path)

    assert [(r.record.seat, r.record.trainee, r.connected) for r in rows] == [
        ("seat-1", "学员1", True),
        ("seat-2", "学员2", False),  # its process ended: the browser left
    ]
    first, second = (row.record for row in rows)
    assert (first.done, first.tasks, first.score, first.finished) == (4, 4, 92, True)
    assert rows[0].finished_runs == 2
    assert second.score is None


def test_the_trainer_mode_runs_the_server_aside_and_ends_it_with_the_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The view (here a stand-in) runs while the class's page answers; when it returns the
    server is stopped and the class folder removed."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    port = free_port()
    seen: list[Classroom] = []

    def view(classroom: Classroom) -> None:
        seen.append(classroom)
        assert classroom.server_alive()
        assert classroom.urls == [f"http://127.0.0.1:{port}/"]
        with urllib.request.urlopen(classroom.urls[0], timeout=10) as answer:
            page = answer.read().decode("utf-8")
        assert "培训课堂" in page
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        assert "googleapis" not in page  # nothing from the Internet: classrooms are offline
        assert (classroom.folder / "halls").is_dir()

    serve_classroom(DemoOptions(seed=1), host="127.0.0.1", port=port, trainer=view)

    (classroom,) = seen
    assert not classroom.server_alive()
    assert not classroom.folder.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl's parent-death signal")
def test_a_seat_ends_when_its_server_is_killed(tmp_path: Path) -> None:
    """A server killed outright (kill -9, out of memory) takes its seats with it: each gets
    SIGTERM, on which the demo removes its database, instead of waiting forever for a browser."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "from counter_tui.demo.classroom_server import end_with_parent\n"
            "seat = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],"
            " preexec_fn=end_with_parent())\n"
            "print(seat.pid, flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    seat = int(server.stdout.readline())
    server.kill()
    server.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and running(seat):
        time.sleep(0.05)
    assert not running(seat)


def running(pid: int) -> bool:
    """Whether `pid` runs (a zombie nobody reaped yet has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_trainer_mode_says_why_its_server_did_not_start(
    busy_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The port taken after the check: the server child's own Chinese line, not a hang; the
    view never opens and the class folder is gone."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr("counter_tui.demo.classroom.check_address", lambda host, port: None)
    opened: list[Classroom] = []
    with pytest.raises(UserError) as caught:
        serve_classroom(DemoOptions(), host="127.0.0.1", port=busy_port, trainer=opened.append)
    assert caught.value.message.startswith(f"端口 {busy_port} 已被占用")
    assert opened == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("host", "urls"),
    [
        ("127.0.0.1", ["http://127.0.0.1:8000/"]),
        ("192.168.1.20", ["http://192.168.1.20:8000/"]),
        ("::", ["http://[::1]:8000/"]),
    ],
)
def test_the_address_given_to_the_room(host: str, urls: list[str]) -> None:
    from counter_tui.demo.classroom_address import class_urls

    assert class_urls(host, 8000) == urls


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("192.168.1.20", False)],
)  # fmt: skip
def test_a_class_only_this_pc_can_reach_is_told_so(host: str, local: bool) -> None:
    from counter_tui.demo.classroom_address import only_this_pc

    assert only_this_pc(host) is local


def test_a_class_open_to_the_room_lists_this_pcs_addresses_and_its_own() -> None:
    from counter_tui.demo.classroom_address import class_urls

    urls = class_urls("0.0.0.0", 8000)
    assert urls[-1] == "http://127.0.0.1:8000/"
    assert all(u.startswith("http://") and u.endswith(":8000/") for u in urls)
    assert not any(u.startswith("http://127.") for u in urls[:-1])


async def test_a_seat_that_fails_to_start_closes_its_browsers_connection(tmp_path: Path) -> None:
    """A seat that exits without a word (a demo that could not start) ends the page's session,
    which then says so, instead of leaving the trainee before a page that waits for good."""
    import asyncio

    import aiohttp

    from counter_tui.demo.classroom_server import ClassServer, run_class_server

    port = free_port()
    server = ClassServer("exec sh -c 'exit 3'", seat_env={}, host="127.0.0.1", port=port)
    stop = asyncio.Event()
    ready = asyncio.Event()
    serving = asyncio.create_task(
        run_class_server(server, on_ready=ready.set, stop=stop, address_problem=str)
    )
    await asyncio.wait_for(ready.wait(), 10)
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"http://127.0.0.1:{port}/ws") as websocket,
        ):
            message = await asyncio.wait_for(websocket.receive(), 10)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    finally:
        stop.set()
        await asyncio.wait_for(serving, 20)
    assert server.seats == set()
