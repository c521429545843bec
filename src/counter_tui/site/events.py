"""The site's event types and their payloads (the catalogue: docs/events.md)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.journal.events import declare

SITE_CREATED = "site.created"


@declare(SITE_CREATED)
@dataclass(frozen=True)
class SiteCreated:
    """A site this node knows: its own at `init`, others as the hub enrols them. A site is
    created twice on a hub (when the hub enrols it, and by the site's own `init` arriving by
    sync): applying it again updates the site, it never fails. `level` is the site's (village,
    town or county; catalog.codes.LEVELS); None in events written before the field existed."""

    code: str
    name: str
    level: str | None = None
