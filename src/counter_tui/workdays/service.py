"""Calendar services: seed and import years, read the calendar, compute due dates.

A year is replaced whole, in the caller's transaction, after the new arrangement was checked:
a failed import leaves every year as it was. Each write that changes something records one
`calendar.imported` event naming the years, their status and source.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.journal.service import record
from counter_tui.workdays.estimate import estimated_days_off
from counter_tui.workdays.events import CALENDAR_IMPORTED, CalendarImported, ImportedYear
from counter_tui.workdays.models import CalendarDay, CalendarYear
from counter_tui.workdays.rules import (
    OFFICIAL,
    ORIGINS,
    PROVISIONAL,
    Calendar,
    DueDate,
    Published,
    YearPlan,
    due,
    exceptions_of,
    plan_digest,
    plan_from_json,
    plan_to_json,
)


@dataclass(frozen=True)
class YearImport:
    """What happened to one year."""

    year: int
    status: str
    origin: str
    source: str
    holidays: int
    workdays: int
    #: False when the same arrangement from the same source was already there.
    changed: bool


def _require_manager(actor: Actor) -> None:
    """Importing by hand needs the role; seeding from shipped data needs none (it only fills
    what is missing, from data that came with the program)."""
    require(actor, "calendar.manage")


def import_calendar(
    session: Session, actor: Actor, published: Sequence[Published], *, now: datetime | None = None
) -> list[YearImport]:
    """Make each year's arrangement (already validated) the one in use, whatever was there."""
    _require_manager(actor)
    return _write(session, actor, published, now=now)


def ensure_seeded(
    session: Session,
    actor: Actor,
    *,
    folder: Path | None = None,
    shipped: bool = True,
    now: datetime | None = None,
) -> list[YearImport]:
    """Fill the calendar from the package and the shipped files (or `folder`), on first use
    and whenever they bring something better; returns the years written.

    A year is written when it is missing; when it is provisional and an official arrangement is
    at hand; or when the new arrangement differs and comes from a higher-ranked origin (file over
    package), or from a newer package. An official year is never replaced by a provisional one,
    and nothing replaces a year the hub published except its official arrangement.
    """
    from counter_tui.workdays.loader import load_calendar
    from counter_tui.workdays.seed import package_plans, package_source, shipped_calendar

    source = package_source()
    candidates = {p.year: Published(p, "package", source) for p in package_plans()}
    shipped_folder = shipped_calendar() if shipped else None
    folder = folder or shipped_folder
    if folder is not None:
        for file in load_calendar(folder):
            label = f"data/calendar/{file.name}" if folder == shipped_folder else str(file.path)
            offered = Published(file.plan, "file", label)
            current = candidates.get(file.plan.year)
            if current is None or _better(offered, current.plan.status):
                candidates[file.plan.year] = offered
    existing = {row.year: row for row in session.exec(select(CalendarYear))}
    chosen = [p for year, p in sorted(candidates.items()) if _seed_replaces(existing.get(year), p)]
    if not chosen:
        return []
    return _write(session, actor, chosen, now=now)


def _better(offered: Published, status: str) -> bool:
    """A file beats the package for the same year unless it is provisional and the package's
    arrangement is official."""
    return not (offered.plan.status == PROVISIONAL and status == OFFICIAL)


def _seed_replaces(row: CalendarYear | None, offered: Published) -> bool:
    if row is None:
        return True
    if row.digest == plan_digest(offered.plan):
        return False
    if offered.plan.status == PROVISIONAL and row.status == OFFICIAL:
        return False
    if row.status == PROVISIONAL and offered.plan.status == OFFICIAL:
        return True
    if ORIGINS[offered.origin] > ORIGINS.get(row.origin, 0):
        return True
    return row.origin == offered.origin == "package"


def _write(
    session: Session, actor: Actor, published: Sequence[Published], *, now: datetime | None
) -> list[YearImport]:
    at = now or datetime.now(UTC)
    results = []
    for offered in published:
        plan = offered.plan
        digest = plan_digest(plan)
        row = session.get(CalendarYear, plan.year)
        unchanged = (
            row is not None
            and row.digest == digest
            and (row.origin, row.source) == (offered.origin, offered.source)
        )
        results.append(
            YearImport(
                year=plan.year,
                status=plan.status,
                origin=offered.origin,
                source=offered.source,
                holidays=len(plan.holidays),
                workdays=len(plan.workdays()),
                changed=not unchanged,
            )
        )
        if unchanged:
            continue
        session.execute(delete(CalendarDay).where(col(CalendarDay.year) == plan.year))
        doc = json.dumps(plan_to_json(plan), ensure_ascii=False)
        fields: dict[str, Any] = {
            "status": plan.status,
            "origin": offered.origin,
            "source": offered.source,
            "digest": digest,
            "doc": doc,
            "imported_at": at,
            "imported_by": actor.label,
        }
        if row is None:
            row = CalendarYear(year=plan.year, **fields)
        else:
            row.sqlmodel_update(fields)
        session.add(row)
        session.flush()
        for day, (kind, name) in exceptions_of(plan).items():
            session.add(CalendarDay(day=day, year=plan.year, kind=kind, name=name))
        session.flush()
    changed = [r for r in results if r.changed]
    if changed:
        record(
            session,
            actor,
            CALENDAR_IMPORTED,
            CalendarImported(
                years=[
                    ImportedYear(
                        year=r.year,
                        status=r.status,
                        origin=r.origin,
                        source=r.source,
                        digest=plan_digest(p.plan),
                    )
                    for r, p in zip(results, published, strict=True)
                    if r.changed
                ]
            ),
        )
    return results


def calendar_for(session: Session, *, since: int | None = None) -> Calendar:
    """The calendar as stored; with `since`, the exceptions of earlier years are left out."""
    years = session.exec(select(CalendarYear.year, CalendarYear.status)).all()
    query = select(col(CalendarDay.day), col(CalendarDay.kind))
    if since is not None:
        query = query.where(col(CalendarDay.year) >= since)
    return Calendar(
        exceptions=dict(session.exec(query).all()),
        official_years=frozenset(year for year, status in years if status == OFFICIAL),
        estimate=estimated_days_off,
    )


def due_date(session: Session, accepted_on: date, days: int) -> DueDate:
    """When a limit of `days` working days, counted from the day after `accepted_on`, ends."""
    return due(accepted_on, days, calendar_for(session, since=accepted_on.year))


def year_info(session: Session, year: int) -> tuple[CalendarYear, YearPlan] | None:
    """A stored year and its arrangement; None when the calendar has nothing for it."""
    row = session.get(CalendarYear, year)
    if row is None:
        return None
    return row, plan_from_json(json.loads(row.doc))


def years(session: Session) -> list[CalendarYear]:
    return list(session.exec(select(CalendarYear).order_by(col(CalendarYear.year))).all())
