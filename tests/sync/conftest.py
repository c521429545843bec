"""The sync tests' two sites: a hub on each engine (`db_kind`: SQLite, then PostgreSQL) and a
village on SQLite, as in the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.helpers import (
    HUB_NAME,
    HUB_SITE,
    VILLAGE_NAME,
    VILLAGE_SITE,
    Site,
    catalog_folder,
    link,
    open_site,
)


@pytest.fixture
def hub_url(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for the hub, on each engine."""
    if db_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    from tests.conftest import postgres_database

    with postgres_database(request.getfixturevalue("pg_server_url")) as url:
        yield url


@pytest.fixture
def pair(hub_url: str, tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    """(hub, village), both with the intake catalog; the village linked to the hub."""
    catalog = catalog_folder(tmp_path / "catalog")
    hub = open_site(hub_url, HUB_SITE, HUB_NAME, "county", catalog)
    village = open_site(
        f"sqlite:///{tmp_path / 'village.db'}", VILLAGE_SITE, VILLAGE_NAME, "town", catalog
    )
    link(village)
    yield hub, village
    hub.engine.dispose()
    village.engine.dispose()
