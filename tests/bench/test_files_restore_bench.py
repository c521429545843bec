"""`counter-tui bench files` and `bench restore` on a few hundred events (the figures of issue 17
come from the defaults): what they report adds up."""

from __future__ import annotations

import pytest

from counter_tui.bench.files_bench import format_report as files_report
from counter_tui.bench.files_bench import measure_files
from counter_tui.bench.restore_bench import format_report as restore_report
from counter_tui.bench.restore_bench import measure_restore


def test_the_stick_goes_up_with_the_month_and_down_with_the_decisions() -> None:
    report = measure_files((300,))
    [run] = report["runs"]
    up, down = run["up"], run["down"]
    assert run["events"] >= 300
    # Up: every event the village made (nothing was pushed before), stored once at the hub.
    assert up["exported"] == up["hub_stored"] == run["events"]
    assert up["bundle_bytes"] > 0 and up["export_s"] > 0 and up["hub_import_s"] > 0
    # Down: three steps of the county's for every case handed off, applied at the village.
    assert down["exported"] == 0
    assert down["reply_events"] == down["node_applied"] > 0
    assert down["reply_events"] % 3 == 0
    text = files_report(report)
    assert "站点→中心" in text and "中心→站点" in text


@pytest.mark.slow
def test_a_restored_node_takes_back_every_event_the_village_made() -> None:
    report = measure_restore(events=300)
    assert report["pushed"] == report["village_events"] == report["own_taken"]
    assert report["restore_s"] > 0 and report["restored_db_bytes"] > 0
    assert "恢复" in restore_report(report)
