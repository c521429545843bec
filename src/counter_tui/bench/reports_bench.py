"""`counter-tui bench report`: the monthly report over a county-sized case table, and F6's
figures of today.

A throwaway SQLite database at the program's schema is filled straight into the projection
tables (this measures reading): `cases` cases spread over the months before the report's day
(about 80,000 a month at a million, DOMAIN.md), a month of tickets (3,000 a working day over
eight windows) and ratings for a third of them. Then it times, several runs each:
- `monthly`: the whole 月通报 (reports.build: figures, departments, windows, clerks ranked);
- `today`: the hall's figures of the last day (reports.figures.figures), what F6 opens on.

Targets (issue 16): monthly ≤ 2 s, today ≤ 100 ms at 1,000,000 cases. The report states them;
it never fails on them.
"""

from __future__ import annotations

import platform
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from counter_tui.bench.search import percentiles

MONTHLY_TARGET_MS = 2000.0
TODAY_TARGET_MS = 100.0
SITE = "421202-BENCH"
DEPARTMENTS = [f"D{n:02d}" for n in range(15)]
CLERKS = [f"clerk{n}" for n in range(8)]
BATCH = 20_000
TICKETS_A_DAY = 3000
END = date(2026, 11, 30)


def measure_report(cases: int = 1_000_000, *, seed: int = 0, runs: int = 5) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="counter-tui-bench-") as folder:
        return _measure(Path(folder) / "reports.db", cases, seed, runs)


def _measure(path: Path, cases: int, seed: int, runs: int) -> dict[str, Any]:
    from counter_tui.db import make_engine, read_session
    from counter_tui.reports.build import build
    from counter_tui.reports.figures import Period, Scope, figures
    from counter_tui.schema import upgrade

    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade(engine)
    rng = random.Random(seed)
    started = time.perf_counter()
    tickets, ratings = _fill(engine, cases, rng)
    fill_s = time.perf_counter() - started
    monthly_ms: list[float] = []
    today_ms: list[float] = []
    with read_session(engine) as session:
        for _ in range(runs):
            t0 = time.perf_counter_ns()
            report = build(session, "monthly", END, site=SITE, today=END + timedelta(days=1))
            monthly_ms.append((time.perf_counter_ns() - t0) / 1e6)
            t0 = time.perf_counter_ns()
            figures(session, Scope(site=SITE), Period.day(END), today=END)
            today_ms.append((time.perf_counter_ns() - t0) / 1e6)
    engine.dispose()
    return {
        "python": platform.python_version(),
        "cases": cases,
        "month_accepted": report.figures.accepted,
        "month_tickets": tickets,
        "month_ratings": ratings,
        "fill_s": round(fill_s, 1),
        "db_mb": round(path.stat().st_size / 2**20, 1),
        "monthly_ms": percentiles(monthly_ms),
        "today_ms": percentiles(today_ms),
        "monthly_target_ms": MONTHLY_TARGET_MS,
        "today_target_ms": TODAY_TARGET_MS,
    }


