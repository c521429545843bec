"""`counter-tui bench day`: a clerk's day in the real app, and what it does to the app's memory.

Issue 12: a window's app grew with every printed notice (87 MB after sign-in, 239 MB after five
printed receipts). This bench plays a busy day headless, with Textual's pilot, on a throwaway
node with the shipped catalog (built like the demo's, in a child process): `intakes` intakes of
items taken in turn from the catalog, each accepted and its notices printed as PDF (no print
command: they are saved, and the bench checks that every PDF is there), `tickets` tickets
called, started and finished, and the worklist read again every 10 intakes. The app runs in a
process of its own (counter_tui.ui.clerkday) so that its RSS is the app's alone, as on a
window's PC; this process made the node, the clerk and the tickets (a kiosk's work), and checks
the database afterwards (`as_planned`: every case, every ticket, a PDF for every intake).

Targets (issue 12): at most 120 MB at the end, at most 5 MB of growth over the last 50 intakes.
The report states them; it never fails on them.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from counter_tui.bench.search import percentiles
from counter_tui.errors import UserError

MAX_END_MB = 120.0
MAX_GROWTH_MB = 5.0
#: The growth target is over this many last intakes (fewer in a shorter day).
GROWTH_SPAN = 50
CLERK = "bench"
PASSWORD = "bench-pass-1"
WINDOW = "1"
CATEGORIES = "ABCD"
#: Items taken in turn: this many, spread over the catalog's departments.
ITEM_MIX = 12
#: A day may take long on a slow PC: about 5 s per intake, 1 s per other ticket here.
TIMEOUT_S = 3 * 3600


class DayFailed(UserError):
    """The day could not be played as planned; the message says where."""

    exit_code = 1


def measure_day(intakes: int = 100, tickets: int = 200) -> dict[str, Any]:
    if not 1 <= intakes <= tickets:
        raise UserError("受理件数须至少 1 件，且不多于叫号数（每件受理都在一个号上办理）")
    with tempfile.TemporaryDirectory(prefix="counter-tui-bench-") as folder:
        return _measure(Path(folder), intakes, tickets)


def _measure(folder: Path, intakes: int, tickets: int) -> dict[str, Any]:
    from counter_tui.demo.options import DemoOptions
    from counter_tui.demo.setup import create_demo_database
    from counter_tui.ui.clerkday import Plan

    # An empty hall: the bench counts the cases and tickets it makes itself.
    demo = create_demo_database(DemoOptions(hall=False), parent=folder)
    notices = folder / "notices"
    codes = _prepare(demo.settings.db_url, tickets)
    plan = Plan(
        db_url=demo.settings.db_url,
        notices=str(notices),
        window=WINDOW,
        username=CLERK,
        password=PASSWORD,
        codes=codes,
        intakes=intakes,
        tickets=tickets,
        refresh_every=10,
    )
    figures = _play(plan)
    checked = _check(demo.settings.db_url, notices)
    return _report(figures, checked, intakes=intakes, tickets=tickets, codes=codes)


def _prepare(db_url: str, tickets: int) -> list[str]:
    """The clerk, the day's tickets (issued as a kiosk would) and the items of the day."""
    from counter_tui.accounts.service import create_user
    from counter_tui.actor import Actor
    from counter_tui.clock import now_local
    from counter_tui.db import make_engine, read_session, write_session
    from counter_tui.queue import commands as queue_commands
    from counter_tui.site.service import node

    engine = make_engine(db_url)
    try:
        with write_session(engine) as session:
            operator = Actor.local_operator(node(session).site)
            create_user(
                session,
                operator,
                username=CLERK,
                display_name="测量",
                role="clerk",
                password=PASSWORD,
            )
        kiosk = Actor(username="kiosk", role="clerk", site=operator.site)
        now = now_local()
        with write_session(engine) as session:
            for n in range(tickets):
                queue_commands.issue(
                    session, kiosk, CATEGORIES[n % len(CATEGORIES)], channel="kiosk", now=now
                )
        with read_session(engine) as session:
            return _item_mix(session)
    finally:
        engine.dispose()


def _item_mix(session: Any) -> list[str]:
    """Items a county window accepts for a person with every material in hand: no 办理情形 to
    answer (the clerk would have to), one per department in turn, up to ITEM_MIX."""
    from counter_tui.catalog.service import list_entries

    by_department: dict[str, list[str]] = {}
    for entry in list_entries(session):
        doc = json.loads(entry.doc)
        if (
            entry.kind == "item"
            and "county" in entry.levels.split()
            and "1" in doc.get("service_objects", [])
            and not doc.get("situations")
        ):
            by_department.setdefault(doc["department"], []).append(entry.code)
    mix: list[str] = []
    while len(mix) < ITEM_MIX and any(by_department.values()):
        for codes in by_department.values():
            if codes and len(mix) < ITEM_MIX:
                mix.append(codes.pop(0))
    if not mix:
        raise DayFailed("目录中没有可直接受理的事项（无办理情形、县级、面向自然人）")
    return mix


