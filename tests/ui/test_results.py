"""Results at the window, pressed key by key: the approver sees the 容缺 materials still owed
and confirms; the delivery dialog says what is owed and who may collect, and an organisation's
result goes to its representative or an authorised staff member (经办人), not to its code."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from counter_tui.cases import commands
from counter_tui.cases.intake import DEFERRED, ORGANISATION, Mark, Party
from counter_tui.cases.record import CaseRecord
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.ask import ChooseScreen
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.case_form import CaseFormScreen
from tests.ui.conftest import NodeDatabase
from tests.ui.helpers import (
    ID_NUMBER,
    only_case,
    payloads,
    shown,
    sign_in_as,
    signed_in,
)
from tests.ui.history import at, f5, hall_on

USCC = "91420602310000000N"
ID_REP = "420606199001010025"
ID_STAFF = "420602198503151231"


def owing_the_floor_plan(node: NodeDatabase) -> str:
    """张三's F-5 accepted 11-16 with the floor plan deferred to 11-27, claimed by 王芳."""
    intake = f5("张三").with_mark("floor_plan", Mark(DEFERRED, until=date(2026, 11, 27)))
    with hall_on(node) as hall:
        case = commands.accept(hall.session, hall.clerk, intake, now=at(16)).case
        hall.act(hall.clerk, "hand_off", case, at(16, 11))
        hall.act(hall.approver, "claim", case, at(17, 9))
    return case.number


async def test_approval_lists_what_is_owed_and_delivery_waits_for_it(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    owing_the_floor_plan(intake_node)
    app = intake_app()
    async with signed_in(app, "wang", size=(80, 24)) as keys:
        await keys("enter", "a")
        assert isinstance(app.screen, CaseFormScreen)
        assert "尚欠容缺材料：经营场所平面图（11-27 前）" in shown(app, "#form-note")
        await keys(*"SCJG-2026-0901", "enter", "enter")  # the confirmation is required
        assert "请填写仍准予许可" in shown(app, "#form-confirm-error")
        await keys("n", "enter")  # anything but y: the service refuses, the form stays
        assert "尚欠容缺材料" in shown(app, "#form-status")
        assert only_case(intake_node).state == "in_review"
        await keys("backspace", "y", "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        assert only_case(intake_node).state == "approved"
        await keys("f", "escape")

        await sign_in_as(keys, "li")
        await keys("f4", "enter", "o", "1")
        assert isinstance(app.screen, CaseFormScreen)
        assert "尚欠容缺材料：经营场所平面图（11-27 前）" in shown(app, "#form-note")
        await keys(*ID_NUMBER, "enter")  # the cursor starts in the number (the name is filled)
        assert "补交后才能出件" in shown(app, "#form-status")
        assert only_case(intake_node).state == "completed"
    [approved] = payloads(intake_node, "case.approved")
    assert approved["deferred_owed"] == ["经营场所平面图"]


def shop_completed(node: NodeDatabase) -> CaseRecord:
    party = Party(
        kind=ORGANISATION,
        name="襄城食品店",
        uscc=USCC,
        legal_rep="王五",
        legal_rep_id_number=ID_REP,
        phone="13812345678",
    )
    with hall_on(node) as hall:
        intake = replace(f5(""), applicant=party)
        case = commands.accept(hall.session, hall.clerk, intake, now=at(16)).case
        hall.act(hall.clerk, "hand_off", case, at(16, 11))
        hall.act(hall.approver, "claim", case, at(17, 9))
        hall.act(hall.approver, "approve", case, at(18, 9), decision_number="SCJG-2026-0902")
        hall.act(hall.approver, "complete", case, at(18, 10))
    return case


async def test_an_organisations_result_goes_to_an_authorised_staff_member(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    shop_completed(intake_node)
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys("f4", "enter")
        assert "法代证件：居民身份证 420606199001010025" in shown(app, "#case-facts")
        await keys("o")
        assert isinstance(app.screen, ChooseScreen)
        await keys("1")
        assert isinstance(app.screen, CaseFormScreen)
        note = shown(app, "#form-note")
        assert "可领取：法定代表人王五（4206**********0025）" in note
        assert "持单位授权委托书的经办人" in note
        # The cursor starts in the number's field (the name comes filled in): up to the name.
        await keys("up", "backspace", "backspace", "刘", "七", "enter", *USCC, "enter", "enter")
        assert "统一社会信用代码是单位的代码" in shown(app, "#form-status")
        await keys("up", *["backspace"] * 18, *ID_STAFF, "enter", "enter")
        assert "经办人须持单位授权委托书" in shown(app, "#form-status")
        assert only_case(intake_node).state == "completed"
        await keys("授", "权", "委", "托", "书", "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        assert "已出件" in shown(app, "#case-title")
    case = only_case(intake_node)
    delivery = json.loads(case.delivery)
    assert (delivery["collector"], delivery["recipient"]) == ("staff", "刘七")
    assert (delivery["recipient_id"], delivery["authorisation"]) == (ID_STAFF, "授权委托书")
