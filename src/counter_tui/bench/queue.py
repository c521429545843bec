"""`counter-tui bench queue`: how fast a hall's queue answers, on a throwaway SQLite node.

A busy morning: `waiting` tickets already issued (a tenth of them priority), then it times, each
in its own durable transaction as a window makes them:
- `issue`: one kiosk ticket (number, event, slip figures);
- `call`: "next" at a window (the lock, the candidates, the event), then `finish`;
- `poll`: the hall display's look for changes (the journal head) and, on a change, the whole
  board (current calls, last calls, waiting counts).
Then four windows call from four processes at once (the concurrency test's caller), which gives
the calls per second a hall can sustain. Targets (issue 6): a call well under 100 ms so that the
key feels instant, and the display's poll well under its 300 ms period. The report states them;
it never fails on them.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from counter_tui.bench.search import percentiles

MAX_CALL_MS = 100.0
MAX_POLL_MS = 50.0
SITE = "421202-XA-BYQ"
#: A window process (run as a module: by path, its folder would shadow the stdlib's `queue`).
CALLER = (sys.executable, "-m", "counter_tui.bench.queue_caller")


def measure_queue(waiting: int = 500, *, runs: int = 200, windows: int = 4) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="counter-tui-bench-") as folder:
        return _measure(Path(folder) / "queue.db", waiting, runs, windows)


def _measure(path: Path, waiting: int, runs: int, windows: int) -> dict[str, Any]:
    from counter_tui.actor import Actor
    from counter_tui.clock import now_local
    from counter_tui.db import make_engine, read_session, write_session
    from counter_tui.queue import board, commands
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node

    url = f"sqlite:///{path}"
    engine = make_engine(url, create=True)
    upgrade(engine)
    with write_session(engine) as session:
        initialise_node(session, site=SITE, name="测试大厅")
    clerk = Actor(username="bench", role="clerk", site=SITE)
    start = now_local() - timedelta(hours=1)
    with write_session(engine) as session:
        for n in range(waiting):
            reason = "老年人" if n % 10 == 0 else ""
            commands.issue(session, clerk, "AB"[n % 2], priority_reason=reason, now=start)

    issue_ms, call_ms, finish_ms, marker_ms, board_ms = [], [], [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        with write_session(engine) as session:
            commands.issue(session, clerk, "A")
        t1 = time.perf_counter()
        with write_session(engine) as session:
            commands.call_next(session, clerk, "1")
        t2 = time.perf_counter()
        with write_session(engine) as session:
            commands.finish(session, clerk, "1", "consulted")
        t3 = time.perf_counter()
        with read_session(engine) as session:
            board.marker(session, SITE)
        t4 = time.perf_counter()
        with read_session(engine) as session:
            board.board(session, SITE, now_local())
        t5 = time.perf_counter()
        issue_ms.append((t1 - t0) * 1000)
        call_ms.append((t2 - t1) * 1000)
        finish_ms.append((t3 - t2) * 1000)
        marker_ms.append((t4 - t3) * 1000)
        board_ms.append((t5 - t4) * 1000)
    engine.dispose()
    per_window = max(1, waiting // windows)
    parallel_s = _parallel(url, windows, per_window)
    return {
        "waiting": waiting,
        "runs": runs,
        "python": platform.python_version(),
        "issue_ms": percentiles(issue_ms),
        "call_ms": percentiles(call_ms),
        "finish_ms": percentiles(finish_ms),
        "poll_marker_ms": percentiles(marker_ms),
        "poll_board_ms": percentiles(board_ms),
        "windows": windows,
        "parallel_calls": windows * per_window,
        "parallel_s": round(parallel_s, 2),
        "parallel_calls_per_s": round(windows * per_window / parallel_s, 1),
    }


def _parallel(url: str, windows: int, calls_each: int) -> float:
    """Seconds for `windows` processes to make `calls_each` calls (and finishes) each at once."""
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "counter_tui.bench.queue_caller",
                url,
                SITE,
                str(w + 1),
                str(calls_each),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for w in range(windows)
    ]
    for proc in procs:
        assert proc.stdout is not None
        proc.stdout.readline()  # "ready"
    began = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        proc.communicate(timeout=600)
    return time.perf_counter() - began


def format_report(report: dict[str, Any]) -> str:
    def row(label: str, figures: dict[str, Any], target: float | None = None) -> str:
        mark = ""
        if target is not None:
            mark = "  ✓" if figures["p95_ms"] <= target else "  ✗ 未达标"
        pad = " " * max(1, 20 - cell_len(label))
        return (
            f"{label}{pad}p50 {figures['p50_ms']:>7.2f}  p95 {figures['p95_ms']:>7.2f}  "
            f"max {figures['max_ms']:>7.2f} ms{mark}"
        )

    return "\n".join(
        [
            f"排队叫号测量 queue：等候 {report['waiting']} 张，各 {report['runs']} 次，"
            f"SQLite，Python {report['python']}",
            "",
            row("取号 issue", report["issue_ms"]),
            row("叫号 call", report["call_ms"], MAX_CALL_MS),
            row("办结 finish", report["finish_ms"]),
            row("显示屏查变化 poll", report["poll_marker_ms"], MAX_POLL_MS),
            row("显示屏整屏 board", report["poll_board_ms"], MAX_POLL_MS),
            f"{report['windows']} 个窗口进程同时叫号：{report['parallel_calls']} 次叫号+办结 "
            f"{report['parallel_s']} s，每秒 {report['parallel_calls_per_s']} 次",
            f"（目标：叫号 p95 ≤ {MAX_CALL_MS:.0f} ms；显示屏每次查询 p95 ≤ {MAX_POLL_MS:.0f} ms）",
        ]
    )
