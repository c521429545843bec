"""Importing catalog versions into a node (both engines): all or nothing, the previous version
stays in use on failure, an unchanged catalog is not stored twice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.actor import Actor
from counter_tui.catalog.loader import load_catalog
from counter_tui.catalog.model import Bundle, Item
from counter_tui.catalog.models import CatalogVersion
from counter_tui.catalog.search import SearchIndex
from counter_tui.catalog.service import (
    active_version,
    get_entry,
    import_catalog,
    list_entries,
    search_entries,
)
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied
from counter_tui.journal.service import replay
from tests.catalog.helpers import write_catalog
from tests.conftest import Node


def test_import_makes_an_active_version_with_every_entry(node: Node, tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))
    with write_session(node.engine) as session:
        result = import_catalog(session, node.operator, catalog)
    with read_session(node.engine) as session:
        version = active_version(session)
        assert version is not None and version.id == result.version.id
        assert (version.number, version.items, version.bundles) == (1, 2, 1)
        codes = {row.code: row.kind for row in list_entries(session)}
        item = get_entry(session, "S-1")
        bundle = get_entry(session, "YJS-KB")
    assert codes == {"S-1": "item", "T-1": "item", "YJS-KB": "bundle"}
    assert isinstance(item, Item) and item == catalog.items["S-1"]
    assert isinstance(bundle, Bundle) and bundle.items == ("S-1", "T-1")


def test_the_same_catalog_twice_is_one_version(node: Node, tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))
    with write_session(node.engine) as session:
        import_catalog(session, node.operator, catalog)
    with write_session(node.engine) as session:
        again = import_catalog(session, node.operator, catalog)
    assert again.unchanged
    with read_session(node.engine) as session:
        assert len(session.exec(select(CatalogVersion)).all()) == 1


def test_a_new_version_replaces_the_old_one(node: Node, tmp_path: Path) -> None:
    first = load_catalog(write_catalog(tmp_path / "a"))
    second = replace(first, version="2", items={k: v for k, v in first.items.items()}, bundles={})
    with write_session(node.engine) as session:
        import_catalog(session, node.operator, first)
    with write_session(node.engine) as session:
        import_catalog(session, node.operator, second)
    with read_session(node.engine) as session:
        version = active_version(session)
        assert version is not None and (version.number, version.label) == (2, "2")
        assert get_entry(session, "YJS-KB") is None
        assert len(session.exec(select(CatalogVersion)).all()) == 2


def test_a_failed_import_leaves_the_previous_version_in_use(node: Node, tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))
    with write_session(node.engine) as session:
        first = import_catalog(session, node.operator, catalog)
    broken = replace(catalog, version="2", name="坏目录")
    with pytest.raises(RuntimeError), write_session(node.engine) as session:
        import_catalog(session, node.operator, broken)
        raise RuntimeError("the process dies half-way through the import")
    with read_session(node.engine) as session:
        version = active_version(session)
    assert version is not None and version.id == first.version.id


def test_only_an_admin_may_import(node: Node, tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))
    clerk = Actor(username="li", role="clerk", site=node.site)
    with pytest.raises(PermissionDenied), write_session(node.engine) as session:
        import_catalog(session, clerk, catalog)


def test_search_entries_come_with_keys_made_at_import(node: Node, tmp_path: Path) -> None:
    with write_session(node.engine) as session:
        import_catalog(session, node.operator, load_catalog(write_catalog(tmp_path)))
    with read_session(node.engine) as session:
        index = SearchIndex(search_entries(session))
    assert index.search("gtgsh")[0].entry.code == "S-1"
    assert index.search("营业执照")[0].entry.code == "S-1"
    assert index.search("swdj")[0].entry.code == "T-1"


def test_replay_leaves_the_catalog_alone(node: Node, tmp_path: Path) -> None:
    """The catalog is reference data, not a projection: a replay must not wipe it."""
    with write_session(node.engine) as session:
        import_catalog(session, node.operator, load_catalog(write_catalog(tmp_path)))
    with write_session(node.engine) as session:
        replay(session)
    with read_session(node.engine) as session:
        assert len(list_entries(session)) == 3


def test_the_sites_most_used_entries_come_first_among_equals(node: Node, tmp_path: Path) -> None:
    from counter_tui.catalog.service import record_use, usage_counts

    with write_session(node.engine) as session:
        import_catalog(session, node.operator, load_catalog(write_catalog(tmp_path)))
    with read_session(node.engine) as session:
        before = SearchIndex(search_entries(session)).search("登记")
    with write_session(node.engine) as session:
        for _ in range(3):
            record_use(session, node.site, "S-1")
        record_use(session, "421202-OTHER", "T-1")  # another site's habits do not count here
    with read_session(node.engine) as session:
        usage = usage_counts(session, node.site)
        after = SearchIndex(search_entries(session), usage=usage).search("登记")
    assert usage == {"S-1": 3}
    # Both are substring matches: the shorter name wins a tie, the used one wins with usage.
    assert [hit.entry.code for hit in before] == ["T-1", "S-1"]
    assert [hit.entry.code for hit in after] == ["S-1", "T-1"]


def test_usage_counts_stay_outside_the_journal(node: Node, tmp_path: Path) -> None:
    """The documented deviation: a use is no event, replay keeps the counts, and the audit's
    comparison of projections does not see them."""
    from sqlmodel import func

    from counter_tui.catalog.service import record_use, usage_counts
    from counter_tui.journal.models import Event
    from counter_tui.journal.service import projection_differences

    with write_session(node.engine) as session:
        import_catalog(session, node.operator, load_catalog(write_catalog(tmp_path)))
    with read_session(node.engine) as session:
        events = session.exec(select(func.count()).select_from(Event)).one()
    with write_session(node.engine) as session:
        record_use(session, node.site, "S-1")
        record_use(session, node.site, "S-1")
    with write_session(node.engine) as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == events
        replay(session)
    with read_session(node.engine) as session:
        assert usage_counts(session, node.site) == {"S-1": 2}
        assert projection_differences(session) == []
