"""The training run of a demo, as the app keeps it: which scenario runs, watching the journal for
the trainee's steps, the notices they earn, and the screens around a run (picker, task panel,
result).

The engine (demo/training.py) judges; this module only asks it and shows the answers. A run is
watched by a timer (`POLL_EVERY_S`): each tick, one thread worker asks `observe()`, which reads
only the journal rows written since the last tick, so the clerk's keys never wait for it
(measured on the demo hall, 2 shared cores: observe() with nothing new 0.5 ms; a key press on
the intake, headless, median 109–111 ms with a run against 103–114 ms without, the pilot's own
wait included: no difference beyond the noise). Passed tasks and caught mistakes come back as
notices; the task bar on every section screen reads `bar_line()` and repaints on `changed`.

A run outlives a sign-out: a scenario may ask the trainee to sign in again as the back office.
The picker is offered once, after the first sign-in of a demo (`counter-tui demo --scenario
NAME` starts that one instead), and again from the command palette or after a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.signal import Signal
from textual.timer import Timer

from counter_tui.errors import UserError
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from collections.abc import Callable

    from counter_tui.demo.progress import Seat
    from counter_tui.demo.scenario import Scenario
    from counter_tui.demo.training import Outcome, ScenarioRun, Summary
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.screens.training_picker import Picked, ScenarioEntry

#: How often the journal is read for the trainee's steps while a run is on: a notice comes at
#: most this late after the step that earned it.
POLL_EVERY_S = 0.5

#: After a failed read (a busy database), the next ones wait this many ticks: one notice about
#: it, not two a second.
BACK_OFF_TICKS = 10

#: The app's keys of a training run (CounterApp.BINDINGS).
BINDINGS = [
    Binding(
        "ctrl+r",
        "training",
        "练习",
        id="training.task",
        tooltip="练习中：本项任务的说明和提示（提示扣分）；未在练习时：选择练习场景",
        show=False,
    ),
]


@dataclass(frozen=True)
class TaskView:
    """What the task panel shows (ui/screens/training_task.py)."""

    scenario: str
    #: 2/5
    place: str
    title: str
    instruction: str
    hints: tuple[str, ...]
    out_of_hints: bool
    hint_cost: int


class TrainingKeeper:
    """The app's training run and everything around it; one per app."""

    def __init__(self, app: CounterApp) -> None:
        self.app = app
        #: The run in progress (None: no scenario, free practice or a real hall).
        self.run: ScenarioRun | None = None
        #: Published (with None) whenever what the task bar or panel shows has changed.
        self.changed: Signal[None] = Signal(app, "training")
        #: The hints shown for the current task, in order.
        self.hints: list[str] = []
        #: Set once the picker was offered (or --scenario started): later sign-ins go straight on.
        self.offered = False
        #: Whether the trainee's name was asked (a classroom seat asks once).
        self.named = False
        #: The best score of each scenario finished in this session (the picker shows it).
        self.best: dict[str, int] = {}
        #: The summary of the last run finished (what its result screen showed; tests read it).
        self.last: Summary | None = None
        self._timer: Timer | None = None
        self._polling = False
        self._skip = 0

    @property
    def active(self) -> bool:
        return self.run is not None and not self.run.finished

    # --- sign-in ---------------------------------------------------------------------------

    def signed_in(self) -> None:
        """After a sign-in: in a demo, start --scenario's run or offer the picker, once."""
        if self.app.demo is None or self.offered:
            self._tell()
            return
        self.offered = True
        named = self.app.demo.options.scenario
        if named:
            self.start(named)
        else:
            self.open_picker()

    # --- picking and starting --------------------------------------------------------------

    def open_picker(self) -> None:
        """The scenario picker (palette: 练习：选择练习场景); while a run is on, it asks first."""
        if self.active:
            self.ask_abandon(then=self.open_picker)
            return
        from counter_tui.ui.screens.training_picker import ScenarioEntry

        best = dict(self.best)

        def listed() -> None:
            from counter_tui.demo.scenario_files import shipped_scenarios

            entries = [
                ScenarioEntry(
                    s.name, s.title, s.summary, len(s.tasks), s.account_label, best.get(s.name)
                )
                for s in shipped_scenarios()
            ]
            seat = self._seat()
            ask = seat is not None and not self.named
            hand_back(self._show_picker, entries, ask, seat.trainee if seat else "")

        self.app.run_worker(listed, thread=True, group="training-list")

    def _show_picker(self, entries: list[ScenarioEntry], ask_name: bool, seat_name: str) -> None:
        from counter_tui.ui.screens.training_picker import TrainingPicker

        self.app.push_screen(
            TrainingPicker(entries, ask_name=ask_name, seat_name=seat_name, key=self.key_label()),
            self._picked,
        )

    def _picked(self, picked: Picked | None) -> None:
        if picked is None:
            return
        trainee = picked.trainee or ""
        if picked.trainee is not None:
            self.named = True
        if picked.scenario is not None:
            self.start(picked.scenario, trainee=trainee)
        elif trainee:
            self._name_seat(trainee)

    def start(self, name: str, *, trainee: str = "") -> None:
        """Start the scenario `name` on this demo's database (its givens set the hall up);
        `trainee` names the classroom seat first (in the same worker: one writer of its file)."""
        desk, signed = self.app.desk, self.app.signed_in
        if desk is None or signed is None or self.app.demo is None:
            return

        def begin() -> None:
            from counter_tui.demo.scenario_files import find_scenario
            from counter_tui.demo.training import ScenarioRun

            seat = self._seat()
            if seat is not None and trainee:
                seat.update(trainee=trainee)

            try:
                scenario = find_scenario(name)
                run = ScenarioRun(scenario, desk.engine, clock=self.app.clock, seat=seat)
                run.start()
            except UserError as exc:  # an unknown --scenario (the message lists those there
                # are), a broken file, a given the hall cannot take: said, then the picker
                hand_back(self._not_started, exc.message)
                return
            hand_back(self._started, run)

        self.app.run_worker(begin, thread=True, exclusive=True, group="training-start")

    def _not_started(self, message: str) -> None:
        self.app.notify(message, severity="error", timeout=20, markup=False)
        self.open_picker()

    def _started(self, run: ScenarioRun) -> None:
        self.run = run
        self.hints = []
        if self._timer is None:
            self._timer = self.app.set_interval(POLL_EVERY_S, self.poll_now)
        else:
            self._timer.resume()
        scenario = run.scenario
        task = run.current_task
        lines = [f"开始练习：{scenario.title}（共 {run.count} 项）"]
        if task is not None:
            lines += [f"第 1 项：{task.title}", task.instruction]
        lines.append(f"{self.key_label()}：任务说明与提示")
        signed = self.app.signed_in
        if signed is not None and not _fits(scenario, signed.actor.role):
            lines.append(f"本练习应以{scenario.account_label}账号登录：按 F9 注销后换账号")
        self.app.notify("\n".join(lines), title="练习", timeout=10, markup=False)
        self._tell()

    # --- watching --------------------------------------------------------------------------

    def poll_now(self) -> None:
        """Read the trainee's new steps (the timer's tick; tests call it instead of waiting)."""
        run = self.run
        if run is None or run.finished or self._polling:
            return
        if self._skip:
            self._skip -= 1
            return
        self._polling = True

        def observe() -> None:
            try:
                outcomes = run.observe()
            except BaseException:
                self._skip = BACK_OFF_TICKS
                raise
            finally:
                self._polling = False
            if outcomes:
                hand_back(self._observed, run, outcomes)

        self.app.run_worker(observe, thread=True, group="training-poll")

    def _observed(self, run: ScenarioRun, outcomes: list[Outcome]) -> None:
        from counter_tui.demo.training import MISTAKE, PASSED

        if run is not self.run:  # abandoned meanwhile
            return
        for outcome in outcomes:
            if outcome.kind == MISTAKE:
                self.app.notify(
                    outcome.message,
                    title=f"操作有误（扣 {run.scenario.mistake_cost} 分）",
                    severity="error",
                    timeout=12,
                    markup=False,
                )
            elif outcome.kind == PASSED:
                self.hints = []
                tasks = run.scenario.tasks
                line = f"完成：{outcome.message}"
                following = outcome.task + 1
                if following < len(tasks):  # this outcome's next, even when it passed as well
                    task = tasks[following]
                    line += (
                        f"\n下一项（{following + 1}/{run.count}）：{task.title}\n{task.instruction}"
                    )
                self.app.notify(line, title="练习", timeout=10, markup=False)
        self._tell()
        if run.finished:
            self._finished(run)

    def _finished(self, run: ScenarioRun) -> None:
        from counter_tui.ui.screens.training_result import TrainingResultScreen

        self.run = None
        if self._timer is not None:
            self._timer.pause()
        name = run.scenario.name
        self.best[name] = max(run.score, self.best.get(name, 0))
        self.last = run.summary()
        self._tell()

        def after(again: bool | None) -> None:
            if again:
                self.open_picker()

        self.app.push_screen(TrainingResultScreen(self.last), after)

    # --- the task and its hints ------------------------------------------------------------

    def key_label(self) -> str:
        """The task key as typed (after the config file's [keys])."""
        from counter_tui.ui.keys import typed_key

        return typed_key(BINDINGS[0], dict(self.app.settings.keys or {}))

    def bar_line(self) -> tuple[str, str, str, str] | None:
        """The task bar's parts (place, task, key, score), or None when no run is on."""
        run = self.run
        task = run.current_task if run is not None else None
        if run is None or task is None:
            return None
        return (
            f"练习 {run.index + 1}/{run.count}",
            task.title,
            f"{self.key_label()} 说明/提示",
            f"得分 {run.score}",
        )

    def task_view(self) -> TaskView | None:
        run = self.run
        task = run.current_task if run is not None else None
        if run is None or task is None:
            return None
        return TaskView(
            scenario=run.scenario.title,
            place=f"{run.index + 1}/{run.count}",
            title=task.title,
            instruction=task.instruction,
            hints=tuple(self.hints),
            out_of_hints=run.hints_left == 0,
            hint_cost=run.scenario.hint_cost,
        )

    def key(self) -> None:
        """Ctrl+R in a demo: the task panel during a run, else the picker (no other key was
        free for it: every Ctrl key an input does not take is someone's already)."""
        from counter_tui.ui.screens.training_picker import TrainingPicker
        from counter_tui.ui.screens.training_result import TrainingResultScreen

        if isinstance(self.app.screen, TrainingPicker | TrainingResultScreen):
            return  # the picker is there, or a result that leads to it
        if self.active:
            self.open_task()
        else:
            self.open_picker()

    def open_task(self) -> None:
        """Ctrl+R: the task panel (instruction, hints so far, the key for the next)."""
        from counter_tui.ui.screens.training_task import TrainingTaskScreen

        if self.active and not isinstance(self.app.screen, TrainingTaskScreen):
            self.app.push_screen(TrainingTaskScreen())

    def next_hint(self) -> None:
        """The current task's next hint (it costs points: the engine counts it)."""
        run = self.run
        if run is None or run.finished:
            return

        def ask() -> None:
            index, hint = run.index, run.hint()
            hand_back(self._hinted, run, hint, index)

        self.app.run_worker(ask, thread=True, group="training-hint")

    def _hinted(self, run: ScenarioRun, hint: str, index: int) -> None:
        from counter_tui.demo.training import NO_MORE_HINTS

        if run is not self.run:
            return
        if hint != NO_MORE_HINTS and index == run.index:
            self.hints.append(hint)
        self._tell()

    # --- abandoning ------------------------------------------------------------------------

    def ask_abandon(self, then: Callable[[], object] | None = None) -> None:
        """放弃练习: asked first; the run ends without a score."""
        from counter_tui.ui.screens.ask import ChooseScreen

        run = self.run
        if run is None:
            return
        choices = (("abandon", "放弃本次练习（不计得分）"), ("keep", "继续练习"))

        def chosen(choice: str | None) -> None:
            if choice == "abandon" and run is self.run:
                self.abandon()
                if then is not None:
                    then()

        title = f"放弃练习“{run.scenario.title}”？"
        self.app.push_screen(ChooseScreen(title, choices, initial="keep"), chosen)

    def abandon(self) -> None:
        run, self.run = self.run, None
        self.hints = []
        if self._timer is not None:
            self._timer.pause()
        if run is not None:
            self.app.run_worker(run.abandon, thread=True, group="training-abandon")
            self.app.notify("已放弃练习，可自由练习", title="练习", markup=False)
        self._tell()

    def _tell(self) -> None:
        """The run moved: the bars and the panel repaint, and the app's `-training` class says
        whether a bar takes a line (notifications rise above it: TrainingBar's CSS)."""
        self.app.set_class(self.active, "-training")
        self.changed.publish(None)

    def _name_seat(self, trainee: str) -> None:
        """The trainee's name on the classroom seat (the trainer's view shows it)."""

        def write() -> None:
            seat = self._seat()
            if seat is not None:
                seat.update(trainee=trainee)

        self.app.run_worker(write, thread=True, group="training-seat")

    def _seat(self) -> Seat | None:
        """This process's classroom seat (None outside a classroom; progress.py makes it once),
        told which database it practises on."""
        from counter_tui.demo.progress import current_seat

        demo = self.app.demo
        return current_seat(database=demo.path if demo is not None else None)


def _fits(scenario: Scenario, role: str) -> bool:
    """Whether `role` is the account the scenario is written for (a trainer may do anything)."""
    return role in (scenario.account, "trainer")
