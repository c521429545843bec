"""`counter-tui bench restore`: a village node rebuilt from its hub (`sync restore`) on a fresh PC.

The village works until it holds `events` events (default 100,000: years of a busy room) and
syncs them all to a county hub served by `counter-tui hub serve` on loopback — SQLite, or
PostgreSQL with `--pg` (a scratch database, dropped afterwards). The county admin enrols the
site again, and `desk.restore.restore_node` rebuilds the node on an empty SQLite file: its own
chain page by page, then an ordinary round (the pull of what it must see). Reported: the time
of the restore, its rate, and what was taken; also the one-time push that filled the hub, for
scale. Nothing is judged against a target (issue 17 asks for the figure).
"""

from __future__ import annotations

import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from counter_tui.bench.village_work import (
    HUB_NAME,
    HUB_SITE,
    VILLAGE_NAME,
    VILLAGE_SITE,
    enrol,
    found,
    village_work,
)


def measure_restore(events: int = 100_000, pg: str | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="counter-tui-bench-restore-") as folder:
        if pg:
            from counter_tui.bench.sync import _scratch

            with _scratch(pg) as hub_url:
                report = _measure(Path(folder), hub_url, events, workers=2)
        else:
            report = _measure(Path(folder), f"sqlite:///{Path(folder) / 'hub.db'}", events, 1)
    report["hub_engine"] = "postgresql" if pg else "sqlite"
    return report


def _measure(folder: Path, hub_url: str, events: int, workers: int) -> dict[str, Any]:
    from counter_tui.bench.sync import _free_port, _hub_server
    from counter_tui.db import make_engine, read_session
    from counter_tui.desk.node import open_desk
    from counter_tui.desk.restore import restore_node
    from counter_tui.settings import Settings
    from counter_tui.sync.applier import pending_count

    found(hub_url, HUB_SITE, HUB_NAME, "county")
    village_url = f"sqlite:///{folder / 'village.db'}"
    operator = found(village_url, VILLAGE_SITE, VILLAGE_NAME, "town")
    made = village_work(village_url, operator, events)
    port = _free_port()
    served = f"http://127.0.0.1:{port}"
    with _hub_server(hub_url, port, workers):
        desk = open_desk(Settings(db_url=village_url))
        try:
            desk.sync.register(served, enrol(hub_url))
            start = time.perf_counter()
            pushed = desk.sync.run().pushed
            engine = make_engine(hub_url)
            try:
                while True:
                    with read_session(engine) as session:
                        if pending_count(session) == 0:
                            break
                    time.sleep(0.2)
            finally:
                engine.dispose()
            filled_s = time.perf_counter() - start
        finally:
            desk.close()
        fresh = Settings(db_url=f"sqlite:///{folder / 'restored.db'}")
        start = time.perf_counter()
        restored = restore_node(fresh, served, enrol(hub_url))
        restore_s = time.perf_counter() - start
    size = (folder / "restored.db").stat().st_size
    return {
        "python": platform.python_version(),
        "village_events": made.events,
        "made_s": made.seconds,
        "pushed": pushed,
        "push_and_apply_s": filled_s,
        "own_taken": restored.own,
        "pulled": restored.pulled,
        "restore_s": restore_s,
        "restore_events_per_s": restored.own / restore_s if restore_s else 0.0,
        "restored_db_bytes": size,
    }


def format_report(report: dict[str, Any]) -> str:
    engine = "PostgreSQL" if report["hub_engine"] == "postgresql" else "SQLite"
    mib = report["restored_db_bytes"] / 1024 / 1024
    return "\n".join(
        [
            f"从中心恢复 restore：中心 {engine}（hub serve，本机回环），Python {report['python']}",
            "",
            f"站点事件                  {report['village_events']} 条"
            f"（生成 {report['made_s']:.0f} s）",
            f"上传到中心并应用          {report['pushed']} 条，{report['push_and_apply_s']:.1f} s",
            f"恢复（本站记录 + 下载）   {report['restore_s']:.1f} s："
            f"本站记录 {report['own_taken']} 条，下载 {report['pulled']} 条，"
            f"{report['restore_events_per_s']:.0f} 条/秒",
            f"恢复后的数据库            {mib:.1f} MiB",
        ]
    )
