"""`counter-tui bench demo`: how long the living demo hall takes from the command to a login
screen a trainee can use (its hall built, its database open), and the demo's peak memory: the
figure a trainer waits for, and what each seat of a browser classroom costs.

The same pty driver and figures as `bench startup` (its warm-up run, spread, peak RSS of the
measured program and what it started); a fixed seed, so every run builds the same hall.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from counter_tui.bench.ptyrun import RunSpec
from counter_tui.bench.startup import (
    COLUMNS,
    EXIT_WHEN_READY_VAR,
    LINES,
    LOGIN_MARKER,
    TERM,
    WARMUP_RUNS,
    _run_in_driver,
    schedule,
    spread,
)

DEMO = "demo"
#: Building the hall comes before the first paint: give it what a slow PC needs.
READY_TIMEOUT_S = 120.0
SEED = 2026


def measure_demo(runs: int = 5) -> dict[str, Any]:
    """Run `counter-tui demo --seed 2026` `runs` times (after a warm-up) in an 80×24 pty, each
    exiting by itself once its database is open; report the times and the peak memory."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    unset = [k for k in os.environ if k.startswith("TEXTUAL") or k in ("COLUMNS", "LINES")]
    program = RunSpec(
        name=DEMO,
        argv=[sys.executable, "-m", "counter_tui", "demo", "--seed", str(SEED)],
        marker=LOGIN_MARKER,
        env_set={"TERM": TERM, EXIT_WHEN_READY_VAR: "1"},
        env_unset=unset,
        paint_timeout_s=READY_TIMEOUT_S,
        columns=COLUMNS,
        lines=LINES,
    )
    results = _run_in_driver(schedule([program], runs=runs, warmup=WARMUP_RUNS))
    counted = [r for r in results if r.counted]
    readies = [r.ready_s for r in counted if r.ready_s is not None]
    return {
        "runs": runs,
        "first_paint_s": spread([r.first_paint_s for r in counted]),
        "ready_s": spread(readies) if len(readies) == len(counted) else None,
        "peak_rss_mb": round(max(r.max_rss_kb for r in results) / 1024, 1),
    }


def format_report(report: dict[str, Any]) -> str:
    paint, ready = report["first_paint_s"], report["ready_s"]
    lines = [
        f"演示大厅（种子 {SEED}，{COLUMNS}×{LINES}，测 {report['runs']} 次，另有 1 次预热）",
        f"  从命令到登录界面出现：中位 {paint['median']:.2f} s"
        f"（{paint['min']:.2f}–{paint['max']:.2f}）",
    ]
    if ready is None:
        lines.append("  数据库打开：有一次未能自行退出，未计")
    else:
        lines.append(
            f"  到可以登录（数据库已打开）：中位 {ready['median']:.2f} s"
            f"（{ready['min']:.2f}–{ready['max']:.2f}）"
        )
    lines.append(f"  内存峰值：{report['peak_rss_mb']} MB")
    return "\n".join(lines)
