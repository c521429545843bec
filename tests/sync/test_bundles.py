"""Sync by file (docs/sync.md, "Sync by file"): a village's export taken at the hub, the reply
taken at the village; the same bundle twice, an export whose events came online already, an old
reply after a newer one: nothing changes; online and file sync alternate in any order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui import __version__
from counter_tui.cases import backoffice
from counter_tui.cases.models import Case
from counter_tui.db import read_session, write_session
from counter_tui.desk.node import Desk
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.service import projection_differences, verify
from counter_tui.sync.bundle import open_bundle
from counter_tui.sync.models import HubSite, NodeKey, SyncLink
from tests.cases.helpers import ID_ZHANG, at
from tests.sync.bundles import ADMIN, Ends, ends, link_of, snapshot, village_events_at
from tests.sync.helpers import VILLAGE_SITE, Site, handed_off


@pytest.fixture
def pair_ends(tmp_path: Path) -> Iterator[Ends]:
    with ends("sqlite", tmp_path) as found:
        yield found


def _state(desk: Desk, case_id: str) -> str:
    with read_session(desk.engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        return case.state


def _decide(hub: Site, case_id: str, number: str) -> None:
    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    with write_session(hub.engine) as s:
        backoffice.decide(
            s, hub.worker, case_id, approve=True, decision_number=number, now=at(11, 11)
        )
    with write_session(hub.engine) as s:
        backoffice.complete(s, hub.worker, case_id, now=at(11, 11, 15))


def _own_count(desk: Desk) -> int:
    with read_session(desk.engine) as s:
        head = s.get(JournalHead, VILLAGE_SITE)
        return head.count if head else 0


def _both_verify(*desks: Desk) -> None:
    for desk in desks:
        with read_session(desk.engine) as s:
            assert verify(s)[1] is None
            assert projection_differences(s) == []


def _village_chain(desk: Desk) -> list[str]:
    with read_session(desk.engine) as s:
        rows = s.exec(select(Event.hash).where(Event.site == VILLAGE_SITE).order_by(Event.hlc))
        return list(rows.all())


@pytest.mark.parametrize("db_kind", ["sqlite", "postgres"])
def test_a_case_goes_by_file_and_its_decision_comes_back_by_file(
    db_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The whole loop on each engine of the hub: export, hub import, reply, and back."""
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with ends(db_kind, tmp_path, server) as e:
        case_id = handed_off(e.served.village)
        bundle = e.export()
        assert link_of(e.village).pushed_count == 0  # an export marks nothing pushed
        imported = e.hub.files.import_bundle(ADMIN, bundle, tmp_path / "reply1.ctb")
        assert imported.site == VILLAGE_SITE and imported.stored == _own_count(e.village)
        assert imported.repeated == 0
        assert _state(e.hub, case_id) == "handed_off"
        taken = e.village.files.take_reply(imported.reply)
        assert taken.rejections == [] and taken.flagged == 0
        assert link_of(e.village).pushed_count == _own_count(e.village)
        assert e.village.sync.status().pending == 0

        _decide(e.served.hub, case_id, "襄食许〔2026〕7号")
        second = e.hub_import(e.export("out2.ctb"), "reply2.ctb")
        assert e.village.files.take_reply(second).applied >= 3
        assert _state(e.village, case_id) == "completed"

        with write_session(e.served.village.engine) as s:
            backoffice.deliver(
                s,
                e.served.village.worker,
                case_id,
                backoffice.Delivery(method="pickup", recipient="applicant", recipient_id=ID_ZHANG),
                now=at(11, 12),
            )
        e.village.files.take_reply(e.hub_import(e.export("out3.ctb"), "reply3.ctb"))
        assert _state(e.hub, case_id) == "delivered"
        assert _village_chain(e.hub) == _village_chain(e.village)
        _both_verify(e.village, e.hub)


def test_the_same_bundle_twice_and_the_same_reply_twice_change_nothing(pair_ends: Ends) -> None:
    e = pair_ends
    handed_off(e.served.village)
    bundle = e.export()
    reply = e.hub_import(bundle)
    hub_before = snapshot(e.hub)

    again = e.hub.files.import_bundle(ADMIN, bundle, e.folder / "reply-again.ctb")
    assert again.stored == 0 and again.repeated == _own_count(e.village)
    assert snapshot(e.hub) == hub_before
    assert again.reply.exists()  # the reply is still written

    e.village.files.take_reply(reply)
    village_before, link_before = snapshot(e.village), link_of(e.village)
    twice = e.village.files.take_reply(reply)
    assert twice.applied == 0 and twice.reference == []
    assert snapshot(e.village) == village_before
    after = link_of(e.village)
    assert (after.pull_cursor, after.pushed_count) == (
        link_before.pull_cursor,
        link_before.pushed_count,
    )
    e.village.files.take_reply(again.reply)  # the second reply: the same again
    assert snapshot(e.village) == village_before
    _both_verify(e.village, e.hub)


