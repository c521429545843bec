"""Headless Chromium driven through its DevTools protocol, for the classroom's browser test:
open pages and read what their terminal (xterm.js, drawn on a canvas) shows.

No new dependency: aiohttp (textual-serve's) is the websocket client. The terminal's text is not
in the page's DOM (xterm.js draws it), so a script added before each page loads keeps every
xterm `Terminal` the page's code stores (textual.js does `this.terminal = new Terminal(...)`),
and the test reads its buffer: exactly the characters on the trainee's screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1000,700",
]

KEEP_TERMINALS = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true});
    if (value && value.buffer) { (window.__terminals = window.__terminals || []).push(value); }
  },
});
"""

SCREEN_TEXT = """(() => {
  const terminal = (window.__terminals || [])[0];
  if (!terminal) return "";
  const lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = terminal.buffer.active.getLine(row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
})()"""


def chromium_path() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


class Page:
    """One tab, through its own DevTools websocket."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.calls = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.calls += 1
        number = self.calls
        await self.websocket.send_json({"id": number, "method": method, "params": params})
        async for message in self.websocket:
            data = json.loads(message.data)
            if data.get("id") == number:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                result: dict[str, Any] = data["result"]
                return result
        raise RuntimeError(f"{method}: the page closed")

    async def open(self, url: str) -> None:
        await self.call("Page.enable")
        await self.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINALS)
        await self.call("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> object:
        found = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return found["result"].get("value")

    async def screen_text(self) -> str:
        """What the page's terminal shows, row by row."""
        value = await self.evaluate(SCREEN_TEXT)
        return value if isinstance(value, str) else ""

    async def page_text(self) -> str:
        """The page's own visible words (outside the terminal)."""
        value = await self.evaluate("document.body.innerText")
        return value if isinstance(value, str) else ""


class Browser:
    def __init__(self, session: aiohttp.ClientSession, endpoint: str) -> None:
        self.session = session
        self.endpoint = endpoint

    @contextlib.asynccontextmanager
    async def page(self) -> AsyncIterator[Page]:
        """A new tab (a new browser connection to the class, once opened)."""
        async with self.session.put(f"{self.endpoint}/json/new?about:blank") as answer:
            target = await answer.json()
        async with self.session.ws_connect(
            target["webSocketDebuggerUrl"], max_msg_size=0
        ) as websocket:
            yield Page(websocket)


@contextlib.asynccontextmanager
async def chromium(profile: Path, executable: str) -> AsyncIterator[Browser]:
    """Headless Chromium with a fresh profile, ended on the way out."""
    process = subprocess.Popen(
        [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(400):  # Chromium writes its port once it listens
            if port_file.exists() and len(port_file.read_text().split()) >= 2:
                break
            if process.poll() is not None:
                raise RuntimeError(f"chromium exited with {process.returncode}")
            await asyncio.sleep(0.05)
        port = port_file.read_text().split()[0]
        async with aiohttp.ClientSession() as session:
            yield Browser(session, f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
