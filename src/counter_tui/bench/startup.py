"""`counter-tui bench startup`: how long counter-tui takes to paint its first screen in a real
terminal, against a minimal Textual app (the floor on this machine), and how much memory it needs.

Targets (STYLE.md, "Start fast"): first paint within 1.5× the floor and never over 1.0 s; peak RSS
at most 100 MB. The report states them and whether they are met; it never fails on them, because
the figures depend on the machine.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from counter_tui.bench.ptyrun import RunResult, RunSpec
from counter_tui.errors import UserError

COUNTER_TUI = "counter-tui"
FLOOR = "floor"
#: The title of the login screen: its appearance in the output is counter-tui's first paint.
LOGIN_MARKER = "综合窗口登录"
FLOOR_MARKER = "FLOOR-READY"
#: Makes the app exit by itself once its database is open and its first screen painted.
EXIT_WHEN_READY_VAR = "COUNTER_TUI_EXIT_WHEN_READY"
MAX_PAINT_RATIO = 1.5
MAX_PAINT_S = 1.0
MAX_PEAK_RSS_MB = 100.0
#: Runs of each program before the counted ones: the first start after a while reads from disk.
WARMUP_RUNS = 1
TERM = "xterm-256color"
COLUMNS, LINES = 80, 24
PAINT_TIMEOUT_S = 15.0

#: The floor: the least a Textual app does before its first paint. Written to a temporary file
#: rather than shipped in the package, which must not import Textual outside `ui/`.
FLOOR_APP = f'''\
from textual.app import App, ComposeResult
from textual.widgets import Static


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("{FLOOR_MARKER}")

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Floor().run()
'''


class BenchFailed(UserError):
    """A measured program did not start properly. A UserError so that the CLI prints the message
    (with the end of the program's output) instead of a traceback of the benchmark itself."""

    exit_code = 1


def measure_startup(runs: int = 7, *, paint_timeout_s: float = PAINT_TIMEOUT_S) -> dict[str, Any]:
    """Start counter-tui and the floor `runs` times each, alternately, and report the figures.

    The database is a throwaway demo database: counter-tui opens it like a real one, and nothing
    outside the temporary directory is touched.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    from counter_tui.demo.options import DemoOptions
    from counter_tui.demo.setup import create_demo_database

    with tempfile.TemporaryDirectory(prefix="counter-tui-bench-") as tmp:
        folder = Path(tmp)
        # An empty hall: the start-up to the login screen does not read the hall's data.
        demo = create_demo_database(DemoOptions(hall=False), parent=folder)
        floor_script = folder / "floor_app.py"
        floor_script.write_text(FLOOR_APP, encoding="utf-8")
        programs = _programs(demo.settings.db_url, floor_script, paint_timeout_s)
        results = _run_in_driver(schedule(programs, runs=runs, warmup=WARMUP_RUNS))
    return build_report(results, runs=runs, warmup=WARMUP_RUNS)


def _programs(db_url: str, floor_script: Path, paint_timeout_s: float) -> list[RunSpec]:
    # Textual's own variables (devtools, FPS, …) and a stale size would skew the comparison.
    unset = [k for k in os.environ if k.startswith("TEXTUAL") or k in ("COLUMNS", "LINES")]
    common: dict[str, Any] = {
        "env_unset": unset,
        "paint_timeout_s": paint_timeout_s,
        "columns": COLUMNS,
        "lines": LINES,
    }
    return [
        RunSpec(
            name=COUNTER_TUI,
            argv=[sys.executable, "-m", "counter_tui", "--db", db_url],
            marker=LOGIN_MARKER,
            env_set={"TERM": TERM, EXIT_WHEN_READY_VAR: "1"},
            **common,
        ),
        RunSpec(
            name=FLOOR,
            argv=[sys.executable, str(floor_script)],
            marker=FLOOR_MARKER,
            env_set={"TERM": TERM},
            **common,
        ),
    ]


def schedule(programs: Sequence[RunSpec], *, runs: int, warmup: int) -> list[RunSpec]:
    """Alternate the programs (A B A B …) so that drift in the machine's load hits all alike."""
    return [
        replace(program, counted=round_ >= warmup)
        for round_ in range(warmup + runs)
        for program in programs
    ]


def _run_in_driver(specs: list[RunSpec]) -> list[RunResult]:
    """Run the plan from a fresh, small process: a child's peak RSS would otherwise include this
    process's own (see counter_tui.bench.ptyrun)."""
    done = subprocess.run(
        [sys.executable, "-m", "counter_tui.bench.ptyrun"],
        input=json.dumps([asdict(spec) for spec in specs], ensure_ascii=False),
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        check=False,
    )
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        answer = {}
    if "error" in answer:
        raise BenchFailed(str(answer["error"]))
    if done.returncode != 0 or "results" not in answer:
        raise BenchFailed(f"测量进程异常退出（退出码 {done.returncode}），见上面的错误输出")
    return [RunResult(**item) for item in answer["results"]]


# --- figures ------------------------------------------------------------------------------------


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median, min and max, rounded to 0.1 ms: finer digits are noise."""
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def pair_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Each run's ratio to the floor run beside it: a pair shares the state of the machine."""
    if len(numerators) != len(denominators):
        raise ValueError("every run needs a floor run to pair with")
    return [n / d for n, d in zip(numerators, denominators, strict=True)]


def _summary(results: Sequence[RunResult], name: str) -> dict[str, Any]:
    every = [r for r in results if r.name == name]
    counted = [r for r in every if r.counted]
    if not counted:
        raise ValueError(f"no counted runs of {name}")
    paints = [r.first_paint_s for r in counted]
    readies = [r.ready_s for r in counted if r.ready_s is not None]
    exits = all(r.exited_by_itself for r in every)
    return {
        "first_paint_s": spread(paints),
        # Ready = the program exited by itself: for counter-tui, its database is open.
        "ready_s": spread(readies) if exits and readies else None,
        "exits_when_ready": exits,
        # Over the warm-up runs too: a cold disk cache changes the time, not the memory.
        "peak_rss_mb": round(max(r.max_rss_kb for r in every) / 1024, 1),
        "samples": {
            "first_paint_s": [round(p, 4) for p in paints],
            "ready_s": [round(r, 4) for r in readies],
        },
    }


def build_report(results: Sequence[RunResult], *, runs: int, warmup: int) -> dict[str, Any]:
    """The JSON report: the figures of both programs, their ratio, and the targets."""
    app, floor = _summary(results, COUNTER_TUI), _summary(results, FLOOR)
    ratios = pair_ratios(
        [r.first_paint_s for r in results if r.name == COUNTER_TUI and r.counted],
        [r.first_paint_s for r in results if r.name == FLOOR and r.counted],
    )
    ratio = round(statistics.median(ratios), 3)
    met = {
        "paint_ratio": ratio <= MAX_PAINT_RATIO,
        "paint_s": app["first_paint_s"]["max"] <= MAX_PAINT_S,  # "never over": the slowest run
        "peak_rss": app["peak_rss_mb"] <= MAX_PEAK_RSS_MB,
    }
    return {
        "benchmark": "startup",
        "runs": runs,
        "warmup_runs": warmup,
        "terminal": {"term": TERM, "columns": COLUMNS, "lines": LINES},
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
        },
        "counter_tui": app,
        "floor": floor,
        "paint_ratio": {"median": ratio, "pairs": [round(r, 3) for r in ratios]},
        "targets": {
            "paint_ratio_max": MAX_PAINT_RATIO,
            "paint_s_max": MAX_PAINT_S,
            "peak_rss_mb_max": MAX_PEAK_RSS_MB,
        },
        "met": {**met, "all": all(met.values())},
    }


