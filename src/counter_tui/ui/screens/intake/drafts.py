"""Intake drafts, kept for the screen: saved as the clerk types (DESIGN §4.5: a killed app
loses nothing), restored once at sign-in, discarded on Ctrl+N or when another case is resumed.

Drafts are not journaled (docs/architecture.md): `desk.intake` writes the `intake_draft` row.
The work runs in the screen's thread workers, so a failure is reported on its status line like
any other step's (ui/workers.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from counter_tui.actor import Actor
    from counter_tui.cases.drafts import Draft
    from counter_tui.cases.intake import Intake
    from counter_tui.desk.node import Desk

#: The worker group of every draft step.
GROUP = "intake-draft"


class Drafts:
    """The draft of the intake on screen: its id once saved, and the newest text to save."""

    def __init__(self, owner: DOMNode) -> None:
        #: The screen whose workers run the saves.
        self._owner = owner
        #: The saved draft's id, None until the first save (and after an outcome).
        self.draft_id: str | None = None
        self._pending: Intake | None = None
        # One writer at a time: a save, a discard, or an outcome removing the draft.
        self._lock = threading.Lock()
        self._restored = False

    def restore(self, desk: Desk, actor: Actor, then: Callable[[Draft], None]) -> None:
        """The signed-in clerk's latest draft, once per screen: `then` puts it in the form."""
        if self._restored:
            return
        self._restored = True
        self._owner.run_worker(partial(self._read, desk, actor, then), thread=True, group=GROUP)

    def _read(self, desk: Desk, actor: Actor, then: Callable[[Draft], None]) -> None:
        draft = desk.intake.latest_draft(actor)
        if draft is not None:
            hand_back(self._restored_draft, draft, then)

    def _restored_draft(self, draft: Draft, then: Callable[[Draft], None]) -> None:
        self.draft_id = draft.id
        then(draft)

    def save(self, desk: Desk, actor: Actor, intake: Intake, case_id: str | None) -> None:
        """Something was typed or marked: save `intake` as the draft (of `case_id` when a
        notified case is being resumed)."""
        self._pending = intake
        self._owner.run_worker(partial(self._write, desk, actor, case_id), thread=True, group=GROUP)

    def _write(self, desk: Desk, actor: Actor, case_id: str | None) -> None:
        # It writes whatever is newest: a slow save never overwrites a later one with older text.
        with self._lock:
            intake, self._pending = self._pending, None
            if intake is None:
                return
            self.draft_id = desk.intake.save_draft(actor, intake, self.draft_id, case_id)

    def settle(self) -> None:
        """Before an outcome (in its worker thread): wait for a save in flight and drop any
        still to come, since the outcome removes the draft it wrote."""
        with self._lock:
            self._pending = None

    def discard(self, desk: Desk, actor: Actor) -> None:
        """Give up the draft on screen (Ctrl+N, another case resumed)."""
        draft_id, self.draft_id = self.draft_id, None
        if draft_id:
            self._owner.run_worker(
                partial(self._remove, desk, actor, draft_id), thread=True, group=GROUP
            )

    def _remove(self, desk: Desk, actor: Actor, draft_id: str) -> None:
        with self._lock:
            self._pending = None
            desk.intake.discard_draft(actor, draft_id)

    def forget(self) -> None:
        """The outcome removed the draft with the case: the next applicant starts a new one."""
        self.draft_id = None
