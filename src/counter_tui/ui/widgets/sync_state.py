"""What the header's 同步 says, from the node's `SyncStatus`: pure, so each state is a plain test.

The header has one line for everything, so each state comes as a few wordings, richest first;
the header shows the first that fits (widgets/header.py). Every part is a Text built from plain
strings: the last error may carry the hub's own words, which are data, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from counter_tui.clock import to_local
from counter_tui.text import clean

if TYPE_CHECKING:  # the records module pulls in the models: not before the first paint
    from counter_tui.desk.records import SyncStatus

#: A state the clerk should notice: never synced, offline, a clock off.
WARNING = "bold yellow"
#: The last round failed for another reason than the network.
ERROR = "bold white on red"
#: How far the hub's clock may be from this PC's before the app warns (DESIGN §4.4).
CLOCK_SKEW_LIMIT_MS = 5 * 60 * 1000
#: The shortest cut of 同步出错：<message> worth showing (the message's first few characters).
ERROR_MIN_CELLS = 20


@dataclass(frozen=True)
class Wording:
    text: Text
    #: May be cut short (with …) to the room there is, down to this many cells; 0: never cut.
    #: Only the last error's message is: the rest would lose its meaning.
    min_cells: int = 0


def sync_wordings(status: SyncStatus | None, *, demo: bool, now: datetime) -> list[Wording]:
    """The header's 同步, richest first; the last one is the shortest. `now` is the hall's
    time (for 今天 or not). The first wording of an error carries the message and may be cut."""
    return [
        text if isinstance(text, Wording) else Wording(text)
        for text in _wordings(status, demo=demo, now=now)
    ]


def _wordings(status: SyncStatus | None, *, demo: bool, now: datetime) -> list[Text | Wording]:
    if demo or (status is not None and status.demo):
        return [Text("演示模式·不同步", style="bold reverse")]
    if status is None:  # not read yet: say nothing rather than something untrue
        return [Text("同步：…")]
    if not status.registered and status.is_hub:
        return [Text("同步：本机为县级中心"), Text("同步：中心")]
    if not status.registered:
        return [Text("同步：未配置")]
    waiting = f"待上传 {status.pending}" if status.pending else ""
    if status.offline_since is not None:
        offline = f"同步：离线 自 {_when(status.offline_since, now)}"
        return _with(offline, waiting, WARNING)
    if status.last_error:
        shortest = _with("同步出错", waiting, ERROR)
        return [Wording(error_wording(status), ERROR_MIN_CELLS), *shortest]
    online, by_file = status.last_success_at, status.last_file_at
    # The latest exchange, online or by file (a village that carries a stick says 文件).
    if by_file is not None and (online is None or by_file > online):
        last, how = _when(by_file, now), "文件"
    elif online is not None:
        last, how = _when(online, now), ""
    else:
        return _with("同步：从未同步", waiting, WARNING)
    if waiting:
        return [Text(f"同步：{waiting} · 上次{how} {last}"), Text(f"同步：{waiting}")]
    return [Text(f"同步：已{'由文件' if how else ''}同步 {last}")]


def error_wording(status: SyncStatus) -> Text:
    """同步出错：<the last error>, on one line whatever the hub said."""
    message = clean(" ".join(status.last_error.split()))
    return Text(f"同步出错：{message}", style=ERROR, no_wrap=True)


def clock_skew_minutes(status: SyncStatus | None) -> int | None:
    """The hub's clock minus this PC's in whole minutes, when it is past the limit; else None.
    Positive: this PC is slow."""
    if status is None or not status.registered or abs(status.hub_offset_ms) <= CLOCK_SKEW_LIMIT_MS:
        return None
    return round(status.hub_offset_ms / 60_000)


def clock_skew_notice(minutes: int) -> str:
    """The one-time notification: which way the clock is off, by how much, and what to do."""
    way = "慢" if minutes > 0 else "快"
    return (
        f"本机时钟比县级中心{way} {abs(minutes)} 分钟：请校准本机时间"
        "（办件和叫号的时间都按本机时钟记录）"
    )


def clock_skew_marker() -> Text:
    return Text("时钟偏差", style=WARNING)


def _with(core: str, waiting: str, style: str) -> list[Text | Wording]:
    """`core · waiting` when something waits to go, then `core` alone."""
    if not waiting:
        return [Text(core, style=style)]
    return [Text(f"{core} · {waiting}", style=style), Text(core, style=style)]


def _when(moment: datetime, now: datetime) -> str:
    """HH:MM today; MM-DD HH:MM another day (hall time)."""
    local = to_local(moment)
    if local.date() == to_local(now).date():
        return local.strftime("%H:%M")
    return local.strftime("%m-%d %H:%M")
