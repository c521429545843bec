"""The journal: one write path, a tamper-evident hash chain, a clock that never runs backwards,
and projections that can be rebuilt from the log alone (DESIGN §4.1–4.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from counter_tui.accounts.service import authenticate, change_password, create_user, set_disabled
from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.journal import rules, service
from counter_tui.journal.events import UnknownEventType
from counter_tui.journal.models import JournalHead
from counter_tui.journal.registry import projection_tables
from counter_tui.journal.service import record, replay, verify
from counter_tui.site.models import Site
from tests.conftest import Node
from tests.core.helpers import dump_projections, event_types, events, execute, import_test_catalog


def add_site(node: Node, code: str, name: str = "某村便民服务室") -> str:
    """Record one cheap, real event (a site becoming known) and return its id."""
    with write_session(node.engine) as session:
        return record(session, node.operator, "site.created", {"code": code, "name": name}).id


def test_record_appends_the_event_and_applies_it(node: Node) -> None:
    before = len(events(node.engine))

    event_id = add_site(node, "421202-XA-DHC", "东湖村便民服务室")

    journal = events(node.engine)
    assert len(journal) == before + 1
    event = journal[-1]
    assert event.id == event_id
    assert (event.site, event.actor, event.type) == (node.site, node.operator.label, "site.created")
    assert event.payload == '{"code":"421202-XA-DHC","name":"东湖村便民服务室"}'
    with read_session(node.engine) as session:
        site = session.get(Site, "421202-XA-DHC")
        head = session.get(JournalHead, node.site)
    assert site is not None and site.name == "东湖村便民服务室"
    assert head is not None and (head.count, head.last_hash) == (before + 1, event.hash)


def test_a_failed_transaction_leaves_neither_event_nor_projection(node: Node) -> None:
    before = events(node.engine)

    with pytest.raises(RuntimeError), write_session(node.engine) as session:
        record(session, node.operator, "site.created", {"code": "421202-XA-DHC", "name": "东湖村"})
        raise RuntimeError("the clerk's PC lost power here")

    assert events(node.engine) == before
    with read_session(node.engine) as session:
        assert session.get(Site, "421202-XA-DHC") is None


def test_an_event_type_without_handler_is_refused_and_not_stored(node: Node) -> None:
    before = events(node.engine)

    with pytest.raises(UnknownEventType), write_session(node.engine) as session:
        record(session, node.operator, "case.teleported", {})

    assert events(node.engine) == before


def test_every_event_links_to_the_previous_one_by_hash(node: Node) -> None:
    add_site(node, "421202-XA-DHC")
    add_site(node, "421202-XA-XJW")

    journal = events(node.engine)
    assert len(journal) == 4
    previous = rules.GENESIS
    for event in journal:
        assert event.prev_hash == previous
        assert event.hash == rules.event_hash(
            id=event.id,
            site=event.site,
            actor=event.actor,
            hlc=event.hlc,
            type=event.type,
            payload=event.payload,
            prev_hash=event.prev_hash,
        )
        previous = event.hash
    assert len({event.hash for event in journal}) == len(journal)


def test_a_session_reused_after_commit_appends_after_the_real_tip(node: Node) -> None:
    """Another writer may append between two transactions of a long-lived session that still
    holds the chain's tip (say, to show the event count)."""
    with Session(node.engine, expire_on_commit=False) as long_lived:
        record(long_lived, node.operator, "site.created", {"code": "421202-XA-A", "name": "甲"})
        long_lived.commit()
        tip = long_lived.get(JournalHead, node.site)
        long_lived.commit()  # ends the read (on SQLite a stale snapshot could never write)
        add_site(node, "421202-XA-B")  # another window, its own session
        record(long_lived, node.operator, "site.created", {"code": "421202-XA-C", "name": "丙"})
        long_lived.commit()
        assert tip is not None and tip.count == 5

    with read_session(node.engine) as session:
        assert verify(session) == (5, None)


def test_verify_passes_an_untouched_journal(node: Node) -> None:
    add_site(node, "421202-XA-DHC")

    with read_session(node.engine) as session:
        checked, breach = verify(session)

    assert (checked, breach) == (3, None)


def test_verify_names_an_event_whose_payload_was_altered_with_sql(node: Node) -> None:
    target = add_site(node, "421202-XA-DHC", "东湖村")
    add_site(node, "421202-XA-XJW")

    changed = execute(
        node.engine,
        "UPDATE event SET payload = :payload WHERE id = :id",
        payload='{"code":"421202-XA-DHC","name":"西湖村"}',
        id=target,
    )
    assert changed == 1

    with read_session(node.engine) as session:
        _, breach = verify(session)
    assert breach is not None
    assert (breach.event_id, breach.site, breach.position) == (target, node.site, 3)
    assert "改动" in breach.reason


def test_verify_catches_an_altered_event_whose_hash_was_recomputed(node: Node) -> None:
    """A tamperer who also fixes the event's own hash still breaks the next event's link."""
    target = add_site(node, "421202-XA-DHC", "东湖村")
    following = add_site(node, "421202-XA-XJW")
    original = next(e for e in events(node.engine) if e.id == target)
    forged_payload = '{"code":"421202-XA-DHC","name":"西湖村"}'
    forged_hash = rules.event_hash(
        id=original.id,
        site=original.site,
        actor=original.actor,
        hlc=original.hlc,
        type=original.type,
        payload=forged_payload,
        prev_hash=original.prev_hash,
    )
    execute(
        node.engine,
        "UPDATE event SET payload = :p, hash = :h WHERE id = :id",
        p=forged_payload,
        h=forged_hash,
        id=target,
    )

    with read_session(node.engine) as session:
        _, breach = verify(session)
    assert breach is not None and breach.event_id == following


