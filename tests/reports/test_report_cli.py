"""`counter-tui report …` as a supervisor runs it, on the fixture month (SQLite: the figures on
both engines are tested in test_reports.py)."""

from __future__ import annotations

import json

import pytest

from counter_tui.reports.exports import read_csv
from tests.conftest import Cli, Node
from tests.reports import month


@pytest.fixture
def hall(node: Node) -> Node:
    month.load(node.engine)
    return node


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_reports_by_command(cli: Cli, hall: Node) -> None:
    # The test node is a county node: --site left out covers every site it holds.
    ran = cli("report", "monthly", "--date", "2026-11-05", db=hall.url)
    assert ran.code == 0, ran.err
    report = json.loads(ran.out)
    assert report["title"] == "月通报：全部站点 2026-11-01 至 2026-11-30"
    assert report["figures"]["accepted"] == 15 and report["figures"]["one_trip_rate"] == 0.7
    assert report["summary"][-1] == "站点受理量第一：襄城区便民服务室 15 件"
    out = cli.cwd / "周排名.csv"
    ran = cli(
        "report",
        "weekly",
        "--date",
        "2026-11-23",
        "--site",
        hall.site,
        "--format",
        "csv",
        "--out",
        out,
        db=hall.url,
    )
    assert ran.code == 0 and ran.out.strip() == f"已写入 {out}"
    assert read_csv(out.read_bytes())["部门排名"][1][:3] == ["1", "市场监管局", "2"]
    ran = cli("report", "daily", "--date", "2026-11-23", "--format", "xlsx", db=hall.url)
    assert ran.code == 0, ran.err
    assert (cli.cwd / "日统计-全部站点-2026-11-23.xlsx").stat().st_size > 0


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_bad_report_requests_are_said_in_chinese(cli: Cli, hall: Node) -> None:
    future = cli("report", "daily", "--date", "2999-01-01", db=hall.url)
    assert future.code == 2
    assert future.error_line.startswith("错误：日期 2999-01-01 在今天（")
    early = cli("report", "monthly", "--date", "2026-08-31", db=hall.url)
    assert early.code == 2
    assert (
        early.error_line
        == "错误：日期 2026-08-31 早于本节点启用的日期（2026-09-01），那时还没有数据"
    )
    unknown = cli("report", "daily", "--date", "2026-11-23", "--site", "999999-X", db=hall.url)
    assert unknown.error_line == "错误：本节点没有这个站点：999999-X"
    fmt = cli("report", "daily", "--format", "doc", db=hall.url)
    assert fmt.error_line == "错误：不支持的格式：doc（可用：json、csv、xlsx、pdf）"
