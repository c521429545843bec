"""`counter-tui queue stats`: a day's queue statistics (queue.stats) as a plain-text table for the
supervisor, or JSON with stable keys for scripts and the county's reports."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from counter_tui.queue.stats import DayStats, Figures

COLUMNS = (
    "",
    "取号",
    "叫号",
    "办结",
    "过号",
    "未叫号",
    "未结",
    "转出",
    "平均等候",
    "P90等候",
    "超时",
    "平均办理",
    "P90办理",
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows aligned in terminal columns (a Chinese character takes two): the first column left,
    the figures right."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0] + " " * (widths[0] - _width(row[0]))]
        cells += [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _clock(value: timedelta | None) -> str:
    """分:秒, e.g. 12:40; minutes go past 59 rather than into hours (waits are read in minutes)."""
    from counter_tui.queue.stats import seconds

    if value is None:
        return "—"
    minutes, secs = divmod(seconds(value), 60)
    return f"{minutes}:{secs:02d}"


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _row(label: str, f: Figures) -> list[str]:
    share = f.over_target_share
    over = "—" if share is None else f"{f.over_target}（{share:.1%}）"
    return [
        label,
        _count(f.issued),
        str(f.called),
        str(f.served),
        str(f.no_shows),
        _count(f.waiting),
        str(f.open),
        str(f.transferred),
        _clock(f.wait.mean),
        _clock(f.wait.p90),
        over,
        _clock(f.service.mean),
        _clock(f.service.p90),
    ]


def render(stats: DayStats, day: date, names: dict[str, str]) -> list[str]:
    """The table a supervisor reads: figures by day, category, window; then the buckets."""
    minutes = stats.target // timedelta(minutes=1)
    lines = [f"{day.isoformat()} 排队统计（等候目标 {minutes} 分钟，时长为 分:秒）"]
    if stats.whole.issued == 0:
        return [*lines, "当天没有取号"]
    rows = [list(COLUMNS), _row("全天", stats.whole)]
    rows += [_row(f"{c} {names.get(c, c)}", f) for c, f in stats.categories.items()]
    rows += [_row(f"{w} 号窗口", f) for w, f in stats.windows.items()]
    lines += _table(rows)
    lines += ["", "等候时长分布（取号到首次叫号，人数）"]
    groups = [("全天", stats.whole)]
    groups += list(stats.categories.items())
    groups += [(f"{w}号窗口", f) for w, f in stats.windows.items()]
    bounds = stats.bucket_bounds()
    # Up to the last bucket anyone fell in: a quiet hall should not print twenty empty rows.
    used = max(i for i, n in enumerate(stats.whole.buckets) if n) + 1
    table = [["等候", *(label for label, _ in groups)]]
    for i, (lo, hi) in enumerate(bounds[:used]):
        label = f"{lo}–{hi} 分" if hi is not None else f"≥{lo} 分"
        table.append([label, *(str(f.buckets[i]) for _, f in groups)])
    lines += _table(table)
    return lines


def stats(
    on: Annotated[
        str | None, typer.Option("--date", help="统计哪一天（默认今天），如 2026-11-23")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """排队统计：某一天的取号、叫号、办结、过号，等候与办理时长（平均、P90）、超时占比和
    等候时长分布，按全天、类别、窗口。"""
    from counter_tui import cli
    from counter_tui.cli_cases import parse_day
    from counter_tui.db import read_session
    from counter_tui.queue.reads import hall
    from counter_tui.queue.stats import as_dict
    from counter_tui.queue.stats_read import day_stats
    from counter_tui.site.service import node

    day = parse_day(on)
    engine = cli._ready_engine(cli.state.settings)
    with read_session(engine) as session:
        site = node(session).site
        config = hall(session, site)
        figures = day_stats(session, site, day, target=config.target_wait)
    names = {c: config.name_of(c) for c in figures.categories}
    if as_json:
        out = {"site": site, "day": day.isoformat(), **as_dict(figures, names)}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for line in render(figures, day, names):
        typer.echo(line)
