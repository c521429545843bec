"""`counter-tui queue …` as a kiosk and a script use it, on both engines: issue, call, recall,
finish, status, the hall set-up, and refusals as one Chinese line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import Cli, Node
from tests.sqlite_only import commands_on_sqlite  # noqa: F401  (db_kind: SQLite only)


def test_a_kiosk_issues_and_a_script_calls_and_finishes(cli: Cli, node: Node) -> None:
    slip = cli("queue", "issue", "A", "--width", "32", db=node.url)
    assert slip.code == 0, slip.err
    assert "A  0  0  1" in slip.out and "综合受理" in slip.out and "您前面没有人等候" in slip.out
    assert max(len(line.encode("gbk")) for line in slip.out.splitlines()) <= 32
    second = json.loads(cli("queue", "issue", "a", "--priority", "孕妇", "--json", db=node.url).out)
    assert (second["number"], second["priority_reason"]) == ("A002", "孕妇")

    called = json.loads(cli("queue", "call", "--window", "3", "--json", db=node.url).out)
    assert called["number"] == "A002" and called["window"] == "3"  # priority first
    busy = cli("queue", "call", "--window", "3", db=node.url)
    assert busy.code == 2
    assert busy.error_line == "错误：3 号窗口已叫号 A002：请先办结、过号或暂离，再叫下一位"
    too_soon = cli("queue", "recall", "--window", "3", db=node.url)  # the hall's 30 s
    assert too_soon.code == 2
    assert re.fullmatch(r"错误：距上次呼叫仅 \d+ 秒，请 \d+ 秒后再重呼", too_soon.error_line)
    config = cli.cwd / "config.toml"
    config.write_text("[queue]\nrecall_min_interval_seconds = 0\n", encoding="utf-8")
    cli.env["COUNTER_TUI_CONFIG"] = str(config)
    assert "第 2 次呼叫" in cli("queue", "recall", "--window", "3", db=node.url).out
    no_outcome = cli("queue", "finish", "--window", "3", "--outcome", "done", db=node.url)
    assert no_outcome.code == 2 and "请选择办理结果" in no_outcome.error_line
    assert cli("queue", "finish", "--window", "3", "--outcome", "consulted", db=node.url).code == 0

    status = json.loads(cli("queue", "status", "--json", db=node.url).out)
    assert status["waiting"]["A"] == 1 and status["current"] == []
    assert cli("queue", "call", "--window", "4", db=node.url).out.strip() == "请 A001 号到 4 号窗口"
    text = cli("queue", "status", db=node.url).out
    assert "A 综合受理：0 人" in text and "4 号窗口  A001  已叫号（第 1 次）" in text


def test_the_hall_set_up_is_loaded_from_a_file_and_checked(
    cli: Cli, node: Node, tmp_path: Path
) -> None:
    good = tmp_path / "hall.toml"
    good.write_text(
        '[categories.A]\nname = "综合受理"\n[categories.S]\nname = "社保医保"\n'
        '[windows.2]\ncategories = ["S"]\n',
        encoding="utf-8",
    )
    loaded = cli.as_admin("queue", "setup", good, db=node.url)
    assert loaded.code == 0, loaded.err
    assert json.loads(cli("queue", "setup", db=node.url).out)["windows"] == {
        "2": {"categories": ["S"]}
    }
    cli("queue", "issue", "A", db=node.url)
    assert "当前没有等候的号" in cli("queue", "call", "--window", "2", db=node.url).out
    bad = tmp_path / "bad.toml"
    bad.write_text('[categories.A]\nname = "综合"\n[windows.2]\ncategories = ["Q"]\n', "utf-8")
    refused = cli.as_admin("queue", "setup", bad, db=node.url)
    assert refused.code == 2
    assert refused.error_line == f"错误：设置文件 {bad}：窗口 2 服务的类别不存在：Q"


def test_a_phone_booking_is_made_listed_masked_and_cancelled(
    cli: Cli, node: Node, tmp_path: Path
) -> None:
    from datetime import date, timedelta

    hall = tmp_path / "hall.toml"
    hall.write_text(
        '[categories.A]\nname = "综合受理"\nslots = ["16:00-16:30"]\ncapacity = 1\n', "utf-8"
    )
    assert cli.as_admin("queue", "setup", hall, db=node.url).code == 0
    from counter_tui.db import read_session
    from counter_tui.workdays.service import calendar_for

    with read_session(node.engine) as session:
        calendar = calendar_for(session)
    day = date.today() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    args = ("queue", "book", "A", day.isoformat(), "16:00-16:30", "--name", "张三")
    made = cli(*args, "--id", "420602198503151231", "--json", db=node.url)
    assert made.code == 0, made.err
    code = json.loads(made.out)["code"]
    full = cli(*args[:-1], "李四", "--id", "11010519491231002X", db=node.url)
    assert full.code == 2 and "已约满" in full.error_line
    listed = cli("queue", "appointments", "--date", day.isoformat(), db=node.url).out
    assert "张*" in listed and "4206**********1231" in listed and "张三" not in listed
    refused = cli("queue", "cancel", code, "--reason", " ", db=node.url)
    assert refused.code == 2 and "需写明原因" in refused.error_line
    assert cli("queue", "cancel", code, "--reason", "来电取消", db=node.url).code == 0
    again = cli(*args[:-1], "李四", "--id", "11010519491231002X", db=node.url)
    assert again.code == 0, again.err
