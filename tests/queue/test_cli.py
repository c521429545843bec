"""`counter-tui queue …` as a kiosk and a script use it, on both engines: issue, call, recall,
finish, status, the hall set-up, and refusals as one Chinese line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli, Node


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
    loaded = cli("queue", "setup", good, db=node.url)
    assert loaded.code == 0, loaded.err
    assert json.loads(cli("queue", "setup", db=node.url).out)["windows"] == {
        "2": {"categories": ["S"]}
    }
    cli("queue", "issue", "A", db=node.url)
    assert "当前没有等候的号" in cli("queue", "call", "--window", "2", db=node.url).out
    bad = tmp_path / "bad.toml"
    bad.write_text('[categories.A]\nname = "综合"\n[windows.2]\ncategories = ["Q"]\n', "utf-8")
    refused = cli("queue", "setup", bad, db=node.url)
    assert refused.code == 2
    assert refused.error_line == f"错误：设置文件 {bad}：窗口 2 服务的类别不存在：Q"
