"""The event catalogue (docs/events.md): every declared type has a handler and every handler a
declaration; every type round-trips through record → replay; record() refuses a payload that
does not match its declaration; payloads written by older nodes (a field missing) and newer ones
(a field unknown here) still apply; the catalogue in docs/events.md is the declarations'."""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.accounts import events as accounts_events
from counter_tui.accounts.models import UnknownLogin
from counter_tui.accounts.service import authenticate, change_password, set_disabled
from counter_tui.actor import Actor
from counter_tui.cases import backoffice
from counter_tui.cases import commands as cases
from counter_tui.cases import events as case_events
from counter_tui.cases.backoffice import Delivery
from counter_tui.cases.intake import DEFERRED, MISSING, RECEIVED, Intake, Mark, Party
from counter_tui.cases.models import Case
from counter_tui.db import read_session, write_session
from counter_tui.feedback import followups, ratings
from counter_tui.ids import new_id
from counter_tui.journal.events import (
    PayloadMismatch,
    UnknownEventType,
    declare,
    declared,
    decode,
)
from counter_tui.journal.models import Event
from counter_tui.journal.registry import apply, handlers
from counter_tui.journal.service import projection_differences, record
from counter_tui.queue import appointments, config
from counter_tui.queue import commands as queue
from counter_tui.site.events import SITE_CREATED, SiteCreated
from counter_tui.site.models import Site
from tests.cases.catalog import F5, Hall, open_hall
from tests.conftest import HALL, Node
from tests.core.helpers import event_types, events
from tests.queue.hall import OPENING
from tests.queue.hall import Hall as QueueHall

DOC = Path(__file__).parents[2] / "docs" / "events.md"


def test_every_declared_type_has_a_handler_and_every_handler_a_declaration() -> None:
    assert set(handlers()) == set(declared())
    assert len(declared()) >= 45


# --- every type through record → replay ---------------------------------------------------


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HALL)


def f5(applicant: Party, **marks: Mark) -> Intake:
    intake = Intake(entry_code=F5, applicant=applicant)
    base = {
        kind: Mark(RECEIVED, original_seen=True, copies_kept=1)
        for kind in ("application", "resident_id", "floor_plan", "health_certificate")
    }
    for kind, mark in (base | marks).items():
        intake = intake.with_mark(kind, mark)
    return intake


ZHANG = Party(name="张三", id_number="420602198503151231", phone="13812345678")
WANG = Party(name="王芳", id_number="420607197808083011", phone="13912345678")


def run_cases(hall: Hall) -> None:
    """Every case event: intake outcomes, the whole back office, termination, withdrawal."""
    clerk, approver = hall.clerk, hall.approver

    def write(fn: Any, actor: Actor, *args: Any, **kw: Any) -> Any:
        with write_session(hall.engine) as session:
            return fn(session, actor, *args, **kw)

    deferred = Mark(DEFERRED, until=date(2026, 11, 20))
    full = write(cases.accept, clerk, f5(ZHANG, floor_plan=deferred), now=at(11, 9)).case.id
    write(cases.supply_deferred, clerk, full, "floor_plan", now=at(11, 10))
    write(backoffice.hand_off, clerk, full, now=at(11, 10, 14))
    write(backoffice.claim, approver, full, now=at(11, 11))
    corrections = [("application", "签名缺失")]
    deadline = date(2026, 11, 20)
    write(
        backoffice.request_correction,
        approver,
        full,
        corrections=corrections,
        deadline=deadline,
        now=at(11, 11, 15),
    )
    write(backoffice.resubmit, clerk, full, now=at(11, 12))
    write(backoffice.suspend, approver, full, reason="听证", now=at(11, 12, 15))
    write(backoffice.resume, approver, full, now=at(11, 13))
    write(backoffice.decide, approver, full, approve=True, decision_number="X1", now=at(11, 16))
    write(backoffice.complete, approver, full, now=at(11, 16, 15))
    delivery = Delivery(method="electronic", channel="电子证照库")
    write(backoffice.deliver, clerk, full, delivery, now=at(11, 17))

    denied = write(cases.accept, clerk, f5(WANG), now=at(11, 9, 11)).case.id
    write(backoffice.hand_off, clerk, denied, now=at(11, 9, 14))
    write(backoffice.claim, approver, denied, now=at(11, 10))
    write(
        backoffice.decide,
        approver,
        denied,
        approve=False,
        decision_number="X2",
        reason="不符合条件",
        now=at(11, 10, 15),
    )
    withdrawn = write(cases.accept, clerk, f5(WANG), now=at(11, 9, 15)).case.id
    write(backoffice.withdraw, clerk, withdrawn, reason="申请人书面撤回", now=at(11, 10))
    write(cases.notify, clerk, f5(ZHANG, application=Mark(MISSING)), now=at(11, 9, 16))
    write(cases.refuse, clerk, f5(WANG), reasons="不属于本机关职责", now=at(11, 9, 16))
    lapsing = Mark(DEFERRED, until=date(2026, 11, 10))
    lapsed = write(cases.accept, clerk, f5(ZHANG, health_certificate=lapsing), now=at(11, 9))
    write(cases.terminate, clerk, lapsed.case.id, now=at(11, 12))
    # A recount after a calendar import, recorded as the service would.
    recount = case_events.DueRecomputed(
        case_id=denied, due="2026-11-30", due_unofficial=[], legal_due="2026-12-10", previous=None
    )
    write(record, hall.node.operator, case_events.CASE_DUE_RECOMPUTED, recount)
    # A withdrawal that lost a conflict at the hub, as a pulled rejection undoes it.
    lost = write(cases.accept, clerk, f5(WANG), now=at(11, 9, 17)).case.id
    write(backoffice.withdraw, clerk, lost, reason="申请人撤回", now=at(11, 10, 9))
    with read_session(hall.engine) as session:
        withdrawal = session.exec(
            select(Event).where(Event.type == case_events.CASE_WITHDRAWN, Event.subject == lost)
        ).one()
    rejection = case_events.ActionRejected(
        case_id=lost,
        at=at(11, 10, 10).isoformat(),
        event_id=withdrawal.id,
        event_type=withdrawal.type,
        author=withdrawal.actor,
        author_site=withdrawal.site,
        reason="办件已准予许可，撤回未生效",
    )
    write(record, hall.node.operator, case_events.CASE_ACTION_REJECTED, rejection)
    with read_session(hall.engine) as session:
        assert session.get(Case, lost).state == "accepted"  # type: ignore[union-attr]


