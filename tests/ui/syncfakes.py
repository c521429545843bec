"""A stand-in for the desk's sync door in interface tests: the status it reports and the rounds
it runs, scripted, so that a test is about what the app does with them (no hub needed)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from counter_tui.desk.records import Rejection, SyncRound, SyncStatus
from counter_tui.desk.sync import SyncDoor

#: 09:12 in the hall (UTC+8) on the day of the tests' fixed clock (2026-11-23 09:30).
SYNCED_AT = datetime(2026, 11, 23, 1, 12, tzinfo=UTC)


def sync_status(**changes: Any) -> SyncStatus:
    """A registered node, last synced at 09:12 with nothing waiting; `changes` say otherwise."""
    base = SyncStatus(
        demo=False,
        registered=True,
        hub_url="https://hub.xiangcheng.example",
        hub_name="襄城区县级中心",
        pending=0,
        last_success_at=SYNCED_AT,
        last_attempt_at=SYNCED_AT,
        offline_since=None,
        last_error="",
        hub_offset_ms=0,
        problems=0,
    )
    return replace(base, **changes)


def rejection(author: str, number: str, action: str = "撤回") -> Rejection:
    return Rejection(
        event_id=f"rejected-{number}",
        case_id=f"case-{number}",
        case_number=number,
        author=author,
        action=action,
        reason="中心已于 10:02 准予许可，不能再撤回",
        at=datetime(2026, 11, 23, 2, 2, tzinfo=UTC),
    )


class FakeSync:
    """What `desk.sync` says and does in a test: `status`, the next `outcomes` of `run`
    (a SyncRound or an exception; a round of nothing when none is left), `rejections` for
    `rejections_of` (less those `mark_read`, when unread ones are asked for). A round waits
    for `gate` when it is set (to hold one under way)."""

    def __init__(self) -> None:
        self.status = sync_status()
        self.outcomes: list[SyncRound | Exception] = []
        self.rejections: list[Rejection] = []
        self.rounds = 0
        self.status_reads = 0
        #: (username, unread) of each `rejections_of` call.
        self.asked: list[tuple[str, bool]] = []
        #: The event ids of the rejections marked read.
        self.read: set[str] = set()
        self.gate: threading.Event | None = None
        #: Run inside the next round (what the round brings, written to the database).
        self.arrives: Callable[[], None] | None = None
        self.started = threading.Event()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        fake = self

        def status(door: SyncDoor) -> SyncStatus:
            fake.status_reads += 1
            return fake.status

        def run(door: SyncDoor, progress: object = None) -> SyncRound:
            return fake.run()

        def rejections_of(
            door: SyncDoor, username: str, *, unread: bool = False
        ) -> list[Rejection]:
            fake.asked.append((username, unread))
            return [
                r
                for r in fake.rejections
                if r.author == username and not (unread and r.event_id in fake.read)
            ]

        def mark_read(door: SyncDoor, rejections: list[Rejection]) -> None:
            fake.read.update(r.event_id for r in rejections)

        monkeypatch.setattr(SyncDoor, "status", status)
        monkeypatch.setattr(SyncDoor, "run", run)
        monkeypatch.setattr(SyncDoor, "rejections_of", rejections_of)
        monkeypatch.setattr(SyncDoor, "mark_read", mark_read)

    def run(self) -> SyncRound:
        self.rounds += 1
        self.started.set()
        if self.gate is not None:
            self.gate.wait(timeout=10)
        if self.arrives is not None:
            self.arrives()
            self.arrives = None
        outcome = self.outcomes.pop(0) if self.outcomes else SyncRound(0, 0, [], 0, self.status)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
