"""The intake section (F2) driven from the keyboard: walk-in to printed receipt, one-time notice
and return, bad input kept at its field, 容缺 only where allowed, situations, drafts after a kill,
and the returning applicant."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from sqlmodel import select
from textual.widgets import Input

from counter_tui.cases.models import IntakeDraft
from counter_tui.cases.record import ACCEPTED, NOTIFIED
from counter_tui.db import make_engine, read_session
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.ask import AskScreen
from counter_tui.ui.screens.case_detail import CaseDetailScreen, CasePickScreen
from counter_tui.ui.screens.intake.form import input_id
from counter_tui.ui.screens.notice import NoticePreview
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import (
    ID_NUMBER,
    PHONE,
    cases_in,
    error_at,
    field,
    fill_applicant,
    intake_screen,
    log_in,
    plain,
    settle,
    signed_in,
)

#: The legal representative's (赵六's) 居民身份证 number.
REP_ID_NUMBER = "420606199001010025"


def shown(app: CounterApp, selector: str) -> str:
    """What a Static of the intake screen shows."""
    from textual.widgets import Static

    return str(intake_screen(app).query_one(selector, Static).render())


def row_keys(app: CounterApp) -> list[str]:
    """The checklist's rows: `s:<item>|<situation>` for a question, `m:<kind>` for a material."""
    return [str(key.value) for key in intake_screen(app).table.rows]


def material_names(app: CounterApp) -> list[str]:
    table = intake_screen(app).table
    return [table.get_cell(key, "name").plain for key in row_keys(app) if key.startswith("m:")]


def status_of(app: CounterApp, kind: str) -> str:
    """A material's 状态 cell as the checklist shows it (已收, 容缺 至12-07 …)."""
    return intake_screen(app).table.get_cell(f"m:{kind}", "status").plain


def draft_marks(node: NodeDatabase) -> dict[str, dict[str, object]]:
    """The marks of the one draft saved as the clerk typed, read from the database."""
    engine = make_engine(node.settings.db_url)
    try:
        with read_session(engine) as session:
            (draft,) = session.exec(select(IntakeDraft)).all()
    finally:
        engine.dispose()
    marks: dict[str, dict[str, object]] = json.loads(draft.content)["marks"]
    return marks


