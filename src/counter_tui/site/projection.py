"""Applies site events to the site table."""

from sqlmodel import Session

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles
from counter_tui.site.events import SITE_CREATED, SiteCreated
from counter_tui.site.models import Site

TABLES = [Site]


@handles(SITE_CREATED)
def _site_created(session: Session, event: Event, payload: SiteCreated) -> None:
    """An upsert: the hub records a site when it enrols it, and the site's own site.created
    (from its `init`) reaches the hub later by sync; the name last applied stands."""
    session.merge(Site(code=payload.code, name=payload.name))
