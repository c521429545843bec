"""The classroom's web server: textual-serve's, where each browser connection starts a *seat*,
a demo process of its own (its own throwaway database), and the class can be ended cleanly.

What differs from textual-serve's `Server` (1.1.3, pinned by requirements.lock; this module
uses its `_make_app` and `_process_messages`, and `AppService`'s process and stdin):
- the page is our own, in Chinese, and loads nothing from outside the PC (textual-serve's
  links a Google font: a training room is often offline); its addresses come from the request,
  so a browser reaches the class by any of the PC's addresses, not only the one it was told;
- each seat's environment names the class folder (progress files) and keeps every temporary
  file of the seat, its demo database included, inside it, and drops the variables that point
  a process at a production database or configuration;
- the server keeps its seats, so that ending the class ends each of them (asked to quit as a
  closed browser would, then stopped) instead of leaving demo processes behind; each seat runs
  in a session of its own and gets SIGTERM if the server dies (`end_with_parent`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import html
import logging
import os
import signal
import sys
from asyncio.subprocess import Process
from collections.abc import Callable, Mapping

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from counter_tui.errors import UserError

log = logging.getLogger("counter_tui.classroom")

#: The variables a seat must not inherit: they would point it at a real node's database or
#: configuration (the demo reads neither, but a seat is a training process in any case).
PRODUCTION_VARIABLES = ("COUNTER_TUI_DB", "COUNTER_TUI_CONFIG", "COUNTER_TUI_WINDOW")
#: Seconds a seat has to end by itself once asked (it removes its demo database on the way).
QUIT_GRACE_S = 5.0
#: prctl's option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{static}css/xterm.css">
<script src="{static}js/textual.js"></script>
<style>
@font-face {{ font-family: "Roboto Mono";
  src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf"); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; color: #f2f2f2; }}
body {{ font-family: "Roboto Mono", "Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono",
  monospace; }}
.note {{ position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; flex-direction: column; font-size: 18px; z-index: 10; }}
.note button {{ margin-top: 16px; padding: 10px 28px; font-size: 16px; border: none;
  background: #2f6fab; color: #fff; cursor: pointer; }}
body.-first-byte .opening, .closed, #start {{ display: none; }}
body.-closed .closed {{ display: flex; background: #0c181f; }}
.textual-terminal {{ width: 100vw; height: 100vh; opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
</style>
<script>
function restart() {{ window.location.href = window.location.pathname; }}
</script>
</head>
<body>
<div class="note opening">正在为您准备演示大厅（培训用），约需十秒……</div>
<div class="note closed"><div>本次练习已结束：演示大厅已关闭，练习数据不会保留。</div>
<button type="button" onclick="restart()">重新开始（新的演示大厅）</button></div>
<button type="button" id="start" onclick="restart()">开始</button>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}"
 data-font-size="{font_size}"></div>
</body>
</html>
"""


class SeatService(AppService):
    """One browser's demo process, started with the seat's environment."""

    def __init__(self, command: str, *, seat_env: Mapping[str, str], **kwargs: object) -> None:
        super().__init__(command, **kwargs)  # type: ignore[arg-type]
        self.seat_env = dict(seat_env)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        for name in PRODUCTION_VARIABLES:
            environment.pop(name, None)
        environment.update(self.seat_env)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """As textual-serve's, but in a session of its own: the trainer's Ctrl+C reaches the
        server only, which then ends each seat in order (a seat hit by the terminal's SIGINT
        would die without removing its demo database)."""
        self._process = process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
            preexec_fn=end_with_parent(),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def process(self) -> Process | None:
        return self._process


