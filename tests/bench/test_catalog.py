"""The synthetic catalog: the requested size, valid TOML in the documented layout, the same bytes
for the same seed, and names that look like a county's."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from counter_tui.bench.catalog import (
    generate_bundles,
    generate_catalog,
    generate_items,
    toml_string,
)

COUNT = 120


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    generate_catalog(root, COUNT, seed=3)
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.toml"))}


def test_layout_and_count(catalog: Path) -> None:
    assert (catalog / "catalog.toml").is_file()
    items = sorted((catalog / "items").glob("*/*.toml"))
    assert len(items) == COUNT
    for path in items:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert path.stem == data["code"]
        assert path.parent.name == data["department"]
    assert list((catalog / "bundles").glob("*.toml"))


def test_every_file_parses_and_references_resolve(catalog: Path) -> None:
    header = tomllib.loads((catalog / "catalog.toml").read_text(encoding="utf-8"))
    departments = tomllib.loads((catalog / "departments.toml").read_text(encoding="utf-8"))
    kinds = tomllib.loads((catalog / "material_kinds.toml").read_text(encoding="utf-8"))
    department_codes = {d["code"] for d in departments["department"]}
    kind_codes = {k["code"] for k in kinds["kind"]}
    assert header["name"] and header["version"]
    assert len(department_codes) >= 12

    codes = set()
    for path in (catalog / "items").glob("*/*.toml"):
        item = tomllib.loads(path.read_text(encoding="utf-8"))
        codes.add(item["code"])
        assert item["department"] in department_codes
        assert item["committed_limit_days"] <= item["legal_limit_days"]
        assert item["fee"] == "不收费" or item["fee_basis"]
        ids = [m["id"] for m in item["materials"]]
        assert len(ids) == len(set(ids))
        assert {m["kind"] for m in item["materials"]} <= kind_codes
        for option in item["situations"][0]["options"]:
            assert set(option.get("adds", [])) <= set(ids)
        # 容缺 is never for the application form or the applicant's identity.
        assert item["materials"][0]["mode"] == "required"
        assert item["materials"][1]["mode"] in ("required", "exempt")
    assert len(codes) == COUNT
    for path in (catalog / "bundles").glob("*.toml"):
        bundle = tomllib.loads(path.read_text(encoding="utf-8"))
        assert len(set(bundle["items"])) >= 2
        assert set(bundle["items"]) <= codes
        assert bundle["lead_department"] in department_codes


def test_the_catalog_loader_accepts_it(catalog: Path) -> None:
    from counter_tui.catalog.loader import load_catalog

    loaded = load_catalog(catalog)

    assert len(loaded.items) == COUNT
    assert loaded.bundles


def test_the_same_seed_gives_the_same_bytes(catalog: Path, tmp_path: Path) -> None:
    generate_catalog(tmp_path / "again", COUNT, seed=3)
    generate_catalog(tmp_path / "other", COUNT, seed=4)

    assert tree(tmp_path / "again") == tree(catalog)
    assert tree(tmp_path / "other") != tree(catalog)


def test_names_are_distinct_and_realistic() -> None:
    items = generate_items(15000)

    assert len({i.code for i in items}) == 15000
    assert len({i.name for i in items}) == 15000
    names = {i.name for i in generate_items(20000)}
    for expected in ("个体工商户设立登记", "食品经营许可证延续", "城乡居民基本养老保险待遇申领"):
        assert expected in names
    assert any("营业执照" in i.aliases for i in items if "设立登记" in i.name)


def test_more_items_than_names_repeat_names_but_never_codes() -> None:
    items = generate_items(40000)

    assert len({i.code for i in items}) == 40000
    assert len({i.name for i in items}) < 40000


def test_tiny_catalogs() -> None:
    assert generate_items(0) == []
    assert generate_bundles(generate_items(1)) == []
    bundles = generate_bundles(generate_items(2))
    assert all(len(b.items) == 2 for b in bundles)
    with pytest.raises(ValueError):
        generate_items(-1)


@pytest.mark.parametrize(
    "text", ['say "hi"', "back\\slash", "tab\tand\nnewline", "\x00\x1f\x7f", "中文"]
)
def test_toml_strings_round_trip(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text