SETUP = {
    "categories": {
        "A": {"name": "综合受理", "slots": ["10:00-10:30", "10:30-11:00"], "capacity": 2},
        "B": {"name": "不动产登记"},
    },
}


def run_queue(node: Node) -> None:
    """Every queue event: a ticket through every step, a leftover closed, three appointments."""
    hall = QueueHall(node.engine, node.site)
    admin = Actor("cli:root", "admin", node.site)
    hall.write(queue.configure, config.from_dict(SETUP), actor=admin)
    hall.now = OPENING - timedelta(days=3)
    leftover = hall.issue("A")
    hall.now = OPENING
    hall.write(queue.close, leftover.id, "昨日下班未办")
    ticket = hall.issue("A")
    for step in (queue.call_next, queue.recall, queue.no_show):
        hall.tick()
        hall.write(step, "1")
    hall.write(queue.requeue, ticket.number, position="last")
    hall.write(queue.call_ticket, "1", ticket.number, "申请人回来了")
    hall.write(queue.start, "1")
    hall.write(queue.park, "1", note="取材料")
    hall.tick()
    hall.write(queue.call_ticket, "1", ticket.number, "叫回")
    hall.write(queue.transfer, "1", target_window="2", reason="转不动产")
    hall.write(queue.call_next, "2")
    hall.write(queue.finish, "2", "accepted")
    hall.write(queue.link_case, ticket.id, "421202-XA-BYQ-261123-0001", item_codes=[F5])
    day = OPENING.date()
    kept = hall.write(
        appointments.book, "A", day, "10:00-10:30", name="张三", id_number="420602198503151231"
    )
    hall.write(
        appointments.book, "A", day, "10:00-10:30", name="王芳", id_number="420607197808083011"
    )
    dropped = hall.write(
        appointments.book, "A", day, "10:30-11:00", name="刘洋", id_number="11010519491231002X"
    )
    hall.write(appointments.cancel, dropped.code, "改期")
    hall.now = OPENING.replace(hour=10, minute=5)
    hall.write(appointments.check_in, kept.code)
    hall.now = OPENING.replace(hour=10, minute=50)
    hall.write(queue.call_next, "1")  # sweeps the appointment nobody came to


def run_accounts(node: Node) -> None:
    """Every account event: sign-ins, failures to a lockout, unknown names, password, disable."""
    now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

    def sign_in(username: str, password: str) -> None:
        with write_session(node.engine) as session:
            authenticate(session, username, password, site=node.site, window="1", now=now)

    sign_in("li", "secret123")
    for _ in range(6):  # five failures lock; the sixth is refused
        sign_in("wang", "wrong-password")
        sign_in("nobody", "wrong-password")
    with write_session(node.engine) as session:
        change_password(session, node.operator, "li", "newsecret456", now)
        set_disabled(session, node.operator, "li", True)
        set_disabled(session, node.operator, "li", False)