class ClassServer(Server):
    """textual-serve's server for a class: seats kept, a Chinese page, a clean end."""

    def __init__(self, command: str, *, seat_env: Mapping[str, str], host: str, port: int) -> None:
        super().__init__(command, host=host, port=port, title="counter-tui 培训课堂")
        self.seat_env = dict(seat_env)
        #: The seats running now (one per open browser tab).
        self.seats: set[SeatService] = set()

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page a trainee opens: the terminal, and what is happening in Chinese meanwhile."""
        scheme = "wss" if request.secure else "ws"
        page = PAGE.format(
            title=html.escape(self.title),
            static="/static/",
            websocket=html.escape(f"{scheme}://{request.host}/ws"),
            font_size=to_int(request.query.get("fontsize", "16"), 16),
        )
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def on_startup(self, app: web.Application) -> None:
        """Say nothing: serve_classroom prints the class's addresses itself, in Chinese."""

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """As textual-serve's, with a seat's environment and the seat kept until it ends."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        seat: SeatService | None = None
        try:
            await websocket.prepare(request)
            seat = SeatService(
                self.command,
                seat_env=self.seat_env,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.seats.add(seat)
            await seat.start(width, height)
            ended = asyncio.create_task(_close_when_ended(seat, websocket))
            try:
                await self._process_messages(websocket, seat)
            finally:
                ended.cancel()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("a seat's connection failed")
        finally:
            if seat is not None:
                try:
                    await seat.stop()
                finally:  # the class ending cancels this handler, maybe inside stop()
                    self.seats.discard(seat)
        return websocket

    async def end_seats(self, grace: float = QUIT_GRACE_S) -> None:
        """Ask every seat to quit (as a closed browser does: the demo removes its database),
        then SIGTERM the ones still there after `grace` seconds (the demo also cleans up on
        it), and kill what is left."""
        processes = [s.process for s in list(self.seats) if s.process is not None]
        for seat in list(self.seats):
            with contextlib.suppress(Exception):
                await seat.send_meta({"type": "quit"})
        for stop in ("ask", "terminate", "kill"):
            running = [p for p in processes if p.returncode is None]
            if not running:
                return
            for process in running:
                with contextlib.suppress(ProcessLookupError):
                    if stop == "terminate":
                        process.terminate()
                    elif stop == "kill":
                        process.kill()
            await asyncio.wait([asyncio.create_task(p.wait()) for p in running], timeout=grace)


async def _close_when_ended(seat: SeatService, websocket: web.WebSocketResponse) -> None:
    """Close the browser's connection when its seat ends by itself. A demo that quits says so
    (textual-serve closes then), but one that failed to start or crashed said nothing, and its
    trainee looked at 正在为您准备演示大厅 for good; now the page says the session ended."""
    if seat.process is not None:
        await seat.process.wait()
        await websocket.close()


async def run_class_server(
    server: ClassServer,
    *,
    on_ready: Callable[[], None],
    stop: asyncio.Event | None = None,
    address_problem: Callable[[OSError], str],
) -> None:
    """Serve until SIGINT/SIGTERM (or `stop`), then end every seat and close.

    A failure to listen is said with `address_problem` (Chinese, naming host and port), as a
    UserError, not aiohttp's traceback."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    # SIGHUP: the trainer's terminal was closed; SIGTERM: the trainer's view ended (or died).
    for number in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, stop.set)
    runner = web.AppRunner(await server._make_app(), handle_signals=False, shutdown_timeout=2.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, server.host, server.port)
        try:
            await site.start()
        except OSError as exc:
            raise UserError(address_problem(exc)) from None
        on_ready()
        await stop.wait()
        await server.end_seats()
    finally:
        await runner.cleanup()


def end_with_parent() -> Callable[[], None] | None:
    """What a child runs before its program starts, so that it gets SIGTERM when the process
    that started it dies, however it dies (Linux; None elsewhere). A seat outlived a killed
    server otherwise, with its 100 MB and its database, for as long as the PC ran: nothing
    reads its screen, and it waits for input forever. The demo cleans up on SIGTERM."""
    if not sys.platform.startswith("linux"):
        return None
    parent = os.getpid()

    def arm() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the line above: nobody would say
            os.kill(os.getpid(), signal.SIGTERM)

    return arm
