"""Catalog validation: each kind of mistake is reported with its file, line, field and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_tui.catalog.loader import CatalogInvalid, load_catalog
from counter_tui.catalog.model import item_from_json, item_to_json
from counter_tui.catalog.rules import checklist, unanswered
from counter_tui.datafiles.reading import Problem
from tests.catalog.helpers import BUNDLE, DEPARTMENTS, ITEM, write_catalog


def problems(root: Path) -> list[Problem]:
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(root)
    return caught.value.problems


def test_a_valid_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))

    assert set(catalog.items) == {"S-1", "T-1"}
    item = catalog.items["S-1"]
    assert item.aliases == ("营业执照",)
    assert [m.id for m in item.base_materials()] == ["form", "id"]
    assert catalog.items["T-1"].instant
    assert catalog.bundles["YJS-KB"].items == ("S-1", "T-1")


def test_a_bundle_asks_a_shared_material_once_in_its_strictest_form(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))
    members = [catalog.items[code] for code in catalog.bundles["YJS-KB"].items]

    lines = {line.material.kind: line for line in checklist(members)}

    assert set(lines) == {"application", "resident_id", "business_licence"}
    shared = lines["resident_id"]
    assert shared.items == ("S-1", "T-1")
    assert (shared.material.originals, shared.material.copies) == (1, 2)


def test_a_situation_answer_adds_its_materials(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path))
    item = catalog.items["S-1"]

    plain = checklist([item])
    agent = checklist([item], {("S-1", "agent"): "委托代理人"})

    assert "power_of_attorney" not in {line.material.kind for line in plain}
    assert "power_of_attorney" in {line.material.kind for line in agent}


def test_a_situation_may_name_its_default_answer(tmp_path: Path) -> None:
    text = ITEM.format(code="S-1", name="个体工商户设立登记").replace(
        'question = "是否委托他人办理？"', 'question = "是否委托他人办理？"\ndefault = "委托代理人"'
    )
    catalog = load_catalog(write_catalog(tmp_path, **{"items/SCJG/S-1.toml": text}))
    item = catalog.items["S-1"]
    assert item.situations[0].default == "委托代理人"
    assert item_from_json(item_to_json(item)) == item
    # The default is the answer in force until the clerk gives another.
    assert "power_of_attorney" in {line.material.kind for line in checklist([item])}
    plain = checklist([item], {("S-1", "agent"): "本人办理"})
    assert "power_of_attorney" not in {line.material.kind for line in plain}
    assert unanswered([item], {}) == []
    assert unanswered([load_catalog(write_catalog(tmp_path / "b")).items["S-1"]], {}) != []


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    ("change", "field", "message", "needle"),
    [
        (
            ('department = "SCJG"', 'department = "NOPE"'),
            "department",
            "未知部门：NOPE",
            "department =",
        ),
        (
            ("committed_limit_days = 3", "committed_limit_days = 30"),
            "committed_limit_days",
            "承诺时限 30 个工作日超过法定时限 15 个工作日",
            "committed_limit_days",
        ),
        (
            ("legal_limit_days = 15", 'legal_limit_days = "15"'),
            "legal_limit_days",
            "应为整数，实际是 文字",
            "legal_limit_days",
        ),
        (('type = "01"', 'type = "99"'), "type", "不在代码集中：'99'", "type ="),
        (
            ('levels = ["county", "town", "village"]', 'levels = ["city"]'),
            "levels",
            "不在代码集中：city",
            "levels =",
        ),
        (
            ('kind = "resident_id"', 'kind = "passport_x"'),
            "kind",
            "未知材料种类：passport_x",
            'kind = "passport_x"',
        ),
        (('adds = ["attorney"]', 'adds = ["nobody"]'), "adds", "未知材料编号：nobody", "adds ="),
        (
            ('fee = "不收费"', 'fee = "工本费 10 元"'),
            "fee_basis",
            "收费事项须写明收费依据",
            "fee =",
        ),
        (("trips = 1", 'trips = 1\ncolour = "red"'), "colour", "未知字段", "colour ="),
        (
            (
                'question = "是否委托他人办理？"',
                'question = "是否委托他人办理？"\ndefault = "不知道"',
            ),
            "default",
            "默认答案不是本情形的选项：不知道（可用：本人办理、委托代理人）",
            "default =",
        ),
    ],
)
def test_each_mistake_names_file_line_field_and_problem(
    tmp_path: Path, change: tuple[str, str], field: str, message: str, needle: str
) -> None:
    text = ITEM.format(code="S-1", name="个体工商户设立登记").replace(*change, 1)
    [problem] = problems(write_catalog(tmp_path, **{"items/SCJG/S-1.toml": text}))

    assert problem.file == "items/SCJG/S-1.toml"
    assert problem.field == field
    assert message in problem.message
    assert problem.line == line_of(text, needle)


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    item = ITEM.format(code="S-1", name="个体工商户设立登记")
    text = item.replace('phone = "0710-1234567"\n', "")

    [problem] = problems(write_catalog(tmp_path, **{"items/SCJG/S-1.toml": text}))

    assert (problem.field, problem.message) == ("phone", "缺少必填字段")


def test_a_duplicate_item_code_names_the_other_file(tmp_path: Path) -> None:
    copy = ITEM.format(code="S-1", name="个体工商户变更登记")
    [problem] = problems(write_catalog(tmp_path, **{"items/SCJG/S-2.toml": copy}))

    assert problem.file == "items/SCJG/S-2.toml"
    assert "事项编码重复：也在 items/SCJG/S-1.toml" in problem.message
    assert problem.line == 1


def test_a_bundle_naming_an_unknown_item_is_refused(tmp_path: Path) -> None:
    bundle = BUNDLE.replace('"T-1"', '"T-404"')
    [problem] = problems(write_catalog(tmp_path, **{"bundles/YJS-KB.toml": bundle}))

    assert (problem.file, problem.line, problem.field) == ("bundles/YJS-KB.toml", 3, "items")
    assert "未知事项编码：T-404" in problem.message


def test_a_duplicate_department_is_refused(tmp_path: Path) -> None:
    doubled = DEPARTMENTS + '\n[[department]]\ncode = "SWJ"\nname = "又一个税务局"\n'
    [problem] = problems(write_catalog(tmp_path, **{"departments.toml": doubled}))

    assert problem.file == "departments.toml"
    assert problem.line == line_of(doubled, 'name = "又一个税务局"') - 1
    assert "编码重复：SWJ" in problem.message


def test_toml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    broken = ITEM.format(code="S-1", name="个体工商户设立登记").replace("trips = 1", "trips = ")
    [problem] = problems(write_catalog(tmp_path, **{"items/SCJG/S-1.toml": broken}))

    assert problem.line == line_of(broken, "trips =")
    assert "TOML 语法错误" in problem.message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        ITEM.format(code="S-1", name="个体工商户设立登记")
        .replace('department = "SCJG"', 'department = "NOPE"')
        .replace('kind = "resident_id"', 'kind = "nope_kind"')
    )
    bundle = BUNDLE.replace('"T-1"', '"T-404"')
    found = problems(
        write_catalog(tmp_path, **{"items/SCJG/S-1.toml": text, "bundles/YJS-KB.toml": bundle})
    )

    assert {p.field for p in found} >= {"department", "kind", "items"}


def test_a_problem_reads_as_one_line(tmp_path: Path) -> None:
    problem = Problem("items/SCJG/S-1.toml", 12, "committed_limit_days", "承诺时限超过法定时限")
    assert str(problem) == "items/SCJG/S-1.toml:12: committed_limit_days: 承诺时限超过法定时限"