def run_feedback(hall: Hall) -> None:
    """Every rating event: a bad rating followed up to its end, another found mistaken."""
    supervisor = Actor("zhao", "supervisor", hall.node.site)
    with read_session(hall.engine) as session:
        numbers = [c.number for c in session.exec(select(Case).order_by(Case.number)).all()]
    now = at(11, 27, 9)
    bad = []
    for number in numbers[:2]:
        with write_session(hall.engine) as session:
            rated = ratings.record_rating(
                session, hall.clerk, kind="case", channel="phone", level=5, case=number, now=now
            )
        bad.append(rated.id)
    for step in ("verify", "fix", "close"):
        with write_session(hall.engine) as session:
            followups.take_step(session, supervisor, bad[0], step, f"{step} 已办", now=now)
    with write_session(hall.engine) as session:
        followups.appeal(session, supervisor, bad[1], "评价人确认误按", now=now)


def test_every_event_type_round_trips_through_record_and_replay(node: Node, tmp_path: Path) -> None:
    hall = open_hall(node, tmp_path / "catalog")
    run_cases(hall)
    run_queue(node)
    run_accounts(node)
    run_feedback(hall)

    assert set(event_types(node.engine)) == set(declared())
    with read_session(node.engine) as session:
        assert projection_differences(session) == []
    # Every stored payload reads back as its declaration and writes out to the same JSON.
    for event in events(node.engine):
        stored = json.loads(event.payload)
        payload = decode(event.type, stored)
        assert isinstance(payload, declared()[event.type])
        assert record_form(payload) == stored, event.type


def record_form(payload: Any) -> Any:
    """A payload object as record() stores it (nested records as objects)."""
    return json.loads(json.dumps(dataclasses.asdict(payload)))


# --- refusals at record() -----------------------------------------------------------------


GOOD = {"code": "421202-XA-DHC", "name": "东湖村便民服务室"}
#: A value of the wrong type where the dataclass says str (mypy would refuse it too).
NOT_STR: Any = None


@pytest.mark.parametrize(
    ("type", "payload", "says"),
    [
        ("site.renamed", GOOD, "'site.renamed' is not declared"),
        (SITE_CREATED, {"code": "421202-XA-DHC"}, "site.created: field 'name' is missing"),
        (SITE_CREATED, GOOD | {"phone": "0710-1"}, "site.created: field 'phone' is not declared"),
        (SITE_CREATED, GOOD | {"name": 7}, "site.created: field 'name' should be str, not int"),
        (SITE_CREATED, SiteCreated(code="421202-XA-DHC", name=NOT_STR), "'name' should be str"),
        (
            accounts_events.USER_ENABLED,
            accounts_events.UserDisabled(id="u", at="2026-11-23T09:00:00+08:00"),
            "user.enabled: the payload must be a UserEnabled, not a UserDisabled",
        ),
        (
            case_events.CASE_APPROVED,
            {"case_id": "c", "at": "t", "decision_number": "X", "reason": "", "deferred_owed": [1]},
            "case.approved: field 'deferred_owed[0]' should be str, not int",
        ),
        (
            accounts_events.LOGIN_UNKNOWN_USER,
            {"username": "x", "at": "t", "attempt": "maybe"},
            "login.unknown_user: field 'attempt' should be",
        ),
        (
            case_events.CASE_ACCEPTED,
            {"case_id": "c"},
            "case.accepted: field 'number' is missing",
        ),
    ],
)
def test_a_payload_that_does_not_match_its_declaration_is_refused_and_not_stored(
    node: Node, type: str, payload: Any, says: str
) -> None:
    before = events(node.engine)

    with (
        pytest.raises(PayloadMismatch, match=re.escape(says)),
        write_session(node.engine) as session,
    ):
        record(session, node.operator, type, payload)

    assert events(node.engine) == before


def test_an_unknown_type_is_still_an_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType):
        decode("case.teleported", {})


def test_a_bool_is_not_an_int_in_a_payload() -> None:
    with pytest.raises(PayloadMismatch, match="'seq' should be int, not bool"):
        decode(
            "queue.ticket_issued",
            {
                "ticket_id": "t",
                "number": "A001",
                "day": "d",
                "category": "A",
                "seq": True,
                "at": "t",
            },
        )


# --- payloads of other versions -------------------------------------------------------------


def stored(node: Node, type: str, payload: dict[str, Any]) -> Event:
    """An event as another node (older or newer) wrote it: applied without record()'s check."""
    return Event(
        id=new_id(),
        site=node.site,
        actor="other",
        hlc="0000000000001.00000",
        type=type,
        payload=json.dumps(payload, ensure_ascii=False),
        prev_hash="",
        hash="",
    )


