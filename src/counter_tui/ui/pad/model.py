"""What the rating pad decides without Textual or a database: which ended service to ask
about, and the answer it keeps until the database has it. Pure.

One prompt at a time. Ends of the applicant's visit on screen are asked in turn (a case
delivered while the ticket was held, then the ticket); an end of a newer visit means the
applicant on screen has gone: their prompt is closed as 未评价 (or with the level they gave,
without a reason) and the newer one is shown. Ends of older visits that were never shown are
closed as 未评价 too, so they are not offered again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_tui.desk.pad import ServiceEnd


@dataclass(frozen=True)
class Answer:
    """What the applicant gave for one end: a level 1–5 (with reason codes for 4–5), or
    nothing (`level` None: 未评价)."""

    end: ServiceEnd
    at: datetime
    level: int | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def given(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class Sorted:
    """The pad's next move after a look at the pending ends."""

    #: Ends to close as 未评价 without showing them.
    stale: tuple[ServiceEnd, ...]
    #: The end to ask about next (None: keep what is on screen, or sleep).
    show: ServiceEnd | None
    #: The prompt on screen is superseded by a newer visit.
    supersede: bool = False


def sort_out(current: ServiceEnd | None, ends: Sequence[ServiceEnd]) -> Sorted:
    """Given the end on screen (None: asleep) and the pending ends not yet handled, oldest
    first (the one on screen excluded), what to close and what to show."""
    if not ends:
        return Sorted((), None)
    everything = sorted([*ends, *([current] if current else [])], key=lambda e: e.ended_at)
    latest = everything[-1].visit
    stale = tuple(e for e in ends if e.visit != latest)
    waiting = [e for e in ends if e.visit == latest]
    if current is not None and current.visit == latest:
        return Sorted(stale, None)  # the visit on screen goes on; its next end waits its turn
    return Sorted(stale, waiting[0] if waiting else None, supersede=current is not None)
