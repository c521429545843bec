"""`counter-tui bench queue` times issuing, calling, finishing and the display's poll, and four
window processes calling at once."""

from __future__ import annotations

from counter_tui.bench.queue import format_report, measure_queue


def test_queue_bench_reports_every_figure() -> None:
    report = measure_queue(waiting=40, runs=5, windows=2)
    for step in ("issue_ms", "call_ms", "finish_ms", "poll_marker_ms", "poll_board_ms"):
        figures = report[step]
        assert figures["count"] == 5
        assert 0 < figures["p50_ms"] <= figures["max_ms"]
    assert report["parallel_calls"] == 40 and report["parallel_calls_per_s"] > 0
    text = format_report(report)
    assert "叫号 call" in text and "2 个窗口进程同时叫号：40 次" in text
