"""`counter-tui bench day` plays a short day in the real app and reports the app's memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counter_tui.bench.day import _growth, format_report
from counter_tui.cli.root import app
from counter_tui.errors import UserError
from counter_tui.ui.clerkday import id_number, with_intake

FIELDS = (
    "rss_signed_in_mb",
    "rss_by_intakes",
    "rss_end_mb",
    "growth_last_intakes",
    "elapsed_s",
    "intake_ms",
    "cases",
    "tickets_finished",
    "pdf_notices",
)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from /proc")
def test_a_short_day_prints_real_pdfs_and_reports_the_memory() -> None:
    done = CliRunner().invoke(app, ["bench", "day", "--intakes", "2", "--tickets", "3", "--json"])

    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert set(FIELDS) <= set(report)
    assert report["as_planned"]
    assert report["cases"] == 2 and report["tickets_finished"] == 3
    assert report["pdf_notices"] >= 2  # a PDF was made for every intake, not only saved as text
    assert 20 < report["rss_signed_in_mb"] <= report["rss_end_mb"] < 1000
    assert report["growth_last_intakes"]["from_intake"] == 0  # a day shorter than 50 intakes
    assert "结束时 ≤ 120 MB" in format_report(report)


def test_more_intakes_than_tickets_is_refused() -> None:
    from counter_tui.bench.day import measure_day

    with pytest.raises(UserError, match="不多于叫号数"):
        measure_day(intakes=5, tickets=3)


def test_growth_is_counted_over_the_last_50_intakes() -> None:
    samples = [{"intakes": n, "rss_mb": 80.0 + n / 10} for n in range(10, 101, 10)]

    assert _growth(75.0, samples, 95.0, 100) == {"from_intake": 50, "mb": 10.0}
    assert _growth(75.0, samples[:3], 90.0, 30) == {"from_intake": 0, "mb": 15.0}
    assert _growth(None, [], None, 3) is None


def test_the_intakes_are_spread_over_the_tickets_and_every_id_number_is_valid() -> None:
    from counter_tui.applicants.identity import check_id_number

    assert sum(with_intake(t, 100, 200) for t in range(200)) == 100
    assert sum(with_intake(t, 3, 3) for t in range(3)) == 3
    numbers = {id_number(n) for n in range(300)}
    assert len(numbers) == 300
    assert all(check_id_number("111", number).value == number for number in numbers)
