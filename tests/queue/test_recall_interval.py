"""A recall waits the hall's minimum interval after the last call of the same ticket (issue 15:
three fast presses made three recalls within three seconds). The service refuses a recall
sooner, so the window's key and `counter-tui queue recall` obey it alike; the config file's
[queue] recall_min_interval_seconds sets it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from counter_tui.errors import UserError
from counter_tui.queue import commands, reads
from counter_tui.queue.rules import QueueRefused, recall_too_soon
from counter_tui.settings import load_settings
from tests.conftest import Node
from tests.queue.hall import Hall


@pytest.fixture
def hall(node: Node) -> Hall:
    return Hall(node.engine, node.site)


def test_a_recall_inside_the_interval_is_refused_with_the_wait(hall: Hall) -> None:
    hall.issue("A")
    hall.call("1")
    hall.now += timedelta(seconds=12)
    with pytest.raises(QueueRefused) as refused:
        hall.write(commands.recall, "1")
    assert refused.value.message == "距上次呼叫仅 12 秒，请 18 秒后再重呼"
    held = hall.read(reads.held_row, hall.site, "1")
    assert held is not None and held.calls == 1  # nothing recorded
    hall.now += timedelta(seconds=18)
    assert hall.write(commands.recall, "1").calls == 2


def test_the_interval_counts_from_the_last_recall_not_the_first_call(hall: Hall) -> None:
    hall.issue("A")
    hall.call("1")
    hall.now += timedelta(seconds=30)
    hall.write(commands.recall, "1")
    hall.now += timedelta(seconds=29)
    with pytest.raises(QueueRefused, match="仅 29 秒，请 1 秒后"):
        hall.write(commands.recall, "1")


def test_the_recall_that_would_be_a_no_show_waits_too(hall: Hall) -> None:
    hall.issue("A")
    hall.call("1")
    for _ in range(3):
        hall.tick()
        hall.write(commands.recall, "1")
    hall.now += timedelta(seconds=5)
    with pytest.raises(QueueRefused):
        hall.write(commands.recall, "1")
    hall.tick()
    assert hall.write(commands.recall, "1").state == "no_show"


def test_a_hall_may_set_its_own_interval_or_none(hall: Hall) -> None:
    hall.issue("A")
    hall.call("1")
    hall.now += timedelta(seconds=45)
    with pytest.raises(QueueRefused, match="请 15 秒后"):
        hall.write(commands.recall, "1", min_interval=timedelta(seconds=60))
    assert hall.write(commands.recall, "1", min_interval=timedelta(0)).calls == 2


def test_the_rule_alone() -> None:
    start = Hall.now
    assert recall_too_soon(None, start, timedelta(seconds=30)) is None
    assert recall_too_soon(start, start + timedelta(seconds=30), timedelta(seconds=30)) is None
    refusal = recall_too_soon(start, start, timedelta(seconds=30))
    assert refusal == "距上次呼叫仅 0 秒，请 30 秒后再重呼"


def test_the_config_file_sets_the_interval_and_checks_it(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('window = "3"\n', encoding="utf-8")
    assert load_settings(config=path, environ={}).queue.recall_min_interval_seconds == 30
    path.write_text("[queue]\nrecall_min_interval_seconds = 45\n", encoding="utf-8")
    assert load_settings(config=path, environ={}).queue.recall_min_interval_seconds == 45
    for wrong in ("-1", "601", '"30"', "true"):
        path.write_text(f"[queue]\nrecall_min_interval_seconds = {wrong}\n", encoding="utf-8")
        with pytest.raises(UserError, match="recall_min_interval_seconds 应为 0 到 600"):
            load_settings(config=path, environ={})
    path.write_text("[queue]\nrecall_seconds = 30\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"\[queue\] 有未知的设置项：recall_seconds"):
        load_settings(config=path, environ={})
