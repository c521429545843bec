"""An event the hub cannot apply, and a way for a test to teach the hub its type: what the
sync desk's quarantine tests (CLI, door, app) share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import Session

from counter_tui.journal.models import Event
from tests.sync.helpers import Site, push

#: A type a newer village program records and this hub does not know; its audience is every
#: site (catalog.*), so once applied it travels to the other villages.
NEWER_TYPE = "catalog.video_guide"


@dataclass(frozen=True)
class VideoGuide:
    """The payload of NEWER_TYPE, as the newer program declares it."""

    item: str
    url: str


def quarantined_at_hub(hub: Site, village: Site, now: datetime, item: str = "F-5") -> str:
    """One event of NEWER_TYPE recorded in the village's chain (as a newer village program would
    record it), and the chain pushed to the hub: stored there as `unknown`. Returns its id. The
    village is enrolled first if it is not yet."""
    from counter_tui.db import write_session
    from counter_tui.sync.enrolment import enrol
    from counter_tui.sync.models import HubSite
    from tests.sync.helpers import VILLAGE_NAME

    with write_session(hub.engine) as session:
        if session.get(HubSite, village.operator.site) is None:
            enrol(session, hub.operator, village.operator.site, VILLAGE_NAME, "village", now)
    from tests.sync.api import append_unknown

    event_id = append_unknown(village, NEWER_TYPE, {"item": item, "url": "http://v"}, "*")
    push(village, hub, now)
    return event_id


def learn_newer_type(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Teach this process NEWER_TYPE (what an upgrade of the hub would do): declared, with a
    handler that notes each item it applies in the returned list."""
    from counter_tui.journal import events, registry

    registry.load()
    applied: list[str] = []

    def handler(_session: Session, _event: Event, payload: Any) -> None:
        applied.append(payload.item)

    monkeypatch.setitem(events._declared, NEWER_TYPE, VideoGuide)
    monkeypatch.setitem(registry._handlers, NEWER_TYPE, handler)
    return applied
