"""The site's event types and their payloads (the catalogue: docs/events.md)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.journal.events import declare

SITE_CREATED = "site.created"


@declare(SITE_CREATED)
@dataclass(frozen=True)
class SiteCreated:
    """A site this node knows: its own at `init`, others as the hub enrols them."""

    code: str
    name: str
