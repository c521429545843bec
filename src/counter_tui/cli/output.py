"""Printing helpers: JSON for scripts, and text laid out in terminal columns."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime

import typer


def echo_json(value: object) -> None:
    """`value` as indented JSON, Chinese left readable."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def columns(text: str) -> int:
    """How many terminal columns `text` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns, at least one space after it."""
    return text + " " * max(width - columns(text), 1)


def utc_iso(value: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC (SQLite gives it back without its zone), or None."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def local_minute(value: datetime | None) -> str:
    """A stored UTC time as the hall reads it, to the minute ("" for None)."""
    if value is None:
        return ""
    from counter_tui.clock import to_local

    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return to_local(moment).strftime("%Y-%m-%d %H:%M")
