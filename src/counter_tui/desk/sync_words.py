"""How the sync desk says its figures in Chinese, the same in `hub sites`, `hub quarantine` and
the app's sync screens: a clock offset, how long a site has been silent, how it reached the
hub, an event's quarantine status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counter_tui.clock import to_local
from counter_tui.site.rules import NODE_LEVELS

#: How a site last reached the hub (HubSite.contact_via).
VIA_LABELS = {"online": "在线", "file": "文件", "": "—"}

#: Short level names for a table column (NODE_LEVELS has the long ones).
LEVEL_SHORT = {"county": "县", "town": "镇", "village": "村"}

#: sync_problem kinds as people call them (the same words as `sync status`).
PROBLEM_KINDS = {
    "tampered": "疑似篡改",
    "chain": "链不接续",
    "unknown_type": "未知事件类型",
    "quarantined": "无法应用",
    "clock_ahead": "时钟超前",
    "reference": "参考数据",
}

#: Why an event waits, as people call it (event status).
WAITING_LABELS = {"unknown": "未知类型", "quarantined": "无法应用"}

#: A clock this far from the hub's is worth a look (the app warns past it too).
CLOCK_WARNING_MS = 5 * 60 * 1000


def level_label(level: str, *, short: bool = False) -> str:
    return (LEVEL_SHORT if short else NODE_LEVELS).get(level, level)


def duration_words(span: timedelta) -> str:
    """A span as the largest two units: 3天4时, 2时5分, 12分, 40秒."""
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}天{hours}时" if hours else f"{days}天"
    if hours:
        return f"{hours}时{minutes}分" if minutes else f"{hours}时"
    if minutes:
        return f"{minutes}分"
    return f"{seconds}秒"


def offset_words(offset_ms: int | None) -> str:
    """A site's clock against the hub's: 快3分 (ahead), 慢40秒 (behind), 准 (within a
    second), — (unknown)."""
    if offset_ms is None:
        return "—"
    if abs(offset_ms) < 1000:
        return "准"
    side = "快" if offset_ms > 0 else "慢"
    return side + duration_words(timedelta(milliseconds=abs(offset_ms)))


def clock_off(offset_ms: int | None) -> bool:
    """Whether a site's clock is far enough off to be marked."""
    return offset_ms is not None and abs(offset_ms) > CLOCK_WARNING_MS


def short_minute(moment: datetime | None) -> str:
    """A stored UTC time in the hall's zone, "11-23 09:30" ("从未" for None): a table's cell."""
    if moment is None:
        return "从未"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return to_local(aware).strftime("%m-%d %H:%M")
