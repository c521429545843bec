"""Calendar tables. Like the catalog, the calendar is reference data (DESIGN §6): each year is
replaced whole by an import, seed or hub publication, and is not a projection of the journal;
the journal records each import (`calendar.imported`) for the audit trail."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class CalendarYear(SQLModel, table=True):
    """One year's arrangement: whether it is official, where it came from, and the arrangement
    itself as the notice states it (`doc`, rules.plan_to_json), for `calendar show`."""

    __tablename__ = "calendar_year"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    #: "official" (published by the State Council) or "provisional".
    status: str = Field(max_length=16)
    #: "package", "file" or "hub" (rules.ORIGINS).
    origin: str = Field(max_length=16)
    #: e.g. "chinesecalendar 1.11.0", "data/calendar/2026.toml", the hub's version.
    source: str = Field(max_length=500)
    #: SHA-256 of the arrangement (rules.plan_digest): importing it again changes nothing.
    digest: str = Field(max_length=64)
    doc: str
    imported_at: datetime
    imported_by: str = Field(max_length=128)


class CalendarDay(SQLModel, table=True):
    """A day that differs from the weekend rule: a holiday on a weekday, or a make-up working
    day (调休上班) on a weekend. Every other day follows the weekend rule."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    year: int = Field(foreign_key="calendar_year.year", index=True)
    #: "holiday" or "workday".
    kind: str = Field(max_length=8)
    #: The holiday it belongs to (a make-up day names the holiday it makes up for).
    name: str = Field(max_length=100)
