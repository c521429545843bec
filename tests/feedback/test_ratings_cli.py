"""`counter-tui ratings …` as a supervisor's script uses it: record, list, the follow-up loop
to its end, import, and refusals as one Chinese line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select

from counter_tui.cases.models import Case
from counter_tui.db import read_session
from tests.cases.catalog import open_hall
from tests.cases.helpers import accepted
from tests.conftest import Cli, Node
from tests.sqlite_only import commands_on_sqlite  # noqa: F401  (db_kind: SQLite only)


def case_numbers(node: Node, tmp_path: Path, count: int) -> list[str]:
    hall = open_hall(node, tmp_path / "catalog")
    ids = [accepted(hall) for _ in range(count)]
    with read_session(node.engine) as session:
        rows = session.exec(select(Case).where(Case.id.in_(ids))).all()  # type: ignore[attr-defined]
        return sorted(row.number for row in rows)


def test_a_phone_rating_and_its_followup_from_the_command_line(
    cli: Cli, node: Node, tmp_path: Path
) -> None:
    (number,) = case_numbers(node, tmp_path, 1)
    ran = cli.as_admin(
        "ratings", "record", "--case", number, "--level", "5", "--channel", "phone",
        "--reason", "slow", "--comment", "[red]慢[/red]", "--json", db=node.url,
    )  # fmt: skip
    assert ran.code == 0, ran.err
    made = json.loads(ran.out)
    assert (made["level"], made["followup_state"], made["comment"]) == (5, "open", "[red]慢[/red]")
    again = cli.as_admin(
        "ratings", "record", "--case", number, "--level", "1", "--channel", "sms", db=node.url
    )
    assert again.code == 2 and again.error_line == f"错误：该办件已评价（{number}）"
    listed = cli("ratings", "list", db=node.url).out
    assert number in listed and "电话回访  非常不满意  原因：办事效率低" in listed

    waiting = json.loads(cli("ratings", "followups", "--not-called", "--json", db=node.url).out)
    assert [f["rating_id"] for f in waiting] == [made["id"]]
    # The list names the owning department as people call it, not by its catalog code.
    line = cli("ratings", "followups", db=node.url).out.splitlines()[0]
    assert "市场监督管理局" in line and f"  {waiting[0]['owner']}  " not in line
    out_of_order = cli.as_admin("ratings", "fix", made["id"], "--note", "x", db=node.url)
    assert out_of_order.error_line == "错误：该差评整改现在应先回访核实，不能整改"
    for step in ("verify", "fix", "close"):
        done = cli.as_admin("ratings", step, made["id"], "--note", f"{step} 办了", db=node.url)
        assert done.code == 0, done.err
    assert "已反馈办结" in done.out
    assert cli("ratings", "followups", db=node.url).out.strip() == "没有待办的差评整改"


def test_a_level_outside_one_to_five_and_an_unknown_case(cli: Cli, node: Node) -> None:
    ran = cli.as_admin(
        "ratings", "record", "--case", "X-1", "--level", "6", "--channel", "sms", db=node.url
    )
    assert ran.code == 2
    assert ran.error_line.startswith("错误：评价等级应为 1–5")
    unknown = cli.as_admin(
        "ratings", "record", "--case", "X-1", "--level", "2", "--channel", "sms", db=node.url
    )
    assert unknown.error_line == "错误：没有找到办件 X-1"


def test_an_import_is_all_or_nothing(cli: Cli, node: Node, tmp_path: Path) -> None:
    first, second = case_numbers(node, tmp_path, 2)
    export = tmp_path / "export.csv"
    header = "办件编号,评价渠道,评价等级,评价时间\n"
    export.write_bytes(
        (header + f"{first},网上,1,2026-11-13 15:00\nNOPE,网上,1,2026-11-13 15:00\n").encode(
            "gb18030"
        )
    )
    bad = cli.as_admin("ratings", "import", export, db=node.url)
    assert bad.code == 2
    assert "未导入任何评价" in bad.err and "第 3 行：没有找到办件 NOPE" in bad.err
    assert cli("ratings", "list", db=node.url).out.strip() == "还没有评价"
    export.write_bytes((header + f"{first},网上,1,2026-11-13 15:00\n{second},短信,4,"
                        "2026-11-13 16:00\n").encode("utf-8-sig"))  # fmt: skip
    good = cli.as_admin("ratings", "import", export, db=node.url)
    assert good.out.strip() == "已导入 2 条评价（UTF-8），其中差评 1 条已生成差评整改"
