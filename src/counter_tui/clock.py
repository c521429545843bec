"""The hall's clock: local, aware, to the second."""

from __future__ import annotations

from datetime import datetime


def now_local() -> datetime:
    """Now, aware, in this machine's zone, to the second: case and ticket numbers and due dates
    count the hall's local days (the database keeps UTC)."""
    return datetime.now().astimezone().replace(microsecond=0)