def test_verify_names_the_event_after_a_deleted_one(node: Node) -> None:
    deleted = add_site(node, "421202-XA-DHC")
    following = add_site(node, "421202-XA-XJW")

    assert execute(node.engine, "DELETE FROM event WHERE id = :id", id=deleted) == 1

    with read_session(node.engine) as session:
        _, breach = verify(session)
    assert breach is not None
    assert breach.event_id == following
    assert "删除" in breach.reason


def test_verify_catches_a_deleted_last_event(node: Node) -> None:
    last = add_site(node, "421202-XA-DHC")

    assert execute(node.engine, "DELETE FROM event WHERE id = :id", id=last) == 1

    with read_session(node.engine) as session:
        checked, breach = verify(session)
    assert checked == 2
    assert breach is not None and breach.site == node.site
    assert "末尾" in breach.reason


def test_verify_catches_a_deleted_chain_tip(node: Node) -> None:
    """Deleting the head row must not make a site's events disappear from the check."""
    assert execute(node.engine, "DELETE FROM journal_head WHERE site = :s", s=node.site) == 1

    with read_session(node.engine) as session:
        _, breach = verify(session)
    assert breach is not None and breach.site == node.site


def test_the_clock_never_goes_backwards_when_the_pc_clock_is_set_back(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    last_wall, _ = rules.parse_hlc(events(node.engine)[-1].hlc)
    wall = {"now": last_wall + 60_000}
    monkeypatch.setattr(service, "_now_ms", lambda: wall["now"])

    add_site(node, "421202-XA-A")
    wall["now"] -= 3_600_000  # someone sets the PC's clock back an hour
    add_site(node, "421202-XA-B")
    add_site(node, "421202-XA-C")
    wall["now"] = last_wall + 120_000  # the clock is right again
    add_site(node, "421202-XA-D")

    stamps = [e.hlc for e in events(node.engine)][-4:]
    assert [rules.parse_hlc(s) for s in stamps] == [
        (last_wall + 60_000, 0),
        (last_wall + 60_000, 1),
        (last_wall + 60_000, 2),
        (last_wall + 120_000, 0),
    ]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    with read_session(node.engine) as session:
        assert verify(session)[1] is None


def _busy_history(node: Node, folder: Path) -> None:
    """Events touching every projection: sites, users in every state, logins of every outcome."""
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    import_test_catalog(node, folder)  # an approver's department must be in the catalog
    with write_session(node.engine) as session:
        create_user(
            session,
            node.operator,
            username="li",
            display_name="李四",
            role="clerk",
            password="li-pass-123",
            now=start,
        )
        create_user(
            session,
            node.operator,
            username="wang",
            display_name="王芳",
            role="approver",
            department="SCJG",
            password="wang-pass-1",
            now=start,
        )
        record(session, node.operator, "site.created", {"code": "421202-XA-DHC", "name": "东湖村"})
    # Sites known from another site's events (as sync would bring them).
    other = Actor(username="cli:hub", role="admin", site="421200")
    with write_session(node.engine) as session:
        record(session, other, "site.created", {"code": "421200", "name": "襄阳市县级平台"})
    with write_session(node.engine) as session:
        assert authenticate(session, "li", "li-pass-123", site=node.site, now=start).actor
        for n in range(5):
            authenticate(session, "wang", "wrong", site=node.site, now=start + timedelta(seconds=n))
        authenticate(session, "nobody", "x", site=node.site, now=start)
        change_password(session, node.operator, "li", "li-pass-456")
        set_disabled(session, node.operator, "li", True)
        set_disabled(session, node.operator, "li", False)
        set_disabled(session, node.operator, "admin", True)


def test_replay_rebuilds_every_projection_exactly(node: Node, tmp_path: Path) -> None:
    _busy_history(node, tmp_path / "catalog")
    before = dump_projections(node.engine)
    assert set(before) == {t.__tablename__ for t in projection_tables()}
    # The case and queue tables have their own busy days (tests/cases/test_replay.py,
    # tests/queue/test_service.py).
    own_tests = {"cases", "case_deferral", "case_notice", "case_pause", "case_step", "applicant"}
    own_tests.add("case_rejection")  # tests/sync/test_protocol.py, tests/core/test_events.py
    own_tests |= {t for t in before if t.startswith("queue_")}
    # Ratings, hard cases and 帮代办: every event of theirs is replayed and compared in
    # tests/core/test_events.py (run_feedback, run_hard_cases).
    own_tests |= {"rating", "rating_followup", "hard_case", "hard_case_request"}
    own_tests |= {"hard_case_step", "assist"}
    assert all(rows for table, rows in before.items() if table not in own_tests), (
        "every projection table should hold rows for this test to mean much"
    )
    assert any(u["locked_until"] for u in before["user_account"])
    # Damage the projections in every way: replay must rebuild from the journal alone.
    execute(node.engine, "UPDATE user_account SET display_name = 'x', failed_logins = 99")
    execute(node.engine, "DELETE FROM site WHERE code = '421202-XA-DHC'")
    execute(node.engine, "INSERT INTO site (code, name) VALUES ('999999', 'not in the journal')")
    assert dump_projections(node.engine) != before

    with write_session(node.engine) as session:
        applied = replay(session)

    assert applied == len(events(node.engine))
    assert dump_projections(node.engine) == before
    with read_session(node.engine) as session:
        assert verify(session) == (applied, None)  # two sites' chains, untouched by the replay
    assert event_types(node.engine).count("user.locked") == 1
