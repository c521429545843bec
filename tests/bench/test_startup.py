"""`counter-tui bench startup`: the report's arithmetic, and one real measurement.

A benchmark, not a timed test: the end-to-end test checks that the figures are there and make
sense, never that the targets are met (they depend on the machine).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from counter_tui.bench.ptyrun import RunResult, RunSpec
from counter_tui.bench.startup import (
    COUNTER_TUI,
    FLOOR,
    build_report,
    format_report,
    measure_startup,
    pair_ratios,
    schedule,
    spread,
)


def _result(
    name: str,
    paint: float,
    *,
    counted: bool = True,
    rss_kb: int = 50_000,
    ready: float | None = 1.0,
) -> RunResult:
    return RunResult(
        name=name,
        counted=counted,
        first_paint_s=paint,
        ready_s=ready,
        exited_by_itself=ready is not None,
        returncode=0,
        max_rss_kb=rss_kb,
    )


def test_spread() -> None:
    assert spread([0.3, 0.1, 0.2, 0.5]) == {"median": 0.25, "min": 0.1, "max": 0.5}


def test_ratios_are_taken_pair_by_pair() -> None:
    assert pair_ratios([0.6, 0.9], [0.3, 0.6]) == [2.0, 1.5]
    with pytest.raises(ValueError):
        pair_ratios([0.6], [])


def test_schedule_alternates_after_the_warm_up() -> None:
    a = RunSpec(name="a", argv=["a"], marker="A")
    b = RunSpec(name="b", argv=["b"], marker="B")
    plan = schedule([a, b], runs=2, warmup=1)
    assert [(s.name, s.counted) for s in plan] == [
        ("a", False),
        ("b", False),
        ("a", True),
        ("b", True),
        ("a", True),
        ("b", True),
    ]


def test_report_figures() -> None:
    """Warm-up runs stay out of the times but count for memory; the ratio is a median of pairs."""
    results = [
        _result(COUNTER_TUI, 2.0, counted=False, rss_kb=120 * 1024),
        _result(FLOOR, 1.0, counted=False),
        _result(COUNTER_TUI, 0.40),
        _result(FLOOR, 0.25),
        _result(COUNTER_TUI, 0.60),
        _result(FLOOR, 0.30),
        _result(COUNTER_TUI, 0.45),
        _result(FLOOR, 0.35),
    ]
    report = build_report(results, runs=3, warmup=1)
    assert report["counter_tui"]["first_paint_s"] == {"median": 0.45, "min": 0.4, "max": 0.6}
    assert report["paint_ratio"]["pairs"] == [1.6, 2.0, 1.286]
    assert report["paint_ratio"]["median"] == 1.6
    assert report["counter_tui"]["peak_rss_mb"] == 120.0
    assert report["met"] == {"paint_ratio": False, "paint_s": True, "peak_rss": False, "all": False}
    json.dumps(report)
    assert "counter-tui" in format_report(report)


def test_report_when_the_app_does_not_exit_by_itself() -> None:
    results = [
        _result(COUNTER_TUI, 0.5, counted=False, ready=None),
        _result(FLOOR, 0.3, counted=False),
        _result(COUNTER_TUI, 0.5, ready=None),
        _result(FLOOR, 0.3),
    ]
    report = build_report(results, runs=1, warmup=1)
    assert report["counter_tui"]["ready_s"] is None
    assert not report["counter_tui"]["exits_when_ready"]
    assert "COUNTER_TUI_EXIT_WHEN_READY" in format_report(report)


def test_startup_module_imports_neither_textual_nor_sqlalchemy() -> None:
    """`counter-tui bench` lives outside ui/: Textual only runs in the measured children."""
    code = (
        "import sys, counter_tui.bench.startup;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sqlalchemy'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_measure_startup_end_to_end() -> None:
    """One real run of counter-tui and of the floor, in a pty: the report is complete and sane."""
    report = measure_startup(runs=1)
    app, floor = report["counter_tui"], report["floor"]
    for program in (app, floor):
        assert program["first_paint_s"]["median"] > 0
        assert program["peak_rss_mb"] > 0
        assert len(program["samples"]["first_paint_s"]) == 1
    assert app["exits_when_ready"], "COUNTER_TUI_EXIT_WHEN_READY should make the app exit"
    assert app["ready_s"]["median"] >= app["first_paint_s"]["median"]
    ratio = app["first_paint_s"]["median"] / floor["first_paint_s"]["median"]
    assert report["paint_ratio"]["median"] == pytest.approx(ratio, rel=2e-3)
    assert report["runs"] == 1 and report["machine"]["cpu_count"]
    assert set(report["met"]) == {"paint_ratio", "paint_s", "peak_rss", "all"}
    json.dumps(report)
    assert "floor" in format_report(report)
