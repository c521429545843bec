"""`counter-tui bench files`: sync by file (a USB stick) with a month of a village's events.

For each size asked (default 3,000 and 30,000 events of the village's own), on a fresh pair of
databases — a county hub (SQLite, or PostgreSQL with `--pg`) and a village on SQLite,
registered with each other so that each holds the other's key:
- **export**: `desk.files.export` on the village: seconds, the bundle's size;
- **hub import**: `desk.files.import_bundle` at the hub: check, store, apply, and write the
  reply: seconds, the reply's size;
- **node import**: `desk.files.take_reply` on the village: seconds;
twice: the month going up (the reply nearly empty), then, once the county has decided every
case handed off (claim, approve, complete), the decisions coming down in the next reply.
Nothing is judged against a target (issue 17 asks for the figures); the machine and the
engine are in the report.
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
    in_process_hub,
    village_work,
)

SIZES = (3000, 30000)


def measure_files(sizes: tuple[int, ...] = SIZES, pg: str | None = None) -> dict[str, Any]:
    runs = []
    for events in sizes:
        with tempfile.TemporaryDirectory(prefix="counter-tui-bench-files-") as folder:
            if pg:
                from counter_tui.bench.sync import _scratch

                with _scratch(pg) as hub_url:
                    runs.append(_one(Path(folder), hub_url, events))
            else:
                runs.append(_one(Path(folder), f"sqlite:///{Path(folder) / 'hub.db'}", events))
    return {
        "python": platform.python_version(),
        "cpus": _cpus(),
        "hub_engine": "postgresql" if pg else "sqlite",
        "runs": runs,
    }


def _one(folder: Path, hub_url: str, events: int) -> dict[str, Any]:
    from counter_tui.actor import Actor
    from counter_tui.desk.node import open_desk
    from counter_tui.settings import Settings

    found(hub_url, HUB_SITE, HUB_NAME, "county")
    village_url = f"sqlite:///{folder / 'village.db'}"
    operator = found(village_url, VILLAGE_SITE, VILLAGE_NAME, "town")
    made = village_work(village_url, operator, events)
    village = open_desk(Settings(db_url=village_url))
    hub = open_desk(Settings(db_url=hub_url))
    try:
        with in_process_hub(hub_url) as transport:
            village.sync.transport = transport
            village.sync.register("http://hub.bench", enrol(hub_url))
        admin = Actor("admin", "admin", HUB_SITE)
        first = _round(village, hub, admin, folder / "1")
        # The county decides every case handed off (claim, approve, complete): the next reply
        # carries three events a case back to the village.
        from counter_tui.bench.sync import _decide

        _decide(hub_url, made.case_ids)
        second = _round(village, hub, admin, folder / "2")
    finally:
        village.close()
        hub.close()
    return {"events": made.events, "made_s": made.seconds, "up": first, "down": second}


def _round(village: Any, hub: Any, admin: Any, folder: Path) -> dict[str, Any]:
    """One trip of the stick: the village's export, the hub's import and reply, the village's
    import of the reply; seconds and sizes."""
    folder.mkdir()
    bundle, reply = folder / "village.ctb", folder / "reply.ctb"
    start = time.perf_counter()
    exported = village.files.export(bundle)
    export_s = time.perf_counter() - start
    start = time.perf_counter()
    imported = hub.files.import_bundle(admin, bundle, reply)
    hub_s = time.perf_counter() - start
    start = time.perf_counter()
    taken = village.files.take_reply(reply)
    node_s = time.perf_counter() - start
    return {
        "exported": exported.events,
        "bundle_bytes": exported.size_bytes,
        "export_s": export_s,
        "hub_stored": imported.stored,
        "hub_import_s": hub_s,
        "reply_events": imported.sent,
        "reply_bytes": reply.stat().st_size,
        "node_import_s": node_s,
        "node_applied": taken.applied,
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def format_report(report: dict[str, Any]) -> str:
    engine = "PostgreSQL" if report["hub_engine"] == "postgresql" else "SQLite"
    lines = [
        f"同步文件 files：中心 {engine}，站点 SQLite，Python {report['python']}，"
        f"{report['cpus']} 个 CPU",
        "",
        "站点事件  方向          文件事件  文件大小    导出      中心导入+回执  回执事件  回执大小"
        "    站点导入",
    ]
    for run in report["runs"]:
        for label, trip in (("站点→中心", run["up"]), ("中心→站点", run["down"])):
            lines.append(
                f"{run['events']:>7}  {label}  {trip['exported']:>8}  "
                f"{_size(trip['bundle_bytes']):>9}  {trip['export_s']:>6.2f} s  "
                f"{trip['hub_import_s']:>9.2f} s  {trip['reply_events']:>8}  "
                f"{_size(trip['reply_bytes']):>9}  {trip['node_import_s']:>7.2f} s"
            )
    return "\n".join(lines)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"
