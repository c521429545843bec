"""A command that opens a node imports only the doors it uses (a `users list` started 0.3 s
faster for it); the app, which opens them all at once in its worker, gets every one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import Node

PROBE = """
import json, sys
from counter_tui.desk.node import open_desk
from counter_tui.settings import Settings

desk = open_desk(Settings(db_url=sys.argv[1]))
desk.accounts.accounts()
loaded = lambda: sorted(m for m in sys.modules if m.startswith("counter_tui.desk."))
before = loaded()
desk.open_doors()
print(json.dumps({"before": before, "after": loaded()}))
desk.close()
"""

DOORS = (
    "accounts",
    "calendar",
    "cases",
    "catalog",
    "feedback",
    "files",
    "hard_cases",
    "hub",
    "intake",
    "pad",
    "queue",
    "reports",
    "statistics",
    "sync",
)


@pytest.mark.parametrize("db_kind", ["sqlite"])  # what is imported is the same on both engines
def test_a_command_imports_the_doors_it_uses_and_the_app_gets_them_all(node: Node) -> None:
    ran = subprocess.run(
        [sys.executable, "-c", PROBE, node.url], capture_output=True, text=True, check=True
    )
    loaded = json.loads(ran.stdout)
    doors = {f"counter_tui.desk.{name}" for name in DOORS}
    assert doors & set(loaded["before"]) == {"counter_tui.desk.accounts"}
    assert "counter_tui.cases.commands" not in loaded["before"]
    assert doors <= set(loaded["after"])
