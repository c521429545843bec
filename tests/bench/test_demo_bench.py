"""`counter-tui bench demo`: the living hall is timed from the command to a usable login screen,
in a real pty, and what it reports adds up."""

from __future__ import annotations

import pytest

from counter_tui.bench.demo_ready import format_report, measure_demo


@pytest.mark.slow
def test_the_demo_hall_is_ready_after_its_first_paint_and_says_so() -> None:
    report = measure_demo(runs=1)
    paint, ready = report["first_paint_s"], report["ready_s"]
    assert ready is not None, "the demo did not exit by itself once its database was open"
    assert 0 < paint["median"] <= ready["median"]
    assert report["peak_rss_mb"] > 0
    text = format_report(report)
    assert "从命令到登录界面出现" in text and "到可以登录" in text
