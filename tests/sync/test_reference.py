"""The hub's catalog and calendar reach a node as documents, and a bad one is refused whole."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlmodel import col, delete

from counter_tui.actor import Actor
from counter_tui.catalog.service import active_version, get_entry
from counter_tui.db import read_session, write_session
from counter_tui.sync.reference import (
    ReferenceInvalid,
    adopt_calendar,
    adopt_catalog,
    calendar_document,
    catalog_document,
    digests,
)
from counter_tui.workdays.models import CalendarDay, CalendarYear
from tests.sync.helpers import (
    HUB_NAME,
    HUB_SITE,
    VILLAGE_NAME,
    VILLAGE_SITE,
    Site,
    catalog_folder,
    open_site,
)

SYNC = Actor(username=f"sync:{HUB_SITE}", role="admin", site=VILLAGE_SITE)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Site, Site]:
    from tests.catalog.helpers import write_catalog

    hub = open_site(
        f"sqlite:///{tmp_path / 'hub.db'}",
        HUB_SITE,
        HUB_NAME,
        "county",
        catalog_folder(tmp_path / "hub-catalog"),
    )
    # The village starts from the small test catalog, not the county's.
    village = open_site(
        f"sqlite:///{tmp_path / 'village.db'}",
        VILLAGE_SITE,
        VILLAGE_NAME,
        "town",
        write_catalog(tmp_path / "village-catalog"),
    )
    yield hub, village
    hub.engine.dispose()
    village.engine.dispose()


def test_a_node_adopts_the_hubs_catalog_once(pair: tuple[Site, Site]) -> None:
    hub, village = pair
    with read_session(hub.engine) as s:
        published = digests(s, published=True)["catalog"]
        doc = catalog_document(s)
    assert doc is not None
    with read_session(village.engine) as s:
        assert get_entry(s, "F-5") is None
        assert digests(s, published=True)["catalog"] != published
    with write_session(village.engine) as s:
        assert adopt_catalog(s, SYNC, doc) is True
    with read_session(village.engine) as s:
        assert get_entry(s, "F-5") is not None
        # What the node has now is what the hub publishes: the next round fetches nothing.
        assert digests(s, published=True)["catalog"] == published
        number = active_version(s).number  # type: ignore[union-attr]
    with write_session(village.engine) as s:
        assert adopt_catalog(s, SYNC, doc) is False
    with read_session(village.engine) as s:
        assert active_version(s).number == number  # type: ignore[union-attr]


def test_a_catalog_with_a_broken_reference_is_refused_and_the_old_one_kept(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    with read_session(hub.engine) as s:
        doc = copy.deepcopy(catalog_document(s))
    assert doc is not None
    doc["items"][0]["department"] = "NOWHERE"
    with read_session(village.engine) as s:
        before = active_version(s).id  # type: ignore[union-attr]
    with write_session(village.engine) as s, pytest.raises(ReferenceInvalid, match="部门不存在"):
        adopt_catalog(s, SYNC, doc)
    with read_session(village.engine) as s:
        assert active_version(s).id == before  # type: ignore[union-attr]


def test_a_node_adopts_the_hubs_calendar_years_that_differ(pair: tuple[Site, Site]) -> None:
    hub, village = pair
    with write_session(village.engine) as s:  # a year the village lacks
        s.exec(delete(CalendarDay).where(col(CalendarDay.year) == 2026))
        s.exec(delete(CalendarYear).where(col(CalendarYear.year) == 2026))
    with read_session(hub.engine) as s:
        doc = calendar_document(s)
    with write_session(village.engine) as s:
        years = adopt_calendar(s, SYNC, doc, HUB_SITE)
    assert 2026 in years
    with read_session(village.engine) as s:
        row = s.get(CalendarYear, 2026)
        assert row is not None and row.origin == "hub"
    with write_session(village.engine) as s:
        assert adopt_calendar(s, SYNC, doc, HUB_SITE) == []
