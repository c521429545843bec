"""Assisted service (帮代办): recorded by whoever helped, on a case or on its own; roles; bad
input; listed by day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from counter_tui.actor import Actor
from counter_tui.assistance.events import ASSIST_RECORDED
from counter_tui.assistance.service import assists, record_assist
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.journal.service import projection_differences, replay
from tests.conftest import HALL, SITE, Node
from tests.core.helpers import events

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=HALL)
CLERK = Actor(username="li", role="clerk", site=SITE)


def assist(node: Node, actor: Actor = CLERK, **kw: Any) -> str:
    kw.setdefault("way", "home")
    kw.setdefault("for_whom", "elderly")
    kw.setdefault("minutes", 45)
    kw.setdefault("now", MONDAY)
    with write_session(node.engine) as s:
        return record_assist(s, actor, **kw)


def test_recorded_and_listed_by_day(node: Node) -> None:
    assist(node, note="[b]上门[/b]为王奶奶代办养老认证")
    assist(node, way="mail", for_whom="other", note="外出务工人员", now=MONDAY + timedelta(days=1))
    with read_session(node.engine) as s:
        monday = assists(s, SITE, date(2026, 11, 23), date(2026, 11, 23))
        both = assists(s, SITE, date(2026, 11, 23), date(2026, 11, 24))
    assert [(a.way_label, a.for_whom_label, a.minutes) for a in monday] == [("上门", "老年人", 45)]
    assert monday[0].note == "[b]上门[/b]为王奶奶代办养老认证"  # kept literally
    assert monday[0].assistant == "li"
    assert [a.way for a in both] == ["mail", "home"]  # newest first
    (event,) = events(node.engine, ASSIST_RECORDED)[:1]
    assert event.actor == "li"
    with write_session(node.engine) as s:
        replay(s)
    with read_session(node.engine) as s:
        assert projection_differences(s) == []


def test_a_supervisor_may_record_an_approver_may_not(node: Node) -> None:
    assist(node, actor=Actor(username="zhou", role="supervisor", site=SITE))
    with pytest.raises(PermissionDenied, match="无权登记帮代办"):
        assist(node, actor=Actor(username="w", role="approver", site=SITE, department="SCJG"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"way": "fly"}, "未知的帮代办方式：fly"),
        ({"for_whom": "cat"}, "未知的服务对象：cat"),
        ({"minutes": 0}, "用时应为 1–600 分钟：0"),
        ({"minutes": 601}, "用时应为 1–600 分钟"),
        ({"for_whom": "other", "note": "  "}, "请在备注里写明是谁"),
        ({"note": "长" * 501}, "备注太长"),
        ({"case_number": "421202-XA-BYQ-261123-0001"}, "没有这个办件"),
    ],
)
def test_bad_input(node: Node, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError, match=message):
        assist(node, **fields)
    assert events(node.engine, ASSIST_RECORDED) == []
