"""`counter-tui demo --serve` in a real browser: headless Chromium opens the class twice and each
tab shows the demo's login screen, served by a seat of its own with its own demo database; Ctrl+C
then ends the class with its seats, and leaves no database behind.

Chromium is Debian's (.ci/run installs it). Without it the test is skipped locally, and fails in
CI (CI=true), where a skip would hide that the classroom was never opened in a browser.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.demo.classroom_browser import Page, chromium, chromium_path

#: Seconds a seat may take from connection to login screen (its demo hall is built first).
LOGIN_WITHIN_S = 60
LOGIN_TEXT = "综合窗口登录"
#: What the login screen says until the demo database is open (a sign-in is possible after).
OPENING = "正在打开数据库"

pytestmark = pytest.mark.slow


@pytest.fixture
def browser_path() -> str:
    found = chromium_path()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 上必须有 Debian 的 chromium（.ci/run 安装它）：浏览器课堂未经测试")
        pytest.skip("no chromium here (/usr/bin/chromium): the browser classroom is not tested")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_listening(server: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the class's server did not listen within 30 s")


async def login_screen(page: Page) -> str:
    """The tab's terminal text once the login screen is ready (its database open), or the last
    text seen."""
    text = ""
    deadline = time.monotonic() + LOGIN_WITHIN_S
    while time.monotonic() < deadline:
        text = await page.screen_text()
        if LOGIN_TEXT in text and OPENING not in text:
            return text
        await asyncio.sleep(0.1)
    return text


async def ended_page(page: Page) -> str:
    """The page's words once it noticed its session ended (or as they are after 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if await page.evaluate("document.body.classList.contains('-closed')"):
            break
        await asyncio.sleep(0.1)
    return await page.page_text()


def seats_of(server_pid: int) -> list[int]:
    """The server's child processes (a seat each: the seat command execs the demo)."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_two_browsers_get_two_demo_halls_and_ctrl_c_ends_the_class(
    tmp_path: Path, browser_path: str
) -> None:
    temp = tmp_path / "tmp"  # the class folder is made here, so the test can look inside
    temp.mkdir()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "counter_tui", "demo", "--serve", "--port", str(port)],
        env={**os.environ, "TMPDIR": str(temp)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_listening(server, port)
        (folder,) = temp.glob("counter-tui-class-*")

        async def two_tabs() -> tuple[str, str, list[int], str]:
            async with (
                chromium(tmp_path / "profile", browser_path) as browser,
                browser.page() as first,
                browser.page() as second,
            ):
                await first.open(f"http://127.0.0.1:{port}/")
                await second.open(f"http://127.0.0.1:{port}/")
                screens = await asyncio.gather(login_screen(first), login_screen(second))
                seats = seats_of(server.pid)
                halls = sorted((folder / "halls").glob("*/demo.db"))
                assert len(seats) == 2, seats
                # Two demo databases, a seat's each (a seat removes its own when it ends).
                assert len(halls) == 2, halls
                server.send_signal(signal.SIGINT)  # the trainer's Ctrl+C, trainees still in
                server.wait(timeout=30)
                return screens[0], screens[1], seats, await ended_page(first)

        first_screen, second_screen, seats, ended = asyncio.run(two_tabs())
        for screen in (first_screen, second_screen):
            assert LOGIN_TEXT in screen, screen
            assert "演示" in screen, screen
        output = server.communicate()[0]
        assert server.returncode == 0, output
        assert f"http://127.0.0.1:{port}/" in output
        assert "课堂已结束" in output
        assert not any(Path(f"/proc/{seat}").exists() for seat in seats)
        assert not folder.exists()  # the class folder with every seat's database is gone
        assert "本次练习已结束" in ended  # the trainee's page says so, in Chinese
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
