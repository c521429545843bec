"""`counter-tui demo --serve`: a classroom in the browser. Each browser that connects gets a seat,
a demo process of its own (`python -m counter_tui demo` with the class's options, its own
throwaway database), so trainees practise at once without seeing each other's work.

A class lives in a class folder (a temporary folder, removed when the class ends): the seats'
progress files (demo/progress.py) and, under `halls/`, every seat's demo database. With
`--trainer` this terminal shows the trainer's view of the seats (ui/classroom.py) while the
server runs as a child process: the server relays every seat's screen to its browser, twenty
of them at once, and must not wait on the trainer's screen; a failure in one cannot take the
other down; and the server's log, the seats' error output included, goes to a file in the class
folder instead of over the trainer's screen.
"""

from __future__ import annotations

import asyncio
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counter_tui.demo.classroom_address import (
    ONLY_THIS_PC,
    address_problem,
    check_address,
    class_urls,
    only_this_pc,
)
from counter_tui.demo.options import DemoOptions
from counter_tui.errors import UserError

#: The variable a seat reads to find its class folder (demo/progress.py).
CLASSROOM_VARIABLE = "COUNTER_TUI_CLASSROOM"
#: Seconds the server child has to listen (it imports aiohttp and textual-serve first).
SERVER_START_TIMEOUT = 30.0
#: What the server child prints once it listens.
READY_LINE = "counter-tui classroom: listening"


@dataclass(frozen=True)
class Classroom:
    """A running class, as the trainer's view needs it."""

    folder: Path
    #: The addresses trainees type, the first the one to show on the projector.
    urls: list[str]
    #: Whether the server still runs (the trainer's view says so when it stopped).
    server_alive: Callable[[], bool]
    #: What the view says under the address ("" when the room can connect).
    reach_note: str = ""


#: What runs the trainer's view: the UI's, handed in by the CLI (the demo is below the UI).
TrainerView = Callable[[Classroom], None]


def serve_classroom(
    options: DemoOptions, *, host: str, port: int, trainer: TrainerView | None = None
) -> None:
    """Serve the demo to browsers until Ctrl+C (or until the trainer's view is closed)."""
    if sys.platform == "win32":  # a seat is started by a POSIX shell, ended by signals
        raise UserError("浏览器课堂需要在 Linux（或 macOS）电脑上开课；学员的浏览器可以是任何系统")
    if options.keep is not None:
        raise UserError("--keep 不能与 --serve 同用：课堂里每位学员的演示数据库都是临时的")
    check_address(host, port)  # a port in use or a bad host is said before anything starts
    folder = Path(tempfile.mkdtemp(prefix="counter-tui-class-"))
    try:
        if trainer is None:
            _serve_here(options, folder, host, port)
        else:
            _serve_with_trainer(options, folder, host, port, trainer)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def seat_command(options: DemoOptions) -> str:
    """The shell command a connection runs: this Python's demo with the class's options.

    `exec`, so that the process the server holds is the demo itself, not a shell around it."""
    return "exec " + shlex.join(
        [sys.executable, "-m", "counter_tui", "demo", *demo_arguments(options)]
    )


def demo_arguments(options: DemoOptions) -> list[str]:
    """The options every seat is built with (`--keep` never: each seat's hall is its own)."""
    arguments = []
    if options.seed is not None:
        arguments += ["--seed", str(options.seed)]
    if options.today is not None:
        arguments += ["--date", options.today.isoformat()]
    if options.scenario is not None:
        arguments += ["--scenario", options.scenario]
    return arguments


def seat_environment(folder: Path) -> dict[str, str]:
    """What a seat's environment adds: its class folder, and its temporary files (its demo
    database) inside that folder."""
    halls = seat_folder(folder)
    halls.mkdir(exist_ok=True)
    return {CLASSROOM_VARIABLE: str(folder), "TMPDIR": str(halls)}


def seat_folder(folder: Path) -> Path:
    """Where a class's seats keep their temporary files (their demo databases): inside the class
    folder, so that ending the class removes whatever a killed seat left behind."""
    return folder / "halls"


def _serve_here(options: DemoOptions, folder: Path, host: str, port: int) -> None:
    """The server in this process; Ctrl+C ends the class."""
    urls = class_urls(host, port)

    def ready() -> None:
        print("培训课堂已开始。请学员在浏览器中打开：", flush=True)
        for url in urls:
            print(f"  {url}", flush=True)
        if only_this_pc(host):
            print(f"（{ONLY_THIS_PC}）", flush=True)
        print("每位学员得到自己的演示大厅，互不可见。按 Ctrl+C 结束课堂。", flush=True)

    serve(options, folder, host, port, on_ready=ready)
    print("课堂已结束：学员的演示大厅都已关闭并删除。", flush=True)


def serve(
    options: DemoOptions, folder: Path, host: str, port: int, *, on_ready: Callable[[], None]
) -> None:
    """Run the class's server in this process until SIGINT, SIGTERM or SIGHUP."""
    # aiohttp and textual-serve are imported here, after the address was checked: a port in
    # use is said at once.
    from counter_tui.demo.classroom_server import ClassServer, run_class_server

    server = ClassServer(
        seat_command(options), seat_env=seat_environment(folder), host=host, port=port
    )
    asyncio.run(
        run_class_server(
            server, on_ready=on_ready, address_problem=lambda exc: address_problem(host, port, exc)
        )
    )


def _serve_with_trainer(
    options: DemoOptions, folder: Path, host: str, port: int, trainer: TrainerView
) -> None:
    """The server as a child process, the trainer's view here; closing the view ends the class."""
    from counter_tui.demo.classroom_server import end_with_parent

    log_path = folder / "server.log"
    argv = [sys.executable, "-m", "counter_tui.demo.classroom_child", str(folder), host, str(port)]
    argv += demo_arguments(options)
    with log_path.open("wb") as log:
        child = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=end_with_parent(),  # the view killed or its terminal closed: class over
        )
    try:
        _wait_ready(child, log_path)
        classroom = Classroom(
            folder=folder,
            urls=class_urls(host, port),
            server_alive=lambda: child.poll() is None,
            reach_note=ONLY_THIS_PC if only_this_pc(host) else "",
        )
        trainer(classroom)
    finally:
        _stop_child(child)


def _wait_ready(child: subprocess.Popen[bytes], log_path: Path) -> None:
    """Return once the child says it listens; its own failure (its log's last line, in
    Chinese) as a UserError. Its word, not a test connection: a port another program took
    after the check accepts connections too."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise UserError(
                _last_line(log_path) or f"课堂服务未能启动（退出码 {child.returncode}）"
            )
        if READY_LINE in _lines(log_path):
            return
        time.sleep(0.05)
    said = _last_line(log_path)  # the log goes with the class folder: say its end here
    raise UserError(
        f"课堂服务 {SERVER_START_TIMEOUT:.0f} 秒内没有开始监听" + (f"：{said}" if said else "")
    )


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    """End the server child as Ctrl+C would (it ends its seats), then for sure."""
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return []


def _last_line(path: Path) -> str:
    lines = _lines(path)
    return lines[-1].removeprefix("错误：") if lines else ""