def _play(plan: Any) -> dict[str, Any]:
    """Run the day in the app's own process (counter_tui.ui.clerkday)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "counter_tui.ui.clerkday"],
            input=json.dumps(asdict(plan), ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DayFailed(f"这一天 {TIMEOUT_S} 秒内未完成") from None
    try:
        figures: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = done.stderr.strip().splitlines()[-1:] or [f"退出码 {done.returncode}"]
        raise DayFailed(f"应用进程异常退出：{tail[0]}") from None
    if "error" in figures:
        raise DayFailed(str(figures["error"]))
    return figures


def _check(db_url: str, notices: Path) -> dict[str, int]:
    """What the day left: cases, finished tickets, and real PDF files."""
    from sqlmodel import func, select

    from counter_tui.cases.models import Case
    from counter_tui.db import make_engine, read_session
    from counter_tui.queue.models import QueueTicket

    engine = make_engine(db_url)
    try:
        with read_session(engine) as session:
            cases = session.exec(select(func.count()).select_from(Case)).one()
            finished = session.exec(
                select(func.count()).select_from(QueueTicket).where(QueueTicket.state == "finished")
            ).one()
    finally:
        engine.dispose()
    pdfs = [p for p in notices.rglob("*.pdf") if p.read_bytes()[:5] == b"%PDF-"]
    return {"cases": cases, "tickets_finished": finished, "pdf_notices": len(pdfs)}


def _report(
    figures: dict[str, Any],
    checked: dict[str, int],
    *,
    intakes: int,
    tickets: int,
    codes: list[str],
) -> dict[str, Any]:
    samples = figures["rss_by_intakes"]
    end = figures["rss_end_mb"]
    growth = _growth(figures["rss_signed_in_mb"], samples, end, intakes)
    return {
        "python": platform.python_version(),
        "intakes": intakes,
        "tickets": tickets,
        "items": codes,
        "rss_signed_in_mb": figures["rss_signed_in_mb"],
        "rss_by_intakes": samples,
        "rss_end_mb": end,
        "growth_last_intakes": growth,
        "intake_ms": percentiles(figures["intake_ms"]),
        "elapsed_s": figures["elapsed_s"],
        **checked,
        # Every case accepted, every ticket finished, a real PDF for every intake at least.
        "as_planned": checked["cases"] == intakes
        and checked["tickets_finished"] == tickets
        and checked["pdf_notices"] >= intakes,
        "targets": {
            "rss_end_mb": MAX_END_MB,
            "growth_mb": MAX_GROWTH_MB,
            "growth_over_intakes": GROWTH_SPAN,
        },
    }


def _growth(
    signed_in: float | None, samples: list[dict[str, Any]], end: float | None, intakes: int
) -> dict[str, Any] | None:
    """RSS growth over the last GROWTH_SPAN intakes: from the sample taken then (the sign-in
    for a shorter day) to the end of the day."""
    start_at = max(0, intakes - GROWTH_SPAN)
    earlier = [s for s in samples if s["intakes"] <= start_at and s["rss_mb"] is not None]
    since, start = (earlier[-1]["intakes"], earlier[-1]["rss_mb"]) if earlier else (0, signed_in)
    if end is None or start is None:
        return None
    return {"from_intake": since, "mb": round(end - start, 1)}


def format_report(report: dict[str, Any]) -> str:
    end, growth = report["rss_end_mb"], report["growth_last_intakes"]
    lines = [
        f"窗口一天 day：受理 {report['intakes']} 件（PDF 通知书 {report['pdf_notices']} 份），"
        f"叫号办结 {report['tickets_finished']} 个，{len(report['items'])} 个事项轮换，"
        f"Python {report['python']}，用时 {report['elapsed_s']:.0f} 秒",
        "",
        f"{_pad('登录后 after sign-in')}{_mb(report['rss_signed_in_mb'])}",
    ]
    for sample in report["rss_by_intakes"]:
        label = _pad(f"受理 {sample['intakes']} 件后")
        lines.append(f"{label}{_mb(sample['rss_mb'])}")
    lines.append(f"{_pad('结束 end')}{_mb(end)}")
    figures = report["intake_ms"]
    lines += [
        f"{_pad('每件受理 intake')}p50 {figures['p50_ms']:.0f}  p95 {figures['p95_ms']:.0f} ms"
        "（含按键、受理、生成 PDF）",
        "",
    ]
    if not report["as_planned"]:
        lines.append(
            f"✗ 未按计划完成：办件 {report['cases']}、办结 {report['tickets_finished']}、"
            f"PDF {report['pdf_notices']}"
        )
    if end is not None:
        ok = end <= MAX_END_MB
        lines.append(f"结束时 ≤ {MAX_END_MB:.0f} MB：{'✓' if ok else '✗ 未达标'}")
    if growth is not None:
        ok = growth["mb"] <= MAX_GROWTH_MB
        lines.append(
            f"第 {growth['from_intake']} 件之后增长 {growth['mb']:.1f} MB"
            f"（≤ {MAX_GROWTH_MB:.0f} MB）：{'✓' if ok else '✗ 未达标'}"
        )
    return "\n".join(lines)


def _pad(label: str, width: int = 24) -> str:
    """The label padded to `width` terminal cells (a Chinese character takes two)."""
    from rich.cells import cell_len

    return label + " " * max(1, width - cell_len(label))


def _mb(value: float | None) -> str:
    return "（无 /proc，未测）" if value is None else f"{value:>7.1f} MB"
