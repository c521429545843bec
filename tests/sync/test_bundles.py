"""Sync by file (docs/sync.md, "Sync by file"): a village's export taken at the hub, the reply
taken at the village; repeats change nothing; online and file sync alternate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_tui.db import read_session
from counter_tui.journal.models import JournalHead
from tests.sync.bundles import Ends, ends, link_of, snapshot, village_events_at
from tests.sync.helpers import HUB_SITE, VILLAGE_SITE, handed_off


@pytest.fixture
def pair_ends(tmp_path: Path) -> Iterator[Ends]:
    with ends("sqlite", tmp_path) as found:
        yield found


def test_a_case_travels_by_file_and_its_approval_comes_back(pair_ends: Ends) -> None:
    e = pair_ends
    case_id = handed_off(e.served.village)
    bundle = e.export()
    assert link_of(e.village).pushed_count == 0  # an export marks nothing pushed

    reply = e.hub_import(bundle)
    assert village_events_at(e.hub) == village_events_at(e.village)

    taken = e.village.files.take_reply(reply)
    assert taken.rejections == []
    link = link_of(e.village)
    with read_session(e.village.engine) as session:
        head = session.get(JournalHead, VILLAGE_SITE)
        assert head is not None
        assert link.pushed_count == head.count
    assert e.village.sync.status().pending == 0
    assert case_id
