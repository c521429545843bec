"""Run programs in a real pseudo-terminal and time their first paint; the standard library only.

A child's peak RSS (`ru_maxrss`) also counts the memory of the process that spawned it: at exec the
kernel carries the old address space's high-water mark over to the new program. So
`counter-tui bench startup` spawns its runs from this module started as a process of its own
(`python -m counter_tui.bench.ptyrun`, a JSON list of RunSpecs on stdin, results on stdout), never
from the CLI process that has already imported SQLAlchemy. Keep heavy imports out of this file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import resource
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

#: Textual's quit key; sent to a program that does not exit by itself once painted.
CTRL_Q = b"\x11"
#: How many characters of a program's last output an error shows (a traceback's last lines).
TAIL_CHARS = 500
#: Raw bytes kept to build that tail: escape sequences are stripped from them first.
KEEP_BYTES = 8192
QUIT_TIMEOUT_S = 5.0
TERM_TIMEOUT_S = 2.0
_READ_SIZE = 65536
#: CSI, OSC and the short escapes: what a terminal would hide, and a log reader does not need.
_ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~])")


class RunFailed(Exception):
    """A program never painted its marker, or failed after painting; the message says which."""


class MarkerScanner:
    """Finds a byte marker in output read in chunks, even when a chunk boundary splits it."""

    def __init__(self, marker: bytes, keep: int = KEEP_BYTES) -> None:
        if not marker:
            raise ValueError("the marker must not be empty")
        self.marker = marker
        self.found = False
        self._keep = max(keep, len(marker) - 1, 1)
        self._recent = b""

    def feed(self, chunk: bytes) -> bool:
        """Take the next chunk of output; True once the marker has been seen, here or earlier."""
        if not self.found:
            start = max(0, len(self._recent) - (len(self.marker) - 1))
            self.found = self.marker in self._recent[start:] + chunk
        self._recent = (self._recent + chunk)[-self._keep :]
        return self.found

    @property
    def tail(self) -> str:
        """The end of the output as readable text, for an error message (a crash's traceback)."""
        text = _ESCAPES.sub(b"", self._recent).decode("utf-8", errors="replace")
        return text.replace("\r", "")[-TAIL_CHARS:].strip()


@dataclass(frozen=True)
class RunSpec:
    """One run of one program: what to start, what its first paint looks like, how long to wait."""

    name: str
    argv: list[str]
    marker: str
    env_set: dict[str, str] = field(default_factory=dict)
    env_unset: list[str] = field(default_factory=list)
    #: False for warm-up runs, which fill the disk cache and are left out of the figures.
    counted: bool = True
    paint_timeout_s: float = 15.0
    #: How long to wait, once painted, for the program to exit by itself (its "ready" signal).
    exit_grace_s: float = 10.0
    columns: int = 80
    lines: int = 24


@dataclass(frozen=True)
class RunResult:
    """What one run measured; times are seconds from just before the program was spawned."""

    name: str
    counted: bool
    first_paint_s: float
    #: When the program exited by itself, None when it had to be stopped.
    ready_s: float | None
    exited_by_itself: bool
    returncode: int
    #: The program's own peak resident memory (Linux: KiB).
    max_rss_kb: int


class _Child:
    """One spawned program: the master side of its pty, its output so far, and how it ended."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self.scanner = MarkerScanner(spec.marker.encode("utf-8"))
        self.painted_at: float | None = None
        self.exited_at: float | None = None
        self.status: int | None = None
        self.max_rss_kb = 0
        self._eof = False
        env = _child_env(spec)
        self.master, slave = os.openpty()
        try:
            _set_window_size(slave, lines=spec.lines, columns=spec.columns)
            self.started = time.perf_counter()
            self.proc = subprocess.Popen(
                spec.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                start_new_session=True,
            )
        except BaseException:
            os.close(self.master)
            raise
        finally:
            os.close(slave)

    @property
    def exited(self) -> bool:
        return self.status is not None

    @property
    def finished(self) -> bool:
        """Reaped and its output read to the end: a marker or a traceback may still be in the pipe
        when the program is reaped."""
        return self.exited and self._eof

    @property
    def returncode(self) -> int:
        return os.waitstatus_to_exitcode(self.status) if self.status is not None else 0

    def pump_until(self, done: Callable[[], bool], timeout_s: float) -> bool:
        """Keep draining the output (a full pty buffer would block the program) until `done()`."""
        deadline = time.perf_counter() + timeout_s
        while not done():
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            self._step(min(left, 0.05))
        return True

    def send(self, data: bytes) -> None:
        with contextlib.suppress(OSError):  # the program has already closed its terminal
            os.write(self.master, data)

    def kill(self, sig: signal.Signals) -> None:
        """Signal the program's whole session; it is its own process group (start_new_session)."""
        if not self.exited:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def close(self) -> None:
        """Never leave a program behind: kill it if it still runs, reap it, close the pty."""
        try:
            if not self.exited:
                self.kill(signal.SIGKILL)
                self._reap(os.wait4(self.proc.pid, 0))
        finally:
            os.close(self.master)

    def _step(self, timeout_s: float) -> None:
        if self._eof:
            time.sleep(min(timeout_s, 0.002))
        elif select.select([self.master], [], [], timeout_s)[0]:
            self._read()
        if not self.exited:
            self._reap(os.wait4(self.proc.pid, os.WNOHANG))

    def _read(self) -> None:
        try:
            chunk = os.read(self.master, _READ_SIZE)
        except OSError:  # EIO: every slave fd is closed, so the program has exited
            chunk = b""
        now = time.perf_counter()
        if not chunk:
            self._eof = True
            if self.exited_at is None:
                self.exited_at = now
        elif self.scanner.feed(chunk) and self.painted_at is None:
            self.painted_at = now

    def _reap(self, waited: tuple[int, int, resource.struct_rusage]) -> None:
        pid, status, usage = waited
        if pid == 0:
            return
        self.status = status
        if self.exited_at is None:
            self.exited_at = time.perf_counter()
        self.max_rss_kb = usage.ru_maxrss
        self.proc.returncode = self.returncode  # reaped here, so Popen must not wait for it again


def _child_env(spec: RunSpec) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in spec.env_unset}
    env.update(spec.env_set)
    return env


