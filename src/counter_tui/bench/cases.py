"""`counter-tui bench cases`: the worklist and overdue queries on a county-sized case table.

A throwaway SQLite database at the program's schema is filled with generated cases (written
straight into the `cases` table, not through the journal: this measures reading). The mix
follows a county hall: three years of cases, about 80,000 a month at full scale, nearly all
closed; the open ones are the last weeks' intake, a few of them past due. Then, for 50 random
days near the end and 15 departments, it times:
- `worklist`: one department's open back-office cases, earliest due first, 200 rows;
- `overdue`: every open case past due on that day;
- `warnings`: the header's count of open cases at 红牌, 黄牌 and 提醒 on that day.

Target (issue 5): ≤ 50 ms each at 1,000,000 cases. The report states it; it never fails on it.
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

MAX_QUERY_MS = 50.0
DEPARTMENTS = [f"D{n:02d}" for n in range(15)]
BATCH = 20_000


def measure_cases(cases: int = 1_000_000, *, seed: int = 0, runs: int = 50) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="counter-tui-bench-") as folder:
        return _measure(Path(folder) / "cases.db", cases, seed, runs)


def _measure(path: Path, cases: int, seed: int, runs: int) -> dict[str, Any]:
    from sqlalchemy import insert

    from counter_tui.cases.models import Case
    from counter_tui.cases.worklist import overdue, warning_counts, worklist
    from counter_tui.db import make_engine, read_session
    from counter_tui.schema import upgrade

    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade(engine)
    rng = random.Random(seed)
    end = date(2026, 11, 23)
    start = end - timedelta(days=3 * 365)
    span = (end - start).days
    started = time.perf_counter()
    open_count = 0
    with engine.begin() as conn:
        batch: list[dict[str, Any]] = []
        for n in range(cases):
            accepted = start + timedelta(days=int(span * (n / max(1, cases - 1))))
            row = _row(n, accepted, end, rng)
            open_count += row["state"] not in ("completed", "delivered", "approved", "denied")
            batch.append(row)
            if len(batch) == BATCH:
                conn.execute(insert(Case), batch)
                batch = []
        if batch:
            conn.execute(insert(Case), batch)
        conn.exec_driver_sql("ANALYZE")
    fill_s = time.perf_counter() - started

    days = [end - timedelta(days=rng.randrange(0, 10)) for _ in range(runs)]
    worklist_ms: list[float] = []
    overdue_ms: list[float] = []
    warnings_ms: list[float] = []
    overdue_rows = 0
    with read_session(engine) as session:
        worklist(session, today=end, department=DEPARTMENTS[0])  # warm the calendar cache
        for today in days:
            department = rng.choice(DEPARTMENTS)
            t0 = time.perf_counter_ns()
            worklist(session, today=today, department=department)
            worklist_ms.append((time.perf_counter_ns() - t0) / 1e6)
            t0 = time.perf_counter_ns()
            overdue_rows = len(overdue(session, today=today))
            overdue_ms.append((time.perf_counter_ns() - t0) / 1e6)
            t0 = time.perf_counter_ns()
            warning_counts(session, today=today)
            warnings_ms.append((time.perf_counter_ns() - t0) / 1e6)
    engine.dispose()
    return {
        "python": platform.python_version(),
        "cases": cases,
        "open": open_count,
        "overdue_rows_last": overdue_rows,
        "fill_s": round(fill_s, 1),
        "db_mb": round(path.stat().st_size / 2**20, 1),
        "worklist_ms": percentiles(worklist_ms),
        "overdue_ms": percentiles(overdue_ms),
        "warnings_ms": percentiles(warnings_ms),
        "target_ms": MAX_QUERY_MS,
    }


def _row(n: int, accepted: date, end: date, rng: random.Random) -> dict[str, Any]:
    """One generated case: closed unless accepted in the last weeks, a few of those late."""
    age = (end - accepted).days
    due = accepted + timedelta(days=14)
    if age > 30:
        state = rng.choice(("delivered", "delivered", "delivered", "completed"))
    elif age > 14 and rng.random() < 0.9:
        state = "delivered"
    else:
        state = rng.choice(("accepted", "handed_off", "in_review", "in_review", "approved"))
    at = datetime(accepted.year, accepted.month, accepted.day, 9, tzinfo=UTC)
    return {
        "id": f"00000000-0000-7000-8000-{n:012d}",
        "number": f"B-{accepted:%Y%m%d}-{n:07d}",
        "site": "421202-BENCH",
        "state": state,
        "entry_code": f"I{n % 1500:04d}",
        "entry_kind": "item",
        "entry_name": "个体工商户设立登记",
        "item_codes": "[]",
        "department": DEPARTMENTS[n % len(DEPARTMENTS)],
        "applicant_key_type": "111",
        "applicant_key": f"4206021990{n % 10_000_000:08d}",
        "applicant_name": "张三",
        "applicant_phone": "",
        "intake": "{}",
        "clerk": "bench",
        "created_at": at,
        "accepted_at": at,
        "committed_days": 10,
        "due": due,
        "due_unofficial": "",
        "legal_due": due + timedelta(days=14),
        "legal_days": 20,
        "refusal_reasons": "",
        "competent_agency": "",
        "termination_reason": "",
        "updated_at": at,
        "assignee": "",
        "assignee_name": "",
        "decision_number": "",
        "decision_reason": "",
        "delivery": "",
        "withdrawal_reason": "",
        "trips": 1,
    }


def format_report(report: dict[str, Any]) -> str:
    def row(label: str, figures: dict[str, Any]) -> str:
        ok = figures["p95_ms"] <= MAX_QUERY_MS
        return (
            f"{label:<16}p50 {figures['p50_ms']:>7.2f}  p95 {figures['p95_ms']:>7.2f}  "
            f"max {figures['max_ms']:>7.2f} ms  {'✓' if ok else '✗ 未达标'}"
        )

    return "\n".join(
        [
            f"办件查询测量 cases：{report['cases']:,} 件（在办 {report['open']:,}），"
            f"数据库 {report['db_mb']} MB，生成 {report['fill_s']} s，Python {report['python']}",
            "",
            row("待办 worklist", report["worklist_ms"]),
            row("超期 overdue", report["overdue_ms"]),
            row("预警 warnings", report["warnings_ms"]),
            f"（最后一次超期 {report['overdue_rows_last']} 件；目标 p95 ≤ {MAX_QUERY_MS:.0f} ms）",
        ]
    )
