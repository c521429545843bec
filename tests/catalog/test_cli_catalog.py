"""`counter-tui catalog …` as a county admin runs it: validate, import, list, show, search."""

from __future__ import annotations

import json
from pathlib import Path

from tests.catalog.helpers import ITEM, write_catalog
from tests.conftest import Cli


def test_validate_reports_every_problem_with_file_and_line(cli: Cli, tmp_path: Path) -> None:
    text = ITEM.format(code="S-1", name="个体工商户设立登记").replace(
        "committed_limit_days = 3", "committed_limit_days = 30"
    )
    folder = write_catalog(tmp_path / "cat", **{"items/SCJG/S-1.toml": text})

    ran = cli("catalog", "validate", folder)

    assert ran.code == 1
    line = text.splitlines().index("committed_limit_days = 30") + 1
    assert ran.err.splitlines()[0] == (
        f"items/SCJG/S-1.toml:{line}: committed_limit_days: "
        "承诺时限 30 个工作日超过法定时限 15 个工作日"
    )


def test_import_list_show_and_search(cli: Cli, init_file: Path, tmp_path: Path) -> None:
    folder = write_catalog(tmp_path / "cat")

    imported = cli.as_admin("catalog", "import", folder, db=init_file)
    again = cli.as_admin("catalog", "import", folder, db=init_file)
    listed = cli("catalog", "list", "--json", db=init_file)
    shown = cli("catalog", "show", "YJS-KB", db=init_file)
    found = cli("catalog", "search", "gtgsh", "--json", db=init_file)

    assert imported.code == 0 and "已导入第 1 版目录" in imported.out
    assert "未重复导入" in again.out
    assert [row["code"] for row in json.loads(listed.out)] == ["S-1", "T-1", "YJS-KB"]
    assert "（2 个事项共用，只交一次）" in shown.out
    assert json.loads(found.out)[0]["code"] == "S-1"


def test_a_broken_catalog_is_not_imported_and_the_old_one_stays(
    cli: Cli, init_file: Path, tmp_path: Path
) -> None:
    assert (
        cli.as_admin("catalog", "import", write_catalog(tmp_path / "good"), db=init_file).code == 0
    )
    broken = write_catalog(tmp_path / "bad", **{"bundles/YJS-KB.toml": 'code = "YJS-KB"\n'})

    ran = cli.as_admin("catalog", "import", broken, db=init_file)

    assert ran.code == 1
    assert "未导入" in ran.err
    listed = json.loads(cli("catalog", "list", "--json", db=init_file).out)
    assert len(listed) == 3


def test_show_an_unknown_code_says_how_to_find_one(
    cli: Cli, init_file: Path, tmp_path: Path
) -> None:
    cli.as_admin("catalog", "import", write_catalog(tmp_path / "cat"), db=init_file)

    ran = cli("catalog", "show", "NOPE", db=init_file)

    assert ran.code == 2
    assert (
        ran.error_line == "错误：目录中没有这个编码：NOPE（可用 counter-tui catalog search 查找）"
    )


def test_a_node_without_a_catalog_says_what_to_import(cli: Cli, init_file: Path) -> None:
    ran = cli("catalog", "search", "gtgsh", db=init_file)

    assert ran.code == 2
    assert "catalog import" in ran.error_line


def test_the_shipped_catalog_finds_business_registration_first(cli: Cli, init_file: Path) -> None:
    """`catalog import --shipped`: the catalog inside the package, as a wheel install has it."""
    assert cli.as_admin("catalog", "import", "--shipped", db=init_file).code == 0

    initials = json.loads(cli("catalog", "search", "gtgsh", "--json", db=init_file).out)
    alias = json.loads(cli("catalog", "search", "营业执照", "--json", db=init_file).out)

    assert initials[0]["name"] == "个体工商户设立登记"
    assert alias[0]["department"] == "SCJG"
    assert "设立登记" in alias[0]["name"]


def test_import_needs_a_folder_or_shipped_not_both(
    cli: Cli, init_file: Path, tmp_path: Path
) -> None:
    neither = cli.as_admin("catalog", "import", db=init_file)
    both = cli.as_admin("catalog", "import", "--shipped", write_catalog(tmp_path), db=init_file)

    for ran in (neither, both):
        assert ran.code == 2
        assert "--shipped" in ran.error_line
