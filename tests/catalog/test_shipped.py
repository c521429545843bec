"""The catalog shipped in data/catalog: valid, and big enough to run a real county window."""

from __future__ import annotations

from collections import Counter

import pytest

from counter_tui.catalog.loader import load_catalog
from counter_tui.catalog.model import Catalog
from counter_tui.catalog.rules import bundle_items, checklist
from counter_tui.catalog.shipped import shipped_catalog

pytestmark = pytest.mark.skipif(shipped_catalog() is None, reason="no data/catalog here")

REQUIRED_DEPARTMENTS = {
    "SCJG",
    "GAHZ",
    "RSJ",
    "YBJ",
    "MZJ",
    "CL",
    "WJJ",
    "BDC",
    "SWJ",
    "ZJJ",
    "NYNC",
    "TYJR",
    "JYJ",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    folder = shipped_catalog()
    assert folder is not None
    return load_catalog(folder)


def test_it_covers_a_county_window(catalog: Catalog) -> None:
    per_department = Counter(item.department for item in catalog.items.values())

    assert len(catalog.items) >= 60
    assert len(per_department) >= 12
    assert set(per_department) >= REQUIRED_DEPARTMENTS
    assert sum("village" in item.levels for item in catalog.items.values()) >= 15
    assert sum(item.instant for item in catalog.items.values()) >= 10
    assert len(catalog.bundles) >= 8


def test_the_life_event_bundles_are_there(catalog: Catalog) -> None:
    names = " ".join(bundle.name for bundle in catalog.bundles.values())
    for event in ("开办企业", "出生", "退休", "身后", "残疾人", "灵活就业", "二手房"):
        assert event in names


def test_every_bundle_asks_shared_materials_once(catalog: Catalog) -> None:
    merged_somewhere = 0
    for bundle in catalog.bundles.values():
        members = bundle_items(bundle, catalog.items)
        lines = checklist(members)
        kinds = [line.material.kind for line in lines]
        assert len(kinds) == len(set(kinds)), bundle.code
        asked = sum(len(item.base_materials()) for item in members)
        merged_somewhere += asked > len(lines)
    assert merged_somewhere >= 8  # shared 居民身份证, 户口簿 … really are merged


def test_business_registration_answers_to_its_common_name(catalog: Catalog) -> None:
    with_alias = {item.name for item in catalog.items.values() if "营业执照" in item.aliases}
    assert "个体工商户设立登记" in with_alias


def test_deferrable_and_exempt_materials_are_used_as_the_rules_allow(catalog: Catalog) -> None:
    materials = [m for item in catalog.items.values() for m in item.materials]
    assert any(m.mode == "deferrable" for m in materials)
    assert all(m.source for m in materials if m.mode == "exempt")
    # 容缺 never covers the applicant's identity (DOMAIN.md).
    assert not [m for m in materials if m.mode == "deferrable" and m.kind == "resident_id"]