def _set_window_size(fd: int, *, lines: int, columns: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))


def run_in_pty(spec: RunSpec) -> RunResult:
    """Spawn one program in a fresh pty, time its first paint, then let it finish or stop it."""
    child = _Child(spec)
    try:
        return _measure(child)
    finally:
        child.close()


def _measure(child: _Child) -> RunResult:
    spec = child.spec
    child.pump_until(lambda: child.painted_at is not None or child.finished, spec.paint_timeout_s)
    if child.painted_at is None:
        raise RunFailed(_no_paint_message(child))
    exited_by_itself = child.pump_until(lambda: child.finished, spec.exit_grace_s)
    if not exited_by_itself:
        _stop(child)
    elif child.returncode != 0:
        raise RunFailed(
            f"{spec.name} 画出首屏后异常退出（退出码 {child.returncode}）。输出的最后部分：\n"
            f"{child.scanner.tail}"
        )
    assert child.exited_at is not None
    return RunResult(
        name=spec.name,
        counted=spec.counted,
        first_paint_s=child.painted_at - child.started,
        ready_s=child.exited_at - child.started if exited_by_itself else None,
        exited_by_itself=exited_by_itself,
        returncode=child.returncode,
        max_rss_kb=child.max_rss_kb,
    )


def _stop(child: _Child) -> None:
    """Ask the way a user would (Ctrl+Q), then SIGTERM, then SIGKILL."""
    child.send(CTRL_Q)
    if child.pump_until(lambda: child.finished, QUIT_TIMEOUT_S):
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        child.kill(sig)
        if child.pump_until(lambda: child.finished, TERM_TIMEOUT_S):
            return


def _no_paint_message(child: _Child) -> str:
    spec = child.spec
    if child.exited:
        why = f"还没画出首屏就退出了（退出码 {child.returncode}）"
    else:
        why = f"在 {spec.paint_timeout_s:g} 秒内没有画出首屏"
    return (
        f"{spec.name} {why}：没有看到“{spec.marker}”。输出的最后部分：\n"
        f"{child.scanner.tail or '（没有输出）'}"
    )


def run_all(specs: list[RunSpec]) -> list[RunResult]:
    """Run the specs in order. A program seen once not to exit by itself is not waited for again,
    so a missing exit hook costs one grace period, not one per run."""
    stopped: set[str] = set()
    results: list[RunResult] = []
    for spec in specs:
        if spec.name in stopped:
            spec = replace(spec, exit_grace_s=0.0)
        result = run_in_pty(spec)
        if not result.exited_by_itself:
            stopped.add(spec.name)
        results.append(result)
    return results


def main() -> None:
    """The driver process: RunSpecs as JSON on stdin, {"results": …} or {"error": …} on stdout."""
    specs = [RunSpec(**item) for item in json.load(sys.stdin)]
    try:
        results = run_all(specs)
    except RunFailed as exc:
        json.dump({"error": str(exc)}, sys.stdout, ensure_ascii=False)
        sys.exit(1)
    json.dump({"results": [asdict(result) for result in results]}, sys.stdout)


if __name__ == "__main__":
    main()
