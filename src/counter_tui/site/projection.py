"""Applies site events to the site table."""

from sqlmodel import Session

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles
from counter_tui.site.events import SITE_CREATED, SiteCreated
from counter_tui.site.models import Site

TABLES = [Site]


@handles(SITE_CREATED)
def _site_created(session: Session, event: Event, payload: SiteCreated) -> None:
    session.add(Site(code=payload.code, name=payload.name))
