"""Applies site events to the site table."""

from sqlmodel import Session

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles
from counter_tui.site.events import SITE_CREATED, SiteCreated
from counter_tui.site.models import Site

TABLES = [Site]


@handles(SITE_CREATED)
def _site_created(session: Session, event: Event, payload: SiteCreated) -> None:
    # A site is created twice by design: by the hub when it enrols the site, and by the site's
    # own `init`; both reach everyone by sync. The later one (in `seq` order) names it.
    found = session.get(Site, payload.code)
    if found is None:
        session.add(Site(code=payload.code, name=payload.name))
    else:
        found.name = payload.name
        session.add(found)