def test_an_export_whose_events_already_came_online_changes_nothing(pair_ends: Ends) -> None:
    e = pair_ends
    handed_off(e.served.village)
    bundle = e.export()
    e.village.sync.run()  # the line came back before the stick reached the county
    hub_before = snapshot(e.hub)
    imported = e.hub.files.import_bundle(ADMIN, bundle, e.folder / "reply.ctb")
    assert imported.stored == 0 and imported.repeated == _own_count(e.village)
    assert snapshot(e.hub) == hub_before
    village_before = snapshot(e.village)
    assert e.village.files.take_reply(imported.reply).applied == 0
    assert snapshot(e.village) == village_before
    _both_verify(e.village, e.hub)


def test_an_old_reply_after_a_newer_one_changes_nothing(pair_ends: Ends) -> None:
    e = pair_ends
    case_id = handed_off(e.served.village)
    old = e.hub_import(e.export(), "old.ctb")
    _decide(e.served.hub, case_id, "襄食许〔2026〕8号")
    new = e.hub_import(e.export("out2.ctb"), "new.ctb")
    e.village.files.take_reply(new)
    assert _state(e.village, case_id) == "completed"
    village_before, link_before = snapshot(e.village), link_of(e.village)
    taken = e.village.files.take_reply(old)
    assert taken.applied == 0 and taken.reference == []
    assert snapshot(e.village) == village_before
    after = link_of(e.village)
    assert after.pull_cursor == link_before.pull_cursor
    assert after.pushed_count == link_before.pushed_count
    assert after.reply_made_at == link_before.reply_made_at


def test_online_and_file_sync_alternate_in_any_order(pair_ends: Ends) -> None:
    e = pair_ends
    village = e.served.village
    first = handed_off(village)
    e.village.sync.run()  # online
    second = handed_off(village)
    stick = e.export("a.ctb")  # by file, but the reply comes back late
    fourth = handed_off(village)
    e.village.sync.run()  # online again: the stick's events arrive this way
    imported = e.hub.files.import_bundle(ADMIN, stick, e.folder / "late.ctb")
    late = imported.reply
    # The hub holds more of the site's chain than the stick knew (the online round after it):
    # the reply gives those back, and the village, holding them, takes back nothing.
    assert imported.given_back > 0
    _decide(e.served.hub, first, "襄食许〔2026〕9号")
    third = handed_off(village)
    e.village.files.take_reply(e.hub_import(e.export("b.ctb"), "b-reply.ctb"))
    taken = e.village.files.take_reply(late)  # the late reply: older than what was taken
    assert (taken.recovered, taken.rechained, taken.renumbered) == (0, 0, [])
    e.village.sync.run()
    assert _state(e.village, first) == "completed"
    assert {_state(e.hub, c) for c in (second, third, fourth)} == {"handed_off"}
    assert e.village.sync.status().pending == 0
    assert _village_chain(e.hub) == _village_chain(e.village)
    assert village_events_at(e.hub) == village_events_at(e.village)
    _both_verify(e.village, e.hub)


def test_a_link_registered_before_keys_sends_its_key_on_its_next_online_round(
    pair_ends: Ends,
) -> None:
    e = pair_ends
    with write_session(e.village.engine) as s:  # as a link made before migration 0015
        s.delete(s.get(NodeKey, 1))
        link = s.get(SyncLink, 1)
        assert link is not None
        link.hub_public_key = ""
        s.add(link)
    with write_session(e.hub.engine) as s:
        site = s.get(HubSite, VILLAGE_SITE)
        assert site is not None
        site.public_key = ""
        s.add(site)
    with pytest.raises(Exception, match="还没有签名密钥"):
        e.export()

    e.village.sync.run()
    with read_session(e.village.engine) as s:
        mine = s.get(NodeKey, 1)
        assert mine is not None
        hub_key = link_of(e.village).hub_public_key
    with read_session(e.hub.engine) as s:
        site = s.get(HubSite, VILLAGE_SITE)
        assert site is not None and site.public_key == mine.public_key
        theirs = s.get(NodeKey, 1)
        assert theirs is not None and theirs.public_key == hub_key
    handed_off(e.served.village)
    e.village.files.take_reply(e.hub_import(e.export()))
    assert e.village.sync.status().pending == 0


