"""Applies site events to the site table."""

from typing import Any

from sqlmodel import Session

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles
from counter_tui.site.models import Site

TABLES = [Site]


@handles("site.created")
def _site_created(session: Session, event: Event, payload: dict[str, Any]) -> None:
    session.add(Site(code=payload["code"], name=payload["name"]))
