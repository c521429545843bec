"""Several processes writing to one node at once (windows, the display, the back office share a
database, DESIGN §2): no event is lost and the hash chain never forks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.db import read_session
from counter_tui.journal.models import JournalHead
from counter_tui.journal.service import verify
from counter_tui.site.models import Site
from tests.conftest import Node
from tests.core.helpers import events

WRITER = Path(__file__).with_name("writer.py")
PROCESSES = 4
EVENTS_EACH = 25


def start_writer(node: Node, prefix: str, mode: str, count: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), node.url, node.site, prefix, mode, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_processes_writing_at_once_lose_nothing_and_keep_one_chain(node: Node) -> None:
    before = len(events(node.engine))
    prefixes = [f"421202-W{i}" for i in range(PROCESSES)]
    writers = [start_writer(node, prefix, "burst", EVENTS_EACH) for prefix in prefixes]
    try:
        for writer in writers:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready", writer.stderr
        for writer in writers:  # the start signal, as close together as we can make it
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
            assert out.strip() == "done"
    finally:
        for writer in writers:
            writer.kill()

    journal = events(node.engine)
    assert len(journal) == before + PROCESSES * EVENTS_EACH
    with read_session(node.engine) as session:
        assert verify(session) == (len(journal), None)
        head = session.get(JournalHead, node.site)
        codes = set(session.exec(select(Site.code)).all())
    assert head is not None and head.count == len(journal)
    expected = {f"{prefix}-{n}" for prefix in prefixes for n in range(EVENTS_EACH)}
    assert expected <= codes
    # Each writer's events keep the order in which that writer committed them.
    for prefix in prefixes:
        mine = [e.payload for e in journal if e.actor == f"writer:{prefix}"]
        assert mine == [f'{{"code":"{prefix}-{n}","name":"写入{n}"}}' for n in range(EVENTS_EACH)]