def test_a_payload_written_before_a_field_existed_applies_with_its_default(node: Node) -> None:
    # login.unknown_user before `attempt`: for the audit only, counted nowhere.
    old = {"username": "nobody", "at": "2026-11-20T09:00:00+00:00", "window": "1"}
    with write_session(node.engine) as session:
        record(session, node.operator, accounts_events.LOGIN_UNKNOWN_USER, old)
        apply(session, stored(node, accounts_events.LOGIN_UNKNOWN_USER, old))
    with read_session(node.engine) as session:
        assert session.exec(select(UnknownLogin)).all() == []
    assert decode(accounts_events.LOGIN_UNKNOWN_USER, old).attempt is None


def test_a_field_from_a_newer_node_is_ignored_where_the_payload_is_applied(node: Node) -> None:
    newer = {"code": "421202-XA-XJW", "name": "新集村", "phone": "0710-3456789"}
    with write_session(node.engine) as session:
        apply(session, stored(node, SITE_CREATED, newer))
    with read_session(node.engine) as session:
        site = session.get(Site, "421202-XA-XJW")
        assert site is not None and site.name == "新集村"
    assert decode(SITE_CREATED, newer) == SiteCreated(code="421202-XA-XJW", name="新集村")


def test_a_stored_payload_of_the_wrong_shape_is_refused_where_it_is_applied(node: Node) -> None:
    missing = re.escape("site.created: field 'name' is missing")
    with pytest.raises(PayloadMismatch, match=missing), write_session(node.engine) as session:
        apply(session, stored(node, SITE_CREATED, {"code": "421202-XA-XJW"}))


# --- the catalogue in docs/events.md --------------------------------------------------------

BEGIN, END = "<!-- catalogue: begin -->", "<!-- catalogue: end -->"


def _type_name(hint: Any) -> str:
    """A field's type as the table shows it (no "|": it would split the table's cells)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is type(None):
        return "None"
    if hint is Any:
        return "any"
    if origin is typing.Literal:
        return " or ".join(json.dumps(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args)
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(_type_name(a) for a in args)}]"
    return str(hint.__name__)


def _fields(cls: type[Any], nested: dict[str, type[Any]]) -> str:
    hints = typing.get_type_hints(cls)
    parts = []
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        for inner in (hint, *typing.get_args(hint)):
            if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                nested[inner.__name__] = inner
        text = f"`{field.name}`: {_type_name(hint)}"
        if field.default is not dataclasses.MISSING:
            text += f" = `{json.dumps(field.default, ensure_ascii=False)}`"
        elif field.default_factory is not dataclasses.MISSING:
            text += f" = `{json.dumps(field.default_factory(), ensure_ascii=False)}`"
        parts.append(text)
    return ", ".join(parts)


def catalogue() -> str:
    """The catalogue section of docs/events.md, from the declarations."""
    handlers()  # every projection module loaded, and with it every declaration
    nested: dict[str, type[Any]] = {}
    lines = ["| Event type | Payload | Fields (`= default`: optional) |", "|---|---|---|"]
    by_module = sorted(declared().items(), key=lambda kv: (kv[1].__module__, kv[0]))
    for name, cls in by_module:
        module = cls.__module__.removeprefix("counter_tui.")
        lines.append(f"| `{name}` | `{module}.{cls.__name__}` | {_fields(cls, nested)} |")
    lines += ["", "Records inside payloads:", ""]
    for name, cls in sorted(nested.items()):
        lines.append(
            f"- `{cls.__module__.removeprefix('counter_tui.')}.{name}`: {_fields(cls, {})}"
        )
    return "\n".join(lines)


def test_the_catalogue_in_docs_is_the_declarations() -> None:
    text = DOC.read_text(encoding="utf-8")
    current = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()
    assert current == catalogue(), (
        "docs/events.md is out of date: replace its catalogue section with\n" + catalogue()
    )


def test_a_payload_field_of_a_type_json_cannot_hold_is_refused_at_declaration() -> None:
    @dataclasses.dataclass(frozen=True)
    class Dated:
        on: date

    with pytest.raises(TypeError, match=re.escape("test.dated: field 'on'")):
        declare("test.dated")(Dated)
    assert "test.dated" not in declared()


def test_a_field_a_newer_node_added_to_a_nested_record_is_ignored_too() -> None:
    newer = {
        "years": [
            {
                "year": 2027,
                "status": "official",
                "origin": "hub",
                "source": "s",
                "digest": "d",
                "signed_by": "county",
            }
        ]
    }
    payload = decode("calendar.imported", newer)
    assert [year.year for year in payload.years] == [2027]