def test_the_hub_keeps_the_key_it_has_and_online_sync_goes_on(pair_ends: Ends) -> None:
    """A second key for a site that has one is refused (409); the round still syncs."""
    e = pair_ends
    with write_session(e.village.engine) as s:
        s.delete(s.get(NodeKey, 1))
        link = s.get(SyncLink, 1)
        assert link is not None
        link.hub_public_key = ""
        s.add(link)
    with read_session(e.hub.engine) as s:
        kept = s.get(HubSite, VILLAGE_SITE).public_key  # type: ignore[union-attr]
    handed_off(e.served.village)
    answer = e.served.client.put(
        "/v1/sync/key",
        json={"protocol": 1, "public_key": "A" * 43 + "="},
        headers=e.served.as_village(),
    )
    assert answer.status_code == 409 and "另一把公钥" in answer.json()["detail"]
    done = e.village.sync.run()
    assert done.pushed > 0 and e.village.sync.status().pending == 0
    with read_session(e.hub.engine) as s:
        assert s.get(HubSite, VILLAGE_SITE).public_key == kept  # type: ignore[union-attr]
    assert link_of(e.village).hub_public_key == ""


def _catalog_digest(desk: Desk) -> str:
    from counter_tui.sync.reference import digests

    with read_session(desk.engine) as s:
        return str(digests(s, published=True)["catalog"])


def _hub_catalog(e: Ends, folder: Path) -> None:
    from counter_tui.catalog.loader import load_catalog
    from counter_tui.catalog.service import import_catalog

    with write_session(e.hub.engine) as s:
        import_catalog(s, e.served.hub.operator, load_catalog(folder))


def test_a_reply_brings_the_hubs_catalog_and_an_older_reply_never_undoes_a_newer(
    pair_ends: Ends,
) -> None:
    from tests.catalog.helpers import write_catalog
    from tests.sync.helpers import catalog_folder

    e = pair_ends
    county = catalog_folder(e.folder / "county-catalog")
    ours = _catalog_digest(e.village)
    _hub_catalog(e, write_catalog(e.folder / "small-catalog"))
    old = e.hub_import(e.export("1.ctb"), "1r.ctb")
    assert open_bundle(old).body["reference"]["catalog"] is not None  # the small one
    _hub_catalog(e, county)  # the county goes back to the catalog the village has
    newer = e.hub_import(e.export("2.ctb"), "2r.ctb")
    assert e.village.files.take_reply(newer).reference == []
    assert e.village.files.take_reply(old).reference == []  # older: its catalog not adopted
    assert _catalog_digest(e.village) == ours

    _hub_catalog(e, write_catalog(e.folder / "small-catalog-2"))
    taken = e.village.files.take_reply(e.hub_import(e.export("3.ctb"), "3r.ctb"))
    assert taken.reference == ["事项目录"]
    assert _catalog_digest(e.village) == _catalog_digest(e.hub) != ours
    assert e.village.files.take_reply(e.hub_import(e.export("4.ctb"), "4r.ctb")).reference == []
    _both_verify(e.village, e.hub)


def test_only_an_administrator_imports_at_the_hub_and_the_site_is_seen(pair_ends: Ends) -> None:
    from counter_tui.actor import Actor
    from counter_tui.errors import PermissionDenied

    e = pair_ends
    handed_off(e.served.village)
    bundle = e.export()
    before = snapshot(e.hub)
    with pytest.raises(PermissionDenied):
        e.hub.files.import_bundle(Actor("wang", "approver", "421202"), bundle, e.folder / "r.ctb")
    assert snapshot(e.hub) == before
    e.hub_import(bundle)
    (seen,) = [s for s in e.hub.hub.sites() if s.site == VILLAGE_SITE]
    # The sync desk says the site was last heard from by file, running this program.
    assert seen.last_seen_at is not None and seen.contact_via == "file"
    assert seen.app_version == __version__


def test_a_village_syncing_only_by_file_hears_of_its_events_the_hub_could_not_apply(
    pair_ends: Ends,
) -> None:
    """The reply says what `head` says online: which of the site's events wait in the hub's
    quarantine, and why; the village keeps the list for its sync status."""
    from tests.sync.api import append_unknown
    from tests.sync.quarantine_helpers import NEWER_TYPE

    e = pair_ends
    event_id = append_unknown(e.served.village, NEWER_TYPE, {"item": "F-5", "url": "u"}, "*")
    assert e.village.sync.held_at_hub() == []
    e.village.files.take_reply(e.hub_import(e.export()))
    (held,) = e.village.sync.held_at_hub()
    assert (held.event_id, held.type) == (event_id, NEWER_TYPE)
