"""Several windows accepting at the same moment, each its own process on one database: every
case gets its own number, and the numbers of the day run 0001, 0002 … without a gap."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from counter_tui.db import read_session
from counter_tui.journal.service import verify
from tests.cases.catalog import open_hall
from tests.conftest import Node

WINDOW = Path(__file__).with_name("window.py")
WINDOWS = 3
CASES_EACH = 5


@pytest.mark.slow
def test_windows_accepting_at_once_draw_distinct_numbers(node: Node, tmp_path: Path) -> None:
    hall = open_hall(node, tmp_path / "catalog")
    assert hall.clerk.user_id is not None
    windows = [
        subprocess.Popen(
            [sys.executable, str(WINDOW), node.url, node.site, hall.clerk.user_id, str(CASES_EACH)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WINDOWS)
    ]
    try:
        for window in windows:
            assert window.stdout is not None
            assert window.stdout.readline().strip() == "ready", window.stderr
        for window in windows:  # the start signal, as close together as we can make it
            assert window.stdin is not None
            window.stdin.write("go\n")
            window.stdin.flush()
        numbers: list[str] = []
        for window in windows:
            out, err = window.communicate(timeout=120)
            assert window.returncode == 0, err
            *drawn, last = out.split()
            assert last == "done"
            numbers += drawn
    finally:
        for window in windows:
            window.kill()

    total = WINDOWS * CASES_EACH
    assert sorted(numbers) == [f"421202-XA-BYQ-261123-{n:04d}" for n in range(1, total + 1)]
    with read_session(node.engine) as session:
        checked, breach = verify(session)
    assert breach is None and checked > total
