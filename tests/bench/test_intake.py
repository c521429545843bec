"""`counter-tui bench intake` measures every step it names, on a throwaway node."""

from __future__ import annotations

from counter_tui.bench.intake import format_report, measure_intake


def test_intake_bench_reports_each_step() -> None:
    report = measure_intake(cases=10, keys=False)
    assert report["materials"] >= 5
    for step in ("draft_save_ms", "accept_ms", "notify_ms", "text_render_ms", "pdf_ms"):
        figures = report[step]
        assert figures["count"] > 0
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert report["pdf_kb"] > 1
    text = format_report(report)
    assert "受理+回执 accept" in text
    assert "按键 key press" in text and "未测" in text  # key timing skipped: said so