# --- the table ----------------------------------------------------------------------------------


def format_report(report: dict[str, Any]) -> str:
    """A short table for people; `--json` gives everything."""
    machine, targets, met = report["machine"], report["targets"], report["met"]
    app = report["counter_tui"]
    lines = [
        f"启动测量 startup：每个程序 {report['runs']} 次（另预热 {report['warmup_runs']} 次），"
        f"{report['terminal']['columns']}×{report['terminal']['lines']}，"
        f"Python {machine['python']}，{machine['cpu_count']} CPU",
        "",
        f"{'program':<16}{'first paint median/min/max':<30}{'ready':>9}{'peak RSS':>12}",
        _row(COUNTER_TUI, app),
        _row("floor (Textual)", report["floor"]),
        "",
        f"首屏/最小应用 paint ratio ≤ {targets['paint_ratio_max']}×："
        f"{report['paint_ratio']['median']:.2f}× {_mark(met['paint_ratio'])}",
        f"首屏 first paint ≤ {targets['paint_s_max']} s（最慢一次 slowest）："
        f"{app['first_paint_s']['max']:.3f} s {_mark(met['paint_s'])}",
        f"内存峰值 peak RSS ≤ {targets['peak_rss_mb_max']:g} MB："
        f"{app['peak_rss_mb']:.1f} MB {_mark(met['peak_rss'])}",
    ]
    if not app["exits_when_ready"]:
        lines.append(
            f"注意：counter-tui 没有自行退出（{EXIT_WHEN_READY_VAR} 未生效），已用 Ctrl+Q 结束："
            "没有就绪时间，内存峰值可能不含打开数据库。"
        )
    return "\n".join(lines)


def _row(label: str, summary: dict[str, Any]) -> str:
    paint = summary["first_paint_s"]
    paints = f"{paint['median']:.3f} / {paint['min']:.3f} / {paint['max']:.3f} s"
    ready = f"{summary['ready_s']['median']:.3f} s" if summary["ready_s"] else "—"
    return f"{label:<16}{paints:<30}{ready:>9}{summary['peak_rss_mb']:>9.1f} MB"


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗ 未达标"
