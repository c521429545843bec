"""The sync API over HTTP (in process), on both engines for the hub: enrolment, credentials,
another site's events, broken chains, bad bodies and limits, an unknown event type, and a round
whose answer was lost. Every refusal stores nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.cases import backoffice, commands
from counter_tui.db import read_session, write_session
from counter_tui.desk.node import open_desk
from counter_tui.desk.sync import SyncFailed
from counter_tui.journal.models import UNKNOWN, Event, JournalHead
from counter_tui.journal.service import hash_of, verify
from counter_tui.settings import Settings
from counter_tui.sync.enrolment import revoke
from counter_tui.sync.models import HubEnrolment, HubSite, SyncProblem
from counter_tui.sync.wire import from_wire
from tests.cases.helpers import at, f5
from tests.sync.api import (
    Served,
    append_unknown,
    enrolment_code,
    hub_count,
    own_events,
    push_body,
    register,
    served,
)
from tests.sync.helpers import VILLAGE_SITE


@pytest.fixture
def api(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with served(db_kind, tmp_path, server) as found:
        yield found


@pytest.fixture
def registered(api: Served) -> Served:
    register(api)
    return api


@pytest.fixture
def registered_sqlite(tmp_path: Path) -> Iterator[Served]:
    """For what the hub refuses before it touches its database (the body's shape, size and
    protocol): one engine says all there is to say."""
    with served("sqlite", tmp_path, None) as found:
        register(found)
        yield found


def _case(api: Served) -> str:
    village = api.village
    with write_session(village.engine) as s:
        case_id = commands.accept(s, village.worker, f5(), now=at(11, 9)).case.id
    with write_session(village.engine) as s:
        backoffice.hand_off(s, village.worker, case_id, now=at(11, 9, 14))
    return case_id


def _hub_holds(api: Served) -> int:
    with read_session(api.hub.engine) as s:
        head = s.get(JournalHead, VILLAGE_SITE)
        return head.count if head else 0


def _enroll(api: Served, code: str, site: str = VILLAGE_SITE) -> tuple[int, dict[str, object]]:
    answer = api.client.post("/v1/enroll", json={"protocol": 1, "site": site, "code": code})
    return answer.status_code, answer.json()


# --- enrolment and credentials ------------------------------------------------------------


def test_a_code_is_redeemed_once_for_a_token(api: Served) -> None:
    code = enrolment_code(api.hub)
    status, body = _enroll(api, code)
    assert status == 200 and body["hub_site"] == "421202" and body["token"] and body["hub_time"]

    status, body = _enroll(api, code)
    assert status == 401 and "已经用过" in str(body["detail"])
    with read_session(api.hub.engine) as s:
        row = s.get(HubSite, VILLAGE_SITE)
        assert row is not None and row.token_hash  # only the first redemption's token


@pytest.mark.parametrize("case", ["wrong", "other-site", "expired"])
def test_a_bad_code_is_refused_and_nothing_is_stored(api: Served, case: str) -> None:
    code = enrolment_code(api.hub)
    site = VILLAGE_SITE
    if case == "wrong":
        code = "AAAA-BBBB-CCCC"
    elif case == "other-site":
        site = "421202-XA-ZZZ"
    else:
        with write_session(api.hub.engine) as s:
            for row in s.exec(select(HubEnrolment)).all():
                row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
                s.add(row)

    status, body = _enroll(api, code, site)

    assert status == 401 and body["detail"] and body["hub_time"]
    with read_session(api.hub.engine) as s:
        row = s.get(HubSite, VILLAGE_SITE)
        assert row is not None and row.token_hash == "" and row.registered_at is None
        assert all(e.used_at is None for e in s.exec(select(HubEnrolment)).all())


def test_the_node_registers_through_its_door_and_a_wrong_code_says_why(api: Served) -> None:
    with pytest.raises(SyncFailed, match="登记码不对"):
        api.desk.sync.register("http://testserver", "AAAA-BBBB-CCCC")
    register(api)
    status = api.desk.sync.status()
    assert status.registered and status.hub_name == "襄城区政务服务中心"


@pytest.mark.parametrize("token", ["", "not-a-token", "revoked"])
def test_a_wrong_or_revoked_token_is_refused_everywhere(registered: Served, token: str) -> None:
    api = registered
    _case(api)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if token == "revoked":
        headers = api.as_village()
        with write_session(api.hub.engine) as s:
            revoke(s, VILLAGE_SITE, datetime.now(UTC))
    calls = [
        api.client.get("/v1/sync/head", headers=headers),
        api.client.get("/v1/sync/pull", headers=headers),
        api.client.post("/v1/sync/push", headers=headers, json=push_body(own_events(api.village))),
    ]
    for answer in calls:
        assert answer.status_code == 401, answer.text
        assert answer.json()["detail"] and answer.headers["www-authenticate"] == "Bearer"
    assert _hub_holds(api) == 0
    if token == "revoked":  # the village itself hears it, in Chinese
        with pytest.raises(SyncFailed, match="撤销"):
            api.desk.sync.run()


# --- what a push may carry ----------------------------------------------------------------


def test_another_sites_events_are_forbidden_and_nothing_is_stored(registered: Served) -> None:
    api = registered
    _case(api)
    events = own_events(api.village)
    foreign = [dict(e, site="421202-XA-ZZZ") for e in events]
    events_before = hub_count(api.hub, Event)

    as_other = api.client.post(
        "/v1/sync/push", headers=api.as_village(), json=push_body(events, "421202-XA-ZZZ")
    )
    mixed = api.client.post(
        "/v1/sync/push", headers=api.as_village(), json=push_body([*events[:2], *foreign[2:3]])
    )

    assert as_other.status_code == 403 and "421202-XA-ZZZ" in as_other.json()["detail"]
    assert mixed.status_code == 403 and "421202-XA-ZZZ" in mixed.json()["detail"]
    assert hub_count(api.hub, Event) == events_before and _hub_holds(api) == 0


def test_a_gap_is_refused_with_the_reason_and_nothing_is_half_applied(registered: Served) -> None:
    api = registered
    _case(api)
    events = own_events(api.village)
    before = hub_count(api.hub, Event)

    answer = api.client.post(
        "/v1/sync/push", headers=api.as_village(), json=push_body([events[0], *events[2:]])
    )

    assert answer.status_code == 409 and "不接续" in answer.json()["detail"]
    assert hub_count(api.hub, Event) == before and _hub_holds(api) == 0
    with read_session(api.hub.engine) as s:
        assert [p.kind for p in s.exec(select(SyncProblem)).all()] == ["chain"]


def test_a_fork_is_refused_after_the_good_part_was_taken(registered: Served) -> None:
    api = registered
    _case(api)
    events = own_events(api.village)
    ok = api.client.post("/v1/sync/push", headers=api.as_village(), json=push_body(events))
    assert ok.status_code == 200 and ok.json()["stored"] == len(events)
    # Another history after the same first event: the hub holds the original.
    fork = dict(events[1], id="019b0000-0000-7000-8000-000000000001", actor="someone")
    fork["hash"] = hash_of(from_wire(fork))
    before = hub_count(api.hub, Event)

    answer = api.client.post("/v1/sync/push", headers=api.as_village(), json=push_body([fork]))

    assert answer.status_code == 409 and "分叉" in answer.json()["detail"]
    assert hub_count(api.hub, Event) == before and _hub_holds(api) == len(events)


def test_the_same_id_with_other_content_is_tampering_shown_to_the_admin(
    registered: Served,
) -> None:
    api = registered
    _case(api)
    events = own_events(api.village)
    api.client.post("/v1/sync/push", headers=api.as_village(), json=push_body(events))
    altered = dict(events[-1], actor="someone")
    altered["hash"] = hash_of(from_wire(altered))

    answer = api.client.post("/v1/sync/push", headers=api.as_village(), json=push_body([altered]))

    assert answer.status_code == 409 and "篡改" in answer.json()["detail"]
    with read_session(api.hub.engine) as s:
        problem = s.exec(select(SyncProblem)).one()
        assert problem.kind == "tampered" and problem.event_id == altered["id"]
        assert problem.site == VILLAGE_SITE


# --- bad bodies and limits ----------------------------------------------------------------


def test_malformed_json_is_422_with_the_reason(registered_sqlite: Served) -> None:
    answer = registered_sqlite.client.post(
        "/v1/sync/push",
        headers=registered_sqlite.as_village() | {"Content-Type": "application/json"},
        content=b'{"protocol": 1, "site": ',
    )
    assert answer.status_code == 422 and "JSON" in answer.json()["detail"]


def test_an_unknown_field_is_422_naming_it(registered_sqlite: Served) -> None:
    api = registered_sqlite
    _case(api)
    body = push_body(own_events(api.village)) | {"extra": 1}
    event = dict(own_events(api.village)[0], colour="red")

    top = api.client.post("/v1/sync/push", headers=api.as_village(), json=body)
    inner = api.client.post("/v1/sync/push", headers=api.as_village(), json=push_body([event]))

    assert top.status_code == 422 and "extra" in top.json()["detail"]
    assert inner.status_code == 422 and "colour" in inner.json()["detail"]
    assert _hub_holds(api) == 0


def test_a_batch_over_500_events_is_413(registered_sqlite: Served) -> None:
    api = registered_sqlite
    _case(api)
    one = own_events(api.village)[0]
    answer = api.client.post("/v1/sync/push", headers=api.as_village(), json=push_body([one] * 501))
    assert answer.status_code == 413 and "500" in answer.json()["detail"]


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_8_mib_is_413(registered_sqlite: Served, streamed: bool) -> None:
    api = registered_sqlite
    big = json.dumps(push_body([]) | {"pad": "x" * (8 * 1024 * 1024)}).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    answer = api.client.post(
        "/v1/sync/push",
        headers=api.as_village() | {"Content-Type": "application/json"},
        content=chunks() if streamed else big,
    )
    assert answer.status_code == 413 and "MiB" in answer.json()["detail"]


@pytest.mark.parametrize("extra", [{}, {"compression": "zstd"}], ids=["same-fields", "new-field"])
def test_another_protocol_version_is_426(registered_sqlite: Served, extra: dict[str, str]) -> None:
    api = registered_sqlite
    body = push_body([]) | {"protocol": 2} | extra
    answer = api.client.post("/v1/sync/push", headers=api.as_village(), json=body)
    enrol = api.client.post("/v1/enroll", json={"protocol": 2, "site": VILLAGE_SITE, "code": "X"})
    assert answer.status_code == 426 and "版本 2" in answer.json()["detail"]
    assert enrol.status_code == 426


def test_health_and_the_published_schema(api: Served) -> None:
    health = api.client.get("/v1/health").json()
    assert health["status"] == "ok" and health["hub_site"] == "421202" and health["protocol"] == 1
    schema = api.client.get("/openapi.json").json()
    assert {"/v1/enroll", "/v1/sync/head", "/v1/sync/push", "/v1/sync/pull", "/v1/health"} <= set(
        schema["paths"]
    )
    push = schema["components"]["schemas"]["PushRequest"]
    assert push["additionalProperties"] is False


# --- an unknown event type, a lost answer -------------------------------------------------


def test_an_unknown_type_is_stored_flagged_and_does_not_block_what_follows(
    registered: Served,
) -> None:
    api = registered
    first = _case(api)
    unknown = append_unknown(api.village, "future.thing", {"note": "from a newer node"})
    second = _case(api)

    done = api.desk.sync.run()

    assert done.pushed == len(own_events(api.village))
    with read_session(api.hub.engine) as s:
        stored = s.get(Event, unknown)
        assert stored is not None and stored.status == UNKNOWN
        kinds = [p.kind for p in s.exec(select(SyncProblem)).all()]
        assert kinds == ["unknown_type"]
        from counter_tui.cases.models import Case

        for case_id in (first, second):
            case = s.get(Case, case_id)
            assert case is not None and case.state == "handed_off"
        assert verify(s)[1] is None


def test_an_answer_lost_after_the_hub_committed_costs_no_duplicate(registered: Served) -> None:
    api = registered
    _case(api)
    events = own_events(api.village)
    # The push reached the hub and committed; the node never heard (its pushed_count stays 0).
    sent = api.client.post("/v1/sync/push", headers=api.as_village(), json=push_body(events))
    assert sent.status_code == 200
    assert api.desk.sync.status().pending == len(events)

    done = api.desk.sync.run()

    assert done.pushed == 0 and done.status.pending == 0
    assert _hub_holds(api) == len(events)
    with read_session(api.hub.engine) as s:
        ids = [e.id for e in s.exec(select(Event).where(Event.site == VILLAGE_SITE)).all()]
        assert sorted(ids) == sorted(e["id"] for e in events)


def test_a_step_that_lost_at_the_hub_comes_back_to_its_clerk(registered: Served) -> None:
    api = registered
    case_id = _case(api)
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
            decision_number="襄食许〔2026〕3号",
            now=at(11, 11),
        )
    village = api.village
    with write_session(village.engine) as s:
        backoffice.withdraw(s, village.worker, case_id, reason="申请人撤回", now=at(11, 11, 10))

    done = api.desk.sync.run()

    assert [(r.author, r.action) for r in done.rejections] == [("li", "撤回")]
    assert "准予许可" in done.rejections[0].reason
    assert api.desk.sync.rejections_of("li")[0].case_id == case_id
    # Unread until shown to li (at the window or at the next sign-in), then not again.
    unread = api.desk.sync.rejections_of("li", unread=True)
    assert [r.case_id for r in unread] == [case_id]
    api.desk.sync.mark_read(unread)
    api.desk.sync.mark_read(unread)  # shown twice (two windows): still one notice
    assert api.desk.sync.rejections_of("li", unread=True) == []
    assert api.desk.sync.rejections_of("wang", unread=True) == []
    assert len(api.desk.sync.rejections_of("li")) == 1  # the record itself stays
    # The village's timeline names who turned the step down: the county, not "hub:root".
    detail = api.desk.cases.detail(case_id, at(11, 12).date())
    assert detail is not None and detail.intake_site == ""  # taken in here
    assert [s.actor for s in detail.steps if "未生效" in s.summary] == ["县级中心"]
    # At the hub, the case says which village took it in.
    hub_desk = open_desk(Settings(db_url=api.hub_url))
    try:
        at_hub = hub_desk.cases.detail(case_id, at(11, 12).date())
        assert at_hub is not None and at_hub.intake_site.endswith(f"（{VILLAGE_SITE}）")
    finally:
        hub_desk.close()
    from counter_tui.cases.models import Case

    for site in (hub, village):
        with read_session(site.engine) as s:
            case = s.get(Case, case_id)
            assert case is not None and case.state == "approved"
            assert verify(s)[1] is None
