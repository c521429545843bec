"""One trainee's run of a scenario: set the hall up, then watch the journal for the steps.

`start()` applies the scenario's givens through the services and remembers where the journal
stands; `observe()` reads only the events committed since it last looked (by `event.seq`, the
commit order) and matches them, in order, against the current task's checks and the known
mistakes. The screen is never consulted: a step counts because the journal says it happened.

Score: 100, minus `hint_cost` (5) per hint taken and `mistake_cost` (10) per mistake caught,
never below 0. Time: from start() to the last task passed, on the demo's clock.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from counter_tui.clock import now_local
from counter_tui.db import read_session
from counter_tui.demo.checks import Context, Seen, TicketFacts, matches
from counter_tui.demo.progress import Seat, current_seat
from counter_tui.demo.scenario import Clause, Mistake, Scenario, Task
from counter_tui.journal.models import APPLIED, Event

PASSED = "passed"
MISTAKE = "mistake"
FINISHED = "finished"
NO_MORE_HINTS = "没有更多提示"
#: The most events one observe() reads; the rest wait for the next call (a trainee makes a
#: handful per action, a living hall's background a few more).
BATCH = 500


@dataclass(frozen=True)
class Outcome:
    """What observe() found: a task passed (the next one is current now), a mistake caught
    (`message` is the scenario's words for it), or the whole scenario finished."""

    kind: str
    message: str
    #: The task it concerns (0-based).
    task: int


@dataclass(frozen=True)
class TaskResult:
    title: str
    passed: bool
    hints: int
    mistakes: int
    #: Seconds from start() to when the task passed (None while not passed).
    passed_after: int | None


@dataclass(frozen=True)
class Summary:
    """What the end screen and the classroom show."""

    name: str
    title: str
    score: int
    elapsed_seconds: int
    mistakes: int
    hints: int
    finished: bool
    tasks: tuple[TaskResult, ...]


class _Facts:
    """Look-ups the checks may make, read from the projections in the observing session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def ticket(self, ticket_id: str) -> TicketFacts | None:
        from counter_tui.queue.models import QueueTicket

        row = self.session.get(QueueTicket, ticket_id)
        if row is None:
            return None
        return TicketFacts(
            number=row.number,
            category=row.issued_category,
            priority=bool(row.priority),
            appointment=row.appointment_id is not None,
        )


class ScenarioRun:
    """A scenario played on one demo database.

    start() applies the givens (services, a transaction): call it in a worker, not on the
    app's event loop. observe(), hint() and abandon() may be called from different threads
    (a polling worker, a key press): one lock keeps them one at a time. `seat`: the classroom
    seat to keep up to date; by default this process's seat, if it is one (demo.progress)."""

    def __init__(
        self,
        scenario: Scenario,
        engine: Engine,
        *,
        site: str | None = None,
        clock: Callable[[], datetime] | None = None,
        seat: Seat | Literal["current"] | None = "current",
    ) -> None:
        self.scenario = scenario
        self.engine = engine
        self._site = site
        self._clock = clock or now_local
        self._seat = current_seat() if seat == "current" else seat
        self._lock = threading.RLock()
        self._position: int | None = None
        self._started_at: datetime | None = None
        self._ended_at: datetime | None = None
        self._index = 0
        self._labels: dict[str, str] = {}
        #: Checks of the current task matched so far (indexes into task.checks).
        self._matched: set[int] = set()
        self._hints = [0] * len(scenario.tasks)
        self._mistakes = [0] * len(scenario.tasks)
        self._passed_after: list[int | None] = [None] * len(scenario.tasks)

    # --- the run's life ---------------------------------------------------------------------

    def start(self) -> None:
        """Apply the givens (one transaction) and remember the journal's position: only what
        is recorded after this counts. Raises UserError when a given cannot be applied (the
        demo hall lacks what the scenario needs): the message names the file and line."""
        from counter_tui.db import write_session
        from counter_tui.demo.givens_apply import Setting, apply
        from counter_tui.demo.scenario import ScenarioError
        from counter_tui.errors import UserError
        from counter_tui.site.service import node

        if self._position is not None:
            raise RuntimeError("the run has started already")
        with write_session(self.engine) as session:
            site = self._site or node(session).site
            setting = Setting(site=site, now=self._clock(), labels=self._labels)
            for given in self.scenario.givens:
                try:
                    made = apply(session, given, setting)
                except UserError as exc:
                    source = self.scenario.source or self.scenario.name
                    raise ScenarioError(source, given.line, f"无法准备：{exc.message}") from None
                if given.label:
                    self._labels[given.label] = made
        with read_session(self.engine) as session:
            self._position = session.exec(select(func.max(col(Event.seq)))).one() or 0
        self._started_at = self._clock()
        self._publish()

    def observe(self) -> list[Outcome]:
        """Read the events recorded since the last call; what they showed, in order."""
        with self._lock:
            return self._observe()

    def _observe(self) -> list[Outcome]:
        if self._position is None or self.finished:
            return []
        outcomes: list[Outcome] = []
        # read_session: a busy or vanished database is a DatabaseUnavailable (a UserError)
        # the app's worker reports, not a driver's exception.
        with read_session(self.engine) as session:
            rows = session.exec(
                select(Event.seq, Event.type, Event.actor, Event.payload)
                .where(col(Event.seq) > self._position, Event.status == APPLIED)
                .order_by(col(Event.seq))
                .limit(BATCH)
            ).all()
            facts = _Facts(session)
            for seq, type_, actor, payload in rows:
                if seq is None:  # never: the query asks for seq > position
                    continue
                self._position = seq
                if self.finished:
                    continue
                seen = Seen(seq=seq, type=type_, actor=actor, payload=json.loads(payload))
                outcomes += self._consider(seen, Context(labels=self._labels, facts=facts))
        if outcomes:
            self._publish()
        return outcomes

    def hint(self) -> str:
        """The current task's next hint (it costs `hint_cost` points), or 没有更多提示 (free)."""
        with self._lock:
            return self._hint()

    def _hint(self) -> str:
        task = self.current_task
        if task is None:
            return NO_MORE_HINTS
        taken = self._hints[self._index]
        if taken >= len(task.hints):
            return NO_MORE_HINTS
        self._hints[self._index] += 1
        self._publish()
        return task.hints[taken]

    def abandon(self) -> None:
        """The trainee gave up: the run stops; the classroom sees it unfinished."""
        with self._lock:
            self._abandon()

    def _abandon(self) -> None:
        self._ended_at = self._ended_at or self._clock()
        self._position = None
        self._publish(abandoned=True)

    # --- where it stands --------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._started_at is not None

    @property
    def finished(self) -> bool:
        return self._index >= len(self.scenario.tasks)

    @property
    def current_task(self) -> Task | None:
        return None if self.finished else self.scenario.tasks[self._index]

    @property
    def index(self) -> int:
        """The current task, 0-based (== count once finished)."""
        return self._index

    @property
    def count(self) -> int:
        return len(self.scenario.tasks)

    @property
    def hints_used(self) -> int:
        return sum(self._hints)

    @property
    def hints_left(self) -> int:
        task = self.current_task
        return 0 if task is None else len(task.hints) - self._hints[self._index]

    @property
    def mistakes(self) -> int:
        return sum(self._mistakes)

    @property
    def score(self) -> int:
        scenario = self.scenario
        lost = self.hints_used * scenario.hint_cost + self.mistakes * scenario.mistake_cost
        return max(0, 100 - lost)

    @property
    def elapsed_seconds(self) -> int:
        if self._started_at is None:
            return 0
        end = self._ended_at or self._clock()
        return max(0, int((end - self._started_at).total_seconds()))

    @property
    def labels(self) -> dict[str, str]:
        """The names bound so far (`as=`): label → id of the case, ticket … (for tests, UIs)."""
        return dict(self._labels)

    def summary(self) -> Summary:
        return Summary(
            name=self.scenario.name,
            title=self.scenario.title,
            score=self.score,
            elapsed_seconds=self.elapsed_seconds,
            mistakes=self.mistakes,
            hints=self.hints_used,
            finished=self.finished,
            tasks=tuple(
                TaskResult(
                    title=task.title,
                    passed=self._passed_after[i] is not None,
                    hints=self._hints[i],
                    mistakes=self._mistakes[i],
                    passed_after=self._passed_after[i],
                )
                for i, task in enumerate(self.scenario.tasks)
            ),
        )

    # --- matching ---------------------------------------------------------------------------

    def _consider(self, seen: Seen, ctx: Context) -> list[Outcome]:
        task = self.scenario.tasks[self._index]
        for mistake in (*task.mistakes, *self.scenario.mistakes):
            if matches(mistake.clause, seen, ctx):
                return [self._caught(mistake)]
        for number, check in enumerate(task.checks):
            if number in self._matched or not matches(check, seen, ctx):
                continue
            self._matched.add(number)
            self._bind(check, seen)
            break
        if len(self._matched) < len(task.checks):
            return []
        return self._passed(task)

    def _bind(self, check: Clause, seen: Seen) -> None:
        if check.label:
            self._labels[check.label] = seen.subject

    def _caught(self, mistake: Mistake) -> Outcome:
        self._mistakes[self._index] += 1
        return Outcome(MISTAKE, mistake.message, self._index)

    def _passed(self, task: Task) -> list[Outcome]:
        self._passed_after[self._index] = self.elapsed_seconds
        outcomes = [Outcome(PASSED, task.title, self._index)]
        self._index += 1
        self._matched = set()
        if self.finished:
            self._ended_at = self._clock()
            outcomes.append(Outcome(FINISHED, self.scenario.title, self._index - 1))
        return outcomes

    def _publish(self, *, abandoned: bool = False) -> None:
        if self._seat is not None:
            self._seat.follow(self, abandoned=abandoned)
