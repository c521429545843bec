"""The header's 同步 wordings as plain functions: the hub's words are data, times are the
hall's, and the clock warning says which way the PC's clock is off."""

from __future__ import annotations

from datetime import UTC, datetime

from counter_tui.ui.widgets.sync_state import (
    clock_skew_minutes,
    clock_skew_notice,
    sync_wordings,
)
from tests.ui.syncfakes import sync_status

#: 09:30 in the hall (UTC+8).
NOW = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


def plain(status: object, demo: bool = False) -> list[str]:
    return [w.text.plain for w in sync_wordings(status, demo=demo, now=NOW)]  # type: ignore[arg-type]


def test_the_hubs_words_stay_on_one_line_and_show_literally() -> None:
    status = sync_status(last_error="中心拒绝：[b]撤销[/b]\n\x1b[31m请重新登记")

    (first, *_) = sync_wordings(status, demo=False, now=NOW)

    assert first.text.plain == "同步出错：中心拒绝：[b]撤销[/b] [31m请重新登记"
    assert first.min_cells > 0, "only the error's message may be cut"


def test_offline_says_since_when_in_the_halls_time_with_the_day_when_not_today() -> None:
    today = sync_status(offline_since=datetime(2026, 11, 23, 1, 5, tzinfo=UTC))
    yesterday = sync_status(offline_since=datetime(2026, 11, 22, 15, 59, tzinfo=UTC))

    assert plain(today) == ["同步：离线 自 09:05"]
    assert plain(yesterday) == ["同步：离线 自 11-22 23:59"]


def test_nothing_is_claimed_before_the_status_is_read_and_demo_wins() -> None:
    assert plain(None) == ["同步：…"]
    assert plain(None, demo=True) == ["演示模式·不同步"]
    assert plain(sync_status(demo=True)) == ["演示模式·不同步"]


def test_the_clock_warning_says_which_way_and_by_how_much() -> None:
    assert clock_skew_minutes(sync_status(hub_offset_ms=5 * 60_000)) is None
    assert clock_skew_minutes(sync_status(hub_offset_ms=5 * 60_000 + 1)) == 5
    assert clock_skew_minutes(sync_status(registered=False, hub_offset_ms=10**9)) is None
    assert clock_skew_notice(7).startswith("本机时钟比县级中心慢 7 分钟")
    assert clock_skew_notice(-3 * 24 * 60).startswith("本机时钟比县级中心快 4320 分钟")


def test_a_village_that_syncs_by_stick_says_so_rather_than_never_synced() -> None:
    """The latest exchange is said, online or by file: a village that only carries a stick is
    not 从未同步, and an online round after a file says 已同步 again."""
    by_file = datetime(2026, 11, 23, 0, 40, tzinfo=UTC)  # 08:40 in the hall
    only_file = sync_status(last_success_at=None, last_file_at=by_file)
    waiting = sync_status(last_success_at=None, last_file_at=by_file, pending=2)
    online_later = sync_status(last_file_at=datetime(2026, 11, 20, 0, 0, tzinfo=UTC))

    assert plain(only_file) == ["同步：已由文件同步 08:40"]
    assert plain(waiting) == ["同步：待上传 2 · 上次文件 08:40", "同步：待上传 2"]
    assert plain(online_later)[0].startswith("同步：已同步 ")


def test_a_county_hub_says_it_is_the_hub_rather_than_not_configured() -> None:
    hub = sync_status(registered=False, is_hub=True)
    assert plain(hub) == ["同步：本机为县级中心", "同步：中心"]
    assert plain(sync_status(registered=False)) == ["同步：未配置"]
