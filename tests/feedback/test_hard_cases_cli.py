"""`counter-tui hard-cases …` and `counter-tui assists …`: a signed-in clerk opens, informs and
asks a department; lists and show mask the applicant; refusals are one Chinese line."""

from __future__ import annotations

import json

from counter_tui.accounts.service import create_user
from counter_tui.db import write_session
from tests.conftest import Cli, Node
from tests.core.helpers import CLERK_PASSWORD, add_clerk
from tests.sqlite_only import commands_on_sqlite  # noqa: F401  (db_kind: SQLite only)


def test_a_hard_case_from_the_command_line(cli: Cli, node: Node) -> None:
    add_clerk(node)
    with write_session(node.engine) as session:
        create_user(
            session,
            node.operator,
            username="zhou",
            display_name="周督查",
            role="supervisor",
            password=CLERK_PASSWORD,
        )
    secret = cli.cwd / "pw.txt"
    secret.write_text(CLERK_PASSWORD + "\n", encoding="utf-8")
    as_li = ["--user", "li", "--password-file", str(secret)]
    opened = cli(
        "hard-cases",
        "open",
        "--kind",
        "shirking",
        "--problem",
        "[b]两个部门[/b]互相推诿",
        "--name",
        "张三丰",
        "--phone",
        "13812345678",
        *as_li,
        db=node.url,
    )
    assert opened.code == 0, opened.err
    number = opened.out.strip().removeprefix("已受理：")
    early = cli(
        "hard-cases",
        "coordinate",
        number,
        "--department",
        "县医保局",
        "--request",
        "核实",
        *as_li,
        db=node.url,
    )
    assert early.code == 2 and "先登记告知" in early.error_line
    assert cli("hard-cases", "inform", number, "--note", "已告知", *as_li, db=node.url).code == 0
    asked = cli(
        "hard-cases",
        "coordinate",
        number,
        "--department",
        "县医保局",
        "--request",
        "核实",
        "--days",
        "2",
        *as_li,
        db=node.url,
    )
    assert asked.code == 0 and "前答复" in asked.out
    # Nobody signed in reads, masked; the problem text comes back literally.
    shown = json.loads(cli("hard-cases", "show", number, "--json", db=node.url).out)
    assert shown["applicant"] == "张*丰" and shown["problem"] == "[b]两个部门[/b]互相推诿"
    assert [s["step"] for s in shown["steps"]] == ["受理", "告知", "协调"]
    assert shown["steps"][0]["who"] == "李四"
    listed = json.loads(cli("hard-cases", "list", "--json", db=node.url).out)
    assert [line["number"] for line in listed] == [number]
    # A clerk may not 督办; a supervisor may not before the deadline.
    refused = cli(
        "hard-cases",
        "supervise",
        number,
        "--department",
        "县医保局",
        "--note",
        "催",
        *as_li,
        db=node.url,
    )
    assert refused.code == 2 and "无权督办" in refused.error_line
    early = cli(
        "hard-cases",
        "supervise",
        number,
        "--department",
        "县医保局",
        "--note",
        "催",
        "--user",
        "zhou",
        "--password-file",
        str(secret),
        db=node.url,
    )
    assert early.code == 2 and "尚未超期" in early.error_line

    helped = cli(
        "assists",
        "record",
        "--way",
        "home",
        "--for",
        "elderly",
        "--minutes",
        "40",
        *as_li,
        db=node.url,
    )
    assert helped.code == 0, helped.err
    bad = cli(
        "assists",
        "record",
        "--way",
        "home",
        "--for",
        "elderly",
        "--minutes",
        "0",
        *as_li,
        db=node.url,
    )
    assert bad.code == 2 and "用时应为 1–600 分钟" in bad.error_line
    (line,) = json.loads(cli("assists", "list", "--json", db=node.url).out)
    assert (line["assistant"], line["way"], line["minutes"]) == ("李四", "home", 40)