async def test_walk_in_to_printed_receipt_in_at_most_40_keys(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("a")  # every material received (the 营业执照 is exempt: shared data)
        await keys("f8")
        assert isinstance(app.screen, NoticePreview)
        await keys("enter")
        await app.workers.wait_for_complete()
        await settle(keys.pilot)
        assert keys.count <= 40, keys.count
        assert not isinstance(app.screen, NoticePreview)
        # Ready for the next applicant.
        assert field(app, "applicant.id_number") == ""
    (case,) = cases_in(intake_node)
    assert case.state == ACCEPTED
    assert case.number == "421202-XA-BYQ-261123-0001"
    assert case.applicant_name == "张三"
    printed = list((intake_node.settings.printing.folder).rglob("*.txt"))
    assert [p.name for p in printed] == ["421202-XA-BYQ-261123-0001-SL.txt"]
    text = printed[0].read_text(encoding="utf-8")
    assert "受理通知书" in text
    assert "421202-XA-BYQ-261123-0001" in text
    assert "2026年12月7日前" in text  # ten working days after Monday 23 November


async def test_notify_then_return_and_accept_with_nothing_retyped(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("r", "r")  # 申请书, 身份证 received; the floor plan and health proof are not
        await keys("f8")
        assert "材料未齐，不能受理" in str(intake_screen(app).status.render())
        await keys("f7")
        assert isinstance(app.screen, NoticePreview)
        await keys("escape")  # not printed now: the case is kept all the same
        (case,) = cases_in(intake_node)
        assert case.state == NOTIFIED
        number = case.number

        # The applicant returns with the missing papers.
        await keys("ctrl+o")
        await keys(*number, "enter")
        assert field(app, "applicant.name") == "张三"
        assert field(app, "applicant.phone") == PHONE
        assert f"续办 {number}" in shown(app, "#intake-entry-info")
        await keys("a", "f8")
        assert isinstance(app.screen, NoticePreview)
        await keys("escape")
    (again,) = cases_in(intake_node)
    assert again.state == ACCEPTED
    assert again.number == number


async def test_bad_input_is_shown_at_its_field_and_kept(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys(*"spj", "enter")
        await keys(*"420602199003071230")  # wrong check digit
        assert "校验位" in error_at(app, "applicant.id_number")
        await keys("tab", "王", "五", "enter", *"1381234", "enter", "enter")
        await keys("f8")
        assert field(app, "applicant.id_number") == "420602199003071230"
        assert field(app, "applicant.phone") == "1381234"
        assert "校验位" in error_at(app, "applicant.id_number")
        assert error_at(app, "applicant.phone")
        assert field(app, "applicant.name") == "王五"
    assert cases_in(intake_node) == []


async def test_defer_only_where_the_catalog_allows(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        screen = intake_screen(app)
        # The 营业执照 is exempt: the row says where the agency fetches it instead.
        licence = screen.table.get_row("m:business_licence")
        assert str(licence[1]) == "共享：电子证照库" and str(licence[3]) == "免提交"
        await keys("d")  # 申请书 is required: no 容缺
        assert "不可容缺" in str(screen.status.render())
        assert status_of(app, "application") == "未核"
        await keys("down", "down", "down", "d")  # 经营场所平面图 may be deferred
        # Until the committed due date the entry line names, unless the clerk sets another.
        assert "今天受理则 2026-12-07 前办结" in shown(app, "#intake-entry-info")
        assert status_of(app, "floor_plan") == "容缺 至12-07"
    marks = draft_marks(intake_node)
    assert "application" not in marks
    assert (marks["floor_plan"]["status"], marks["floor_plan"]["until"]) == (
        "deferred",
        "2026-12-07",
    )


async def test_situation_answer_updates_the_checklist_at_once(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys(*"gtgsh", "enter")  # 个体工商户登记: asks whether an agent applies
        assert "授权委托书" not in material_names(app)
        await keys("enter", "enter", "enter", "enter")  # past the empty fields: the checklist
        await keys("space")  # 本人办理
        await keys("space")  # 委托代理人
        assert "授权委托书" in material_names(app)
        await keys("a")  # on a question row too: every material received
        kinds = [key for key in row_keys(app) if key.startswith("m:")]
        assert {status_of(app, key[2:]) for key in kinds} == {"已收"}


async def test_draft_survives_a_killed_app(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys(*"spj", "enter")
        await keys(*ID_NUMBER, "李", "雷")
        await app.workers.wait_for_complete()
    engine = make_engine(intake_node.settings.db_url)
    with read_session(engine) as session:
        assert len(session.exec(select(IntakeDraft)).all()) == 1
    engine.dispose()

    again = intake_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await settle(pilot)
        assert field(again, "applicant.id_number") == ID_NUMBER
        assert field(again, "applicant.name") == "李雷"
        assert intake_screen(again).query_one("#intake-entry", Input).value == "食品经营许可证核发"
        assert "已恢复未完成的草稿" in str(intake_screen(again).status.render())


async def test_returning_applicant_is_found_by_id_number(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("a", "f8", "escape")
        await keys(*"spj", "enter", *ID_NUMBER)
        assert field(app, "applicant.name") == "张三"
        assert field(app, "applicant.phone") == PHONE
        assert "老申请人" in str(intake_screen(app).status.render())


async def test_refuse_asks_reasons_and_agency_and_previews_the_notice(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:

    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("f10")
        assert isinstance(app.screen, AskScreen)
        await keys("enter")  # empty: refused in the dialog, which stays open
        assert isinstance(app.screen, AskScreen)
        assert "不能为空" in str(app.screen.query_one("#ask-error").render())
        await keys(*"[b]x[/b]", "enter")
        await keys(*"qu wei sheng jian kang ju", "enter")
        assert isinstance(app.screen, NoticePreview)
        body = " ".join(str(w.render()) for w in app.screen.query(".notice-page"))
        assert "不予受理通知书" in body
        assert "[b]x[/b]" in body  # a reason renders literally, never as markup
        flat = "".join(body.split())  # wrapped lines joined
        assert "行政复议" in flat and "quweishengjiankangju" in flat
        await keys("escape")
    (case,) = cases_in(intake_node)
    assert case.state == "refused"
    assert case.refusal_reasons == "[b]x[/b]"


async def test_organisation_with_agent_is_accepted(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys(*"spj", "enter")
        await keys("ctrl+f")  # 法人或其他组织
        assert shown(app, "#label-f-applicant-name") == "单位名称"
        await keys(*"91420602310000000N")  # a valid code moves on by itself
        await keys(*"襄城食品店", "enter", "赵", "六", "enter")
        await keys(*REP_ID_NUMBER)  # the representative's valid number moves on by itself
        await keys(*PHONE, "enter")
        await keys("ctrl+g")  # an agent applies on the shop's behalf
        await keys(*ID_NUMBER, "钱", "七", "enter", *"13912345678")
        await keys("enter")  # no authorisation typed
        await keys("f8")
        assert "授权" in error_at(app, "agent.authorisation")
        focused = intake_screen(app).focused  # the cursor waits at the field to correct
        assert focused is not None and focused.id == input_id("agent.authorisation")
        await keys(*"shou quan wei tuo shu", "enter", "a", "f8")
        assert isinstance(app.screen, NoticePreview)
        body = " ".join(str(w.render()) for w in app.screen.query(".notice-page"))
        assert "襄城食品店" in body and "钱七" in body
        await keys("escape")
    (case,) = cases_in(intake_node)
    assert case.state == ACCEPTED
    assert case.applicant_key_type == "uscc"
    assert case.applicant_key == "91420602310000000N"
    assert json.loads(case.intake)["applicant"]["legal_rep_id_number"] == REP_ID_NUMBER


async def test_deadline_and_note_keys_with_a_bad_date_kept_in_the_dialog(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:

    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("down", "down", "down", "d", "up", "t")  # the floor plan, deferred
        assert isinstance(app.screen, AskScreen)
        await keys(*["backspace"] * 10, *"2027-01-30", "enter")  # after the due date
        assert isinstance(app.screen, AskScreen)
        assert "不得晚于承诺办结日期" in str(app.screen.query_one("#ask-error").render())
        assert app.screen.query_one("#ask-input").value == "2027-01-30"  # type: ignore[attr-defined]
        await keys(*["backspace"] * 10, *"2026-12-01", "enter")
        assert status_of(app, "floor_plan") == "容缺 至12-01"
        await keys("down", "n", *"fu yin jian bu qing", "enter")
        assert status_of(app, "health_certificate") == "未核 *"  # * : a note on it
    marks = draft_marks(intake_node)
    assert marks["floor_plan"]["until"] == "2026-12-01"
    assert marks["health_certificate"]["note"] == "fu yin jian bu qing"


async def test_reprint_an_accepted_case_by_its_number(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("a", "f8", "escape")  # closed without printing
        (case,) = cases_in(intake_node)
        await keys("ctrl+o", *case.number.lower(), "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        await keys("p")
        assert isinstance(app.screen, NoticePreview)
        assert app.screen.reprint
        await keys("enter")
        await app.workers.wait_for_complete()
        await settle(keys.pilot)
    printed = list(intake_node.settings.printing.folder.rglob("*.txt"))
    assert [p.name for p in printed] == [f"{case.number}-SL.txt"]


async def test_deferred_material_supplied_or_the_case_terminated_when_it_lapses(
    intake_node: NodeDatabase,
) -> None:
    from datetime import datetime

    from counter_tui.ui.app import make_app
    from counter_tui.ui.screens.deferrals import DeferralsScreen

    app = make_app(intake_node.settings, clock=lambda: datetime(2026, 11, 23, 9, 30))
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys(
            "r", "r", "d", "d", "f8"
        )  # both secondary materials deferred (the exempt row skipped)
        assert isinstance(app.screen, NoticePreview)
        titles = [n.title for n in app.screen.notices]
        assert titles == ["受理通知书", "容缺受理承诺书"]
        await keys("escape")
        (case,) = cases_in(intake_node)
        await keys("ctrl+o", *case.number, "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        await keys("d")
        assert isinstance(app.screen, DeferralsScreen)
        await keys("s")  # the first one is brought in
        await keys("x")  # nothing has lapsed yet: refused
        assert "没有逾期" in str(app.screen.query_one("#deferrals-status").render())
        await keys("escape")

    later = make_app(intake_node.settings, clock=lambda: datetime(2026, 12, 8, 9, 0))
    async with signed_in(later, "li") as keys:
        await keys("ctrl+o", *case.number, "enter", "d")
        assert isinstance(later.screen, DeferralsScreen)
        await keys("x")
        assert isinstance(later.screen, NoticePreview)
        body = "".join("".join(str(w.render()).split()) for w in later.screen.query(".notice-page"))
        assert "终止办理通知书" in body
        assert "从业人员健康证明" in body
        assert "经营场所平面图" not in body  # supplied in time: not owed
        await keys("escape")
    (ended,) = cases_in(intake_node)
    assert ended.state == "terminated"


async def test_find_by_name_choose_and_read_the_case_with_its_timeline(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        for _ in range(2):  # two visits by 张三: two cases
            await fill_applicant(keys)
            await keys("a", "f8", "escape")
        await keys("ctrl+o", "张", "三", "enter")
        assert isinstance(app.screen, CasePickScreen)
        assert len(app.screen.found) == 2
        await keys("enter")  # the newest
        assert isinstance(app.screen, CaseDetailScreen)
        facts = str(app.screen.query_one("#case-facts").render())
        timeline = plain(keys.pilot, "#case-timeline")
        assert ID_NUMBER in facts  # the clerk sees the number in full here, and only here
        assert "421202-XA-BYQ-261123-0002" in str(app.screen.query_one("#case-title").render())
        # Each step names the person (the account's name, not the login) and what they did.
        assert re.search(r"李四 +受理（李四）", timeline)
        await keys("escape")
        await keys("ctrl+o", *"13900000000", "enter")
        assert isinstance(app.screen, AskScreen)  # asked again, with what was typed
        assert app.screen.query_one("#ask-input", Input).value == "13900000000"
        assert "没有找到办件" in str(app.screen.query_one("#ask-error").render())
