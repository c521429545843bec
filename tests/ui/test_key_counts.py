"""The README's key-count claims, measured: every key a clerk presses from an empty intake
screen to a printed receipt, the typing of ID number, name and phone included.

The counts are the claims' bounds; what they are made of is spelled out beside each key, so a
change that adds a key shows up here first. A walk-in types 31 characters of its own (the ID
number 18, the name 2 through the input method, the phone 11): the rest is the item, the
optional address skipped, the checklist, F8 and the print.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from counter_tui.cases.record import ACCEPTED
from counter_tui.catalog.shipped import shipped_catalog
from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.screens.notice import NoticePreview
from tests.ui.conftest import FIXED_NOW, USERS, NodeDatabase, build_node
from tests.ui.helpers import ID_NUMBER, PHONE, Keys, cases_in, settle, signed_in

#: The bounds the README states (a five-material item; 个体工商户设立登记 with its three
#: 办理情形 questions, one of which has a default).
FIVE_MATERIALS_KEYS = 40
SOLE_TRADER_KEYS = 45


async def printed(keys: Keys) -> None:
    """F8 was pressed: the receipt's preview; Enter prints it and the form is empty again."""
    app = keys.pilot.app
    assert isinstance(app.screen, NoticePreview), "F8 did not accept"
    await keys("enter")
    await app.workers.wait_for_complete()
    await settle(keys.pilot)
    assert not isinstance(app.screen, NoticePreview)


async def test_walk_in_for_a_five_material_item(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter")  # 4: the item by its pinyin initials
        await keys(*ID_NUMBER)  # 18: a valid number moves on by itself
        await keys("张", "三", "enter")  # 3
        await keys(*PHONE)  # 11: a mobile number moves on by itself, to the address
        await keys("enter")  # 1: no address; on to the checklist
        await keys("a", "f8")  # 2: every material received; accept
        await printed(keys)  # 1: print
        assert keys.count == FIVE_MATERIALS_KEYS
    (case,) = cases_in(intake_node)
    assert case.state == ACCEPTED
    assert (case.applicant_name, case.applicant_phone) == ("张三", PHONE)


async def test_walk_in_with_an_id_card_reader(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    """The reader types the number and Enter in one burst (ui/focus.py): the clerk's own keys
    are the item, the name, the phone and four more."""
    from tests.ui.test_intake_flow import burst

    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter")
        reader = Keys(keys.pilot)
        await burst(reader, *ID_NUMBER, "enter")  # the reader's, not the clerk's
        await keys("张", "三", "enter", *PHONE, "enter", "a", "f8")
        await printed(keys)
        assert keys.count == FIVE_MATERIALS_KEYS - len(ID_NUMBER)
    (case,) = cases_in(intake_node)
    assert (case.state, case.applicant_key) == (ACCEPTED, ID_NUMBER)


@pytest.fixture(scope="session")
def shipped_template(tmp_path_factory: pytest.TempPathFactory) -> NodeDatabase:
    """A node with the catalog the package ships (个体工商户设立登记 is one of its items)."""

    def catalog(_: Path) -> Path:
        folder = shipped_catalog()
        assert folder is not None
        return folder

    return build_node(tmp_path_factory.mktemp("shipped-template"), USERS, catalog=catalog)


async def test_walk_in_for_a_sole_trader_with_three_situations(
    shipped_template: NodeDatabase, tmp_path: Path
) -> None:
    from dataclasses import replace

    from counter_tui.settings import PrintSettings

    path = tmp_path / "node.db"
    path.write_bytes(shipped_template.path.read_bytes())
    settings = replace(
        shipped_template.settings,
        db_url=f"sqlite:///{path}",
        printing=PrintSettings(folder=tmp_path / "notices", format="80mm"),
    )
    node = NodeDatabase(path=path, settings=settings)
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"gtgsh", "enter")  # 6: 个体工商户设立登记 by its initials
        assert "个体工商户设立登记" in app.screen.query_one("#intake-entry").value  # type: ignore[attr-defined]
        await keys(*ID_NUMBER)  # 18
        await keys("张", "三", "enter")  # 3
        await keys(*PHONE)  # 11
        await keys("enter")  # 1: the checklist, on its first question
        await keys("space")  # 1: 经营组成形式？ 个人经营
        await keys("j")  # 1: the next row to settle: the second question
        await keys("space")  # 1: 前置许可？ 不涉及 (the third has its default: 本人办理)
        await keys("a", "f8")  # 2
        await printed(keys)  # 1
        assert keys.count == SOLE_TRADER_KEYS
    (case,) = cases_in(node)
    assert case.accepted_at is not None  # accepted (an on-the-spot item is 办结 at once)
    assert case.entry_code == "11420610MB1584263B40100101000"