def _fill(engine: Any, cases: int, rng: random.Random) -> tuple[int, int]:
    from sqlalchemy import insert

    from counter_tui.cases.models import Case
    from counter_tui.feedback.models import Rating
    from counter_tui.queue.models import QueueTicket
    from counter_tui.site.models import Site

    months = max(1, round(cases / 80_000))
    start = END - timedelta(days=30 * months)
    span = (END - start).days + 1
    with engine.begin() as conn:
        conn.execute(insert(Site), [{"code": SITE, "name": "测量用政务服务中心"}])
        batch: list[dict[str, Any]] = []
        for n in range(cases):
            batch.append(_case(n, start + timedelta(days=span * n // cases), rng))
            if len(batch) == BATCH:
                conn.execute(insert(Case), batch)
                batch = []
        if batch:
            conn.execute(insert(Case), batch)
        tickets: list[dict[str, Any]] = []
        ratings: list[dict[str, Any]] = []
        for day in (END - timedelta(days=d) for d in range(30)):
            if day.weekday() >= 5:
                continue
            for seq in range(TICKETS_A_DAY):
                tickets.append(_ticket(day, seq, rng))
                if seq % 3 == 0:
                    ratings.append(_rating(tickets[-1], rng))
        for rows, table in ((tickets, QueueTicket), (ratings, Rating)):
            for i in range(0, len(rows), BATCH):
                conn.execute(insert(table), rows[i : i + BATCH])
        conn.exec_driver_sql("ANALYZE")
    return len(tickets), len(ratings)


def _at(day: date, minutes: int) -> datetime:
    return datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(minutes=minutes)


def _case(n: int, accepted: date, rng: random.Random) -> dict[str, Any]:
    due = accepted + timedelta(days=14)
    age = (END - accepted).days
    done = age > 20 or rng.random() < 0.3
    completed = _at(accepted, rng.randrange(60, 60 * 24 * 18)) if done else None
    state = rng.choice(("delivered", "completed")) if done else "in_review"
    at = _at(accepted, rng.randrange(0, 480))
    return {
        "id": f"00000000-0000-7000-8000-{n:012d}",
        "number": f"B-{accepted:%Y%m%d}-{n:07d}",
        "site": SITE,
        "state": state,
        "entry_code": f"I{n % 1500:04d}",
        "entry_kind": "item",
        "entry_name": "个体工商户设立登记",
        "item_codes": "[]",
        "department": DEPARTMENTS[n % len(DEPARTMENTS)],
        "applicant_key_type": "111",
        "applicant_key": f"K{n}",
        "applicant_name": "张三",
        "intake": "{}",
        "clerk": CLERKS[n % len(CLERKS)],
        "created_at": at,
        "accepted_at": at,
        "committed_days": 10,
        "due": due,
        "completed_at": completed,
        "updated_at": at,
        "trips": rng.choice((1, 1, 1, 2)),
    }


def _ticket(day: date, seq: int, rng: random.Random) -> dict[str, Any]:
    issued = _at(day, seq // 10)
    called = issued + timedelta(seconds=rng.randrange(0, 3600))
    window = str(seq % 8 + 1)
    return {
        "id": f"t-{day:%Y%m%d}-{seq:05d}",
        "site": SITE,
        "day": day,
        "issued_category": "A",
        "seq": seq,
        "number": f"A{seq:04d}",
        "category": "A",
        "state": "finished",
        "issued_at": issued,
        "queued_at": issued,
        "window": window,
        "first_called_at": called,
        "called_at": called,
        "calls": 1,
        "clerk": CLERKS[seq % 8],
        "finished_at": called + timedelta(minutes=5),
        "updated_at": issued,
    }


def _rating(ticket: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    level = rng.choice((1, 1, 1, 2, 2, 3, 4, 5, None))
    return {
        "id": f"r-{ticket['id']}",
        "site": SITE,
        "kind": "service",
        "ticket_id": ticket["id"],
        "channel": "window",
        "level": level,
        "given": level is not None,
        "clerk": ticket["clerk"],
        "window": ticket["window"],
        "rated_at": ticket["finished_at"],
        "recorded_by": ticket["clerk"],
    }


def format_report(report: dict[str, Any]) -> str:
    def row(label: str, figures: dict[str, Any], target: float) -> str:
        ok = figures["p95_ms"] <= target
        return (
            f"{label:<16}p50 {figures['p50_ms']:>8.1f}  p95 {figures['p95_ms']:>8.1f}  "
            f"max {figures['max_ms']:>8.1f} ms  目标 ≤ {target:.0f} ms  {'✓' if ok else '✗ 未达标'}"
        )

    return "\n".join(
        [
            f"报表测量 report：{report['cases']:,} 件办件"
            f"（当月受理 {report['month_accepted']:,}），"
            f"当月 {report['month_tickets']:,} 个号、{report['month_ratings']:,} 条评价，"
            f"数据库 {report['db_mb']} MB，生成 {report['fill_s']} s，Python {report['python']}",
            "",
            row("月通报 monthly", report["monthly_ms"], report["monthly_target_ms"]),
            row("F6 今天 today", report["today_ms"], report["today_target_ms"]),
        ]
    )
