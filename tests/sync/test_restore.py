"""`sync restore` (desk/restore.py): a village whose disk died is rebuilt on a fresh PC from the
hub — its own chain, what it must see, the cursor — and goes on numbering cases; its users sign
in with their passwords. Refusals leave nothing behind; a restore killed midway is finished by
running it again. In process (the API behind the test transport), the hub on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.cases import commands
from counter_tui.cases.models import Case
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.desk import restore as restoring
from counter_tui.desk.node import Desk
from counter_tui.desk.restore import RestoreRefused, restore_node
from counter_tui.desk.sync import SyncFailed
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.service import projection_differences, verify
from counter_tui.settings import Settings
from counter_tui.sync.models import SyncLink
from tests.cases.helpers import at, f5
from tests.sync.api import Served, register, served
from tests.sync.helpers import VILLAGE_NAME, VILLAGE_SITE, Site


@pytest.fixture
def api(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with served(db_kind, tmp_path, server) as found:
        register(found)
        yield found


def _code(hub: Site, now: datetime | None = None) -> str:
    """A fresh code for the village, enrolled again at the level it was founded with."""
    from counter_tui.sync.enrolment import enrol

    with write_session(hub.engine) as session:
        return enrol(session, hub.operator, VILLAGE_SITE, VILLAGE_NAME, "town", now or _now())


def _now() -> datetime:
    return datetime.now(UTC)


def _accept(site: Site, hour: int) -> str:
    with write_session(site.engine) as s:
        return commands.accept(s, site.worker, f5(), now=at(11, 9, hour)).case.number


def _worked(api: Served) -> list[str]:
    """Two cases taken in and synced at the village that is about to die."""
    numbers = [_accept(api.village, 9), _accept(api.village, 10)]
    api.desk.sync.run()
    return numbers


def _restore(api: Served, url: str, code: str, **options: object) -> restoring.Restored:
    return restore_node(
        Settings(db_url=url),
        "http://testserver",
        code,
        transport=api.desk.sync.transport,
        **options,  # type: ignore[arg-type]
    )


def _head(engine: object) -> tuple[int, str]:
    with read_session(engine) as s:  # type: ignore[arg-type]
        head = s.get(JournalHead, VILLAGE_SITE)
        assert head is not None
        return head.count, head.last_hash


def test_a_dead_village_is_rebuilt_from_the_hub_and_goes_on_numbering(
    api: Served, tmp_path: Path
) -> None:
    numbers = _worked(api)
    held = _head(api.hub.engine)[0]
    url = f"sqlite:///{tmp_path / 'new-pc.db'}"
    seen: list[tuple[str, int, int | None]] = []

    done = _restore(api, url, _code(api.hub), progress=lambda *step: seen.append(step))

    assert (done.site, done.site_name, done.resumed) == (VILLAGE_SITE, VILLAGE_NAME, False)
    assert done.own == held and done.pulled > 0
    # The catalog and the calendar are reference data, not in the journal: the restored node
    # adopts the hub's in its first round (recorded, and pushed, as every node's adoption is).
    assert _head(make_engine(url)) == _head(api.hub.engine)
    assert any(what == restoring.TAKING_HISTORY for what, _, _ in seen)
    desk = Desk(Settings(db_url=url))
    desk.sync.transport = api.desk.sync.transport
    try:
        with read_session(desk.engine) as s:
            link = s.get(SyncLink, 1)
            assert link is not None and not link.restoring
            assert link.pushed_count == _head(api.hub.engine)[0] and link.pull_cursor > 0
            assert sorted(s.exec(select(Case.number)).all()) == sorted(numbers)
            assert verify(s)[1] is None
            assert projection_differences(s) == []
            # Nothing recorded by the restore itself: the chain is the hub's, event for event.
            mine = s.exec(select(Event.id).where(Event.site == VILLAGE_SITE)).all()
        with read_session(api.hub.engine) as s:
            assert set(mine) == set(
                s.exec(select(Event.id).where(Event.site == VILLAGE_SITE)).all()
            )
        assert desk.accounts.login("li", "secret123").actor is not None
        assert desk.accounts.login("li", "wrong-one").actor is None

        site = Site(desk.engine, api.village.operator, api.village.worker)
        nxt = _accept(site, 11)
        assert nxt == numbers[-1][:-4] + "0003"
        assert desk.sync.run().pushed > 0
        assert _head(desk.engine) == _head(api.hub.engine)
    finally:
        desk.close()


def test_wrong_used_and_expired_codes_are_refused_and_leave_no_file(
    api: Served, tmp_path: Path
) -> None:
    _worked(api)
    target = tmp_path / "new-pc.db"
    url = f"sqlite:///{target}"
    with pytest.raises(RestoreRefused, match="登记码不对"):
        _restore(api, url, "AAAA-BBBB-CCCC")
    assert not target.exists()

    used = _code(api.hub)
    _restore(api, f"sqlite:///{tmp_path / 'other.db'}", used)
    with pytest.raises(RestoreRefused, match="已经用过"):
        _restore(api, url, used)
    assert not target.exists()

    stale = _code(api.hub, now=datetime.now(UTC) - timedelta(days=2))
    with pytest.raises(RestoreRefused, match="已过期"):
        _restore(api, url, stale)
    assert not target.exists()

    with pytest.raises(RestoreRefused, match="不是这个站点"):
        _restore(api, url, _code(api.hub), site="421202-XA-OTHER")
    assert not target.exists()


def test_a_database_in_use_and_a_demo_are_refused_untouched(api: Served, tmp_path: Path) -> None:
    _worked(api)
    before = _head(api.village.engine)
    code = _code(api.hub)
    with pytest.raises(RestoreRefused, match="数据库不是空的"):
        _restore(api, api.village_url, code)
    assert _head(api.village.engine) == before
    target = tmp_path / "demo.db"
    with pytest.raises(RestoreRefused, match="演示"):
        restore_node(
            Settings(db_url=f"sqlite:///{target}", demo=True),
            "http://testserver",
            code,
            transport=api.desk.sync.transport,
        )
    assert not target.exists()
    # The code was not spent on either.
    assert _restore(api, f"sqlite:///{tmp_path / 'new-pc.db'}", code).site == VILLAGE_SITE


def test_a_restore_killed_midway_is_finished_by_running_it_again(
    api: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _worked(api)
    monkeypatch.setattr(restoring, "BATCH_LIMIT", 2)
    url = f"sqlite:///{tmp_path / 'new-pc.db'}"
    code = _code(api.hub)
    pages: list[int] = []

    def killed(what: str, done: int, total: int | None) -> None:
        if what == restoring.TAKING_HISTORY:
            pages.append(done)
            if len(pages) == 3:
                raise KeyboardInterrupt  # as a power cut between two pages

    with pytest.raises(KeyboardInterrupt):
        _restore(api, url, code, progress=killed)
    engine = make_engine(url)
    with read_session(engine) as s:
        link = s.get(SyncLink, 1)
        assert link is not None and link.restoring
        assert 0 < _head(engine)[0] < _head(api.hub.engine)[0]
    engine.dispose()

    half = Desk(Settings(db_url=url))
    half.sync.transport = api.desk.sync.transport
    try:
        with pytest.raises(SyncFailed, match="恢复尚未完成"):
            half.sync.run()
    finally:
        half.close()

    # The code is spent: the rerun goes on with the token it kept.
    done = _restore(api, url, code)
    assert done.resumed
    engine = make_engine(url)
    assert _head(engine) == _head(api.hub.engine)
    with read_session(engine) as s:
        assert verify(s)[1] is None and projection_differences(s) == []
        link = s.get(SyncLink, 1)
        assert link is not None and not link.restoring
    engine.dispose()
    with pytest.raises(RestoreRefused, match="数据库不是空的"):
        _restore(api, url, code)


def test_a_case_decided_at_the_county_comes_back_in_the_hubs_order(
    api: Served, tmp_path: Path
) -> None:
    """The village handed off, the county decided and completed, the village delivered: the
    rebuilt node applies the steps in that order (its own chain first would end 办结, not
    已送达)."""
    from counter_tui.cases import backoffice
    from tests.cases.helpers import ID_ZHANG
    from tests.sync.helpers import handed_off

    case_id = handed_off(api.village)
    api.desk.sync.run()
    hub = api.hub
    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    with write_session(hub.engine) as s:
        backoffice.decide(
            s,
            hub.worker,
            case_id,
            approve=True,
            decision_number="襄食许〔2026〕1号",
            now=at(11, 11),
        )
    with write_session(hub.engine) as s:
        backoffice.complete(s, hub.worker, case_id, now=at(11, 11, 15))
    api.desk.sync.run()
    with write_session(api.village.engine) as s:
        backoffice.deliver(
            s,
            api.village.worker,
            case_id,
            backoffice.Delivery(method="pickup", recipient="applicant", recipient_id=ID_ZHANG),
            now=at(11, 12),
        )
    api.desk.sync.run()

    url = f"sqlite:///{tmp_path / 'new-pc.db'}"
    _restore(api, url, _code(api.hub))

    engine = make_engine(url)
    try:
        with read_session(engine) as s:
            case = s.get(Case, case_id)
            assert case is not None and case.state == "delivered"
            assert projection_differences(s) == []
        with read_session(api.village.engine) as s:
            before = s.get(Case, case_id)
        assert before is not None
        assert (case.state, case.decision_number, case.number) == (
            before.state,
            before.decision_number,
            before.number,
        )
    finally:
        engine.dispose()
