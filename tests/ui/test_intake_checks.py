"""What the intake form asks before F8 accepts, pressed key by key: an organisation's legal
representative's document, a confirmation for a valid ID number born before 1900, and an
answer (or the catalog's default, shown as such) for every 办理情形."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from textual.widgets import Input, Static

from counter_tui.actor import Actor
from counter_tui.catalog.loader import load_catalog
from counter_tui.catalog.service import import_catalog
from counter_tui.db import make_engine, write_session
from counter_tui.notices.text import render_text
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.ask import ChooseScreen
from counter_tui.ui.screens.notice import NoticePreview
from tests.cases.catalog import write_intake_catalog
from tests.catalog.helpers import ITEM
from tests.ui.conftest import NodeDatabase
from tests.ui.helpers import PHONE, cases_in, error_at, intake_screen, signed_in

OLD_ID = "440524188001010014"  # valid, born 1880-01-01
USCC = "91420602310000000N"


def status(app: CounterApp) -> str:
    return str(intake_screen(app).status.render())


def focused_id(app: CounterApp) -> str | None:
    focused = intake_screen(app).focused
    return focused.id if focused is not None else None


def cell(app: CounterApp, row_key: str, column: str) -> str:
    table = intake_screen(app).table
    return table.get_cell(row_key, column).plain


async def test_an_organisation_needs_its_representatives_document(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter", "ctrl+f", *USCC)
        await keys(*"襄城食品店", "enter", "赵", "六", "enter")
        screen = intake_screen(app)
        label = screen.query_one("#label-f-applicant-legal_rep_id_number", Static)
        assert str(label.render()) == "法代身份证"
        assert focused_id(app) == "f-applicant-legal_rep_id_number"
        await keys("enter", *PHONE, "enter", "a", "f8")
        assert error_at(app, "applicant.legal_rep_id_number") == (
            "请填写法定代表人的居民身份证号码"
        )
        assert cases_in(intake_node) == []
        await keys("ctrl+t")  # the organisation's Ctrl+T is the representative's document
        assert str(label.render()) == "法代港澳证"
        assert focused_id(app) == "f-applicant-legal_rep_id_number"  # where F8 put the cursor
        await keys(*"H12345678", "f8")
        assert isinstance(app.screen, NoticePreview)
        await keys("escape")
    (case,) = cases_in(intake_node)
    applicant = json.loads(case.intake)["applicant"]
    assert (applicant["legal_rep_id_type"], applicant["legal_rep_id_number"]) == (
        "516",
        "H12345678",
    )


async def test_a_birth_date_before_1900_is_confirmed_not_refused(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter", *OLD_ID)  # valid: moves on, with a warning at the field
        assert "早于 1900 年" in error_at(app, "applicant.id_number")
        await keys("陈", "enter", *PHONE, "enter", "a", "f8")
        assert isinstance(app.screen, ChooseScreen)
        assert "出生日期 1880-01-01 早于 1900 年" in app.screen.title_text
        await keys("2")  # back to the form: nothing recorded, the number kept
        assert not isinstance(app.screen, ChooseScreen)
        assert cases_in(intake_node) == []
        number = intake_screen(app).query_one("#f-applicant-id_number", Input).value
        assert number == OLD_ID
        await keys("f8", "1")  # checked against the card: confirmed
        assert isinstance(app.screen, NoticePreview)
        await keys("escape")
    (case,) = cases_in(intake_node)
    assert case.state == "accepted"
    assert json.loads(case.intake)["confirmed"] == [f"applicant.id_number={OLD_ID}"]


async def test_f8_waits_for_every_situation_f7_lists_it(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        # S-1 个体工商户设立登记 asks 是否委托他人办理？ with no default.
        await keys(*"gtgsh", "enter", *"420602198503151231", "张", "三", "enter", *PHONE)
        await keys("enter", "a")
        row = "s:S-1|agent"
        assert cell(app, row, "form") == "未答"
        await keys("f8")
        assert "办理情形未回答，不能受理：“是否委托他人办理？”" in status(app)
        table = intake_screen(app).table
        assert table.has_focus and table.cursor_row == table.get_row_index(row)
        assert cases_in(intake_node) == []
        await keys("f7")  # the one-time notice still goes, listing what each answer adds
        assert isinstance(app.screen, NoticePreview)
        body = "".join(render_text(app.screen.notices[0], width=80).split())
        assert "视办理情形还须提交" in body and "授权委托书" in body
        await keys("escape")
    (case,) = cases_in(intake_node)
    assert case.state == "notified"


async def test_a_default_answer_is_shown_as_such_and_stands(
    intake_app: Callable[[], CounterApp],
    intake_node: NodeDatabase,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    question = 'question = "是否委托他人办理？"'
    text = ITEM.format(code="S-1", name="个体工商户设立登记").replace(
        question, f'{question}\ndefault = "本人办理"'
    )
    root = write_intake_catalog(tmp_path_factory.mktemp("catalog"))
    (root / "items/SCJG/S-1.toml").write_text(text, encoding="utf-8")
    engine = make_engine(intake_node.settings.db_url)
    with write_session(engine) as session:
        admin = Actor(username="test-admin", role="admin", site="421202-XA-BYQ")
        import_catalog(session, admin, load_catalog(root))
    engine.dispose()
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys(*"gtgsh", "enter", *"420602198503151231", "张", "三", "enter", *PHONE)
        await keys("enter", "a")
        assert cell(app, "s:S-1|agent", "form") == "本人办理（默认）"
        await keys("f8")
        assert isinstance(app.screen, NoticePreview)
        await keys("escape")
    (case,) = cases_in(intake_node)
    assert case.state == "accepted"
