"""`counter-tui users … --site`: the county's administrator manages a village's accounts at the
hub; a village's administrator is refused another site's, before any password is typed."""

from __future__ import annotations

import json

from tests.conftest import Cli, Node
from tests.core.helpers import VILLAGE, enrol_village, events, execute


def test_the_county_admin_manages_a_villages_accounts_from_the_command_line(
    cli: Cli, node: Node
) -> None:
    enrol_village(node)
    (cli.cwd / "pw.txt").write_text("village-li-9\n", encoding="utf-8")
    add = ["users", "add", "li", "--role", "clerk", "--name", "东湖李四"]

    added = cli.as_admin(*add, "--site", VILLAGE, "--password-file", "pw.txt", db=node.url)
    disabled = cli.as_admin("users", "disable", "li", "--site", VILLAGE, db=node.url)
    listed = cli("users", "list", "--json", db=node.url)

    assert (added.code, added.out.strip()) == (0, f"已新增账号 li（东湖李四）（站点 {VILLAGE}）")
    assert (disabled.code, disabled.out.strip()) == (0, f"已停用 li（站点 {VILLAGE}）")
    rows = {(r["site"], r["username"]): r for r in json.loads(listed.out)}
    assert rows[(VILLAGE, "li")]["disabled"] is True
    assert rows[(node.site, "admin")]["disabled"] is False

    # The same hub, had it been a village's node: another site's accounts are not its own.
    execute(node.engine, "UPDATE node SET level = 'village'")
    before = len(events(node.engine))
    refused = cli.as_admin(*add, "--site", VILLAGE, "--password-file", "pw.txt", db=node.url)

    assert (refused.code, refused.error_line) == (
        2,
        f"无权操作：只能管理本站点（{node.site}）的账号：其他站点的账号由县级平台的管理员管理",
    )
    # Only the administrator's sign-in was recorded.
    assert [e.type for e in events(node.engine)[before:]] == ["user.login_succeeded"]
