"""The catalog section (F5): search as you type, the guide and its materials, the palette."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.screens.catalog import CatalogScreen
from tests.ui.conftest import FIXED_NOW, PASSWORD, USERS, NodeDatabase, build_node
from tests.ui.helpers import log_in, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_catalog(pilot: Pilot[object], query: str = "") -> CatalogScreen:
    await log_in(pilot, "li", PASSWORD)
    await pilot.press("f5")
    await settle(pilot)
    if query:
        await pilot.press(*query)
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CatalogScreen)
    return screen


def result_names(screen: CatalogScreen) -> list[str]:
    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def material_rows(screen: CatalogScreen) -> list[list[str]]:
    """[name, mode, form] per material (the table shows the form under the name)."""
    table = screen.query_one("#guide-materials", DataTable)
    rows = []
    for i in range(table.row_count):
        material, mode = (str(cell) for cell in table.get_row_at(i))
        name, form = material.split("\n")
        rows.append([name, mode, form])
    return rows


async def test_initials_find_the_item_and_show_its_guide(
    app_for: Callable[..., CounterApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, "gtgsh")
        assert result_names(screen) == ["个体工商户设立登记"]
        assert str(screen.guide_title.render()) == "个体工商户设立登记"
        assert material_rows(screen) == [
            ["登记申请书", "必须提交", "原件 1 份"],
            ["经营者身份证", "必须提交", "原件 1 份、复印件 1 份"],
        ]


async def test_an_alias_finds_the_item(app_for: Callable[..., CounterApp]) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, "营业执照")
        assert result_names(screen)[0] == "个体工商户设立登记"


async def test_arrow_keys_move_through_results_while_typing(
    app_for: Callable[..., CounterApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, "登记")
        assert len(result_names(screen)) == 2
        first = str(screen.guide_title.render())
        await pilot.press("down")
        await settle(pilot)
        assert screen.query_input.has_focus
        assert str(screen.guide_title.render()) != first
        await pilot.press("enter")
        assert screen.guide_box.has_focus
        await pilot.press("escape")
        assert screen.query_input.has_focus


async def test_a_bundle_shows_its_merged_checklist(app_for: Callable[..., CounterApp]) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, "一件事")
        assert result_names(screen) == [
            "开办个体户一件事"
        ]  # the name says 一件事 already: not twice
        rows = material_rows(screen)
        assert [row[0] for row in rows] == ["登记申请书", "经营者身份证", "营业执照"]
        assert rows[1][2] == "原件 1 份、复印件 2 份"  # the stricter of the two items
        assert rows[2][1] == "免提交"


async def test_nothing_found_says_what_to_try(app_for: Callable[..., CounterApp]) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, "xyzzy")
        assert result_names(screen) == []
        assert "没有找到“xyzzy”" in str(screen.query_one("#catalog-count").render())


async def test_a_node_without_a_catalog_says_how_to_import_one(tmp_path: Path) -> None:
    """A production node before its first import: F5 and intake both say what to do, instead
    of 没有找到 for every item (a wheel install once looked like that)."""
    from counter_tui.ui.screens.intake.screen import IntakeScreen

    node = build_node(tmp_path, {"li": USERS["li"]}, with_catalog=False)
    app = make_app(node.settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot)
        assert "catalog import --shipped" in str(screen.query_one("#catalog-count").render())
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"gtgsh")
        await settle(pilot)
        intake = pilot.app.screen
        assert isinstance(intake, IntakeScreen)
        status = str(intake.status.render())
        assert "本机还没有事项目录" in status
        assert "没有找到" not in status


async def test_a_village_room_sees_what_it_may_not_accept_marked(tmp_path: Path) -> None:
    node = build_node(tmp_path, {"li": USERS["li"]}, level="village")
    app = make_app(node.settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, "登记")
        # 税务登记 would come first on a tie (shorter), but the village may not accept it.
        assert result_names(screen) == ["个体工商户设立登记", "税务登记 本站不可受理"]


async def test_the_palette_jumps_to_an_item_from_another_section(
    app_for: Callable[..., CounterApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        assert app.current_mode == "intake"
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"swdj")
        await pilot.pause(0.3)  # the palette searches in its own task
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "catalog"
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        assert str(screen.guide_title.render()) == "税务登记"


@pytest.mark.parametrize("size", SIZES)
def test_catalog_snapshot(
    snap_compare: Callable[..., bool], app_for: Callable[..., CounterApp], size: tuple[int, int]
) -> None:
    """F5 after typing gtgsh: the search box, one result (个体工商户设立登记), and its guide:
    basic facts, the materials table (登记申请书, 经营者身份证 with 方式 and 份数) and below it
    the situations, conditions and basis."""

    async def searched(pilot: Pilot[object]) -> None:
        await open_catalog(pilot, "gtgsh")

    assert snap_compare(app_for(), terminal_size=size, run_before=searched)


async def test_choosing_an_item_counts_it_as_used_at_this_site(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    from sqlalchemy import create_engine, text

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_catalog(pilot, "gtgsh")
        await pilot.press("enter")
        await settle(pilot)
    engine = create_engine(node.settings.db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT site, code, count FROM catalog_usage")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("421202-XA-BYQ", "S-1", 1)]
