"""Queue (F3): one window's calling, and the reception's ticket issuing, from the keyboard.

The top line says which window this is and what it serves; the panel below, the ticket the
window is dealing with; the table, who this window may call, in calling order, then its parked
tickets, today's no-shows and tickets left open from earlier days. The keys offered follow the
window's state: n calls the next ticket when the window is free; r recalls, s starts, f
finishes (with an outcome), x marks a no-show, t transfers, p parks while one is held. Enter on
a row calls that ticket out of turn (with a reason), re-queues a no-show, or closes a leftover.
i issues a ticket at the reception (printing its slip); a checks in an appointment by its code
or ID number (a barcode scanner types it).

One flow (issue 15): `s` takes the clerk to the intake (F2) with the ticket in the header (the
app's copy, ui/held.py, set here at every load); `f` highlights the outcome the ticket's cases
imply, so Enter confirms it. Keys that destroy work ask once on the status line — the no-show
(`x`) and the recall that would become one (the fourth `r`): y or Enter confirms, any other
key cancels. Recalls wait the hall's minimum interval ([queue] recall_min_interval_seconds).

Other windows call from the same queue: the screen looks for changes every second (one cheap
query) and reloads only when something was recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from counter_tui.clock import now_local
from counter_tui.queue.rules import MAX_RECALLS, PRIORITY_REASONS, recall_too_soon
from counter_tui.ui.screens.section import SectionScreen
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from datetime import datetime

    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk
    from counter_tui.desk.queue import QueueView
    from counter_tui.queue.appointments import Appointment
    from counter_tui.queue.reads import Ticket

POLL_S = 1.0
#: Steps offered only while the window holds a ticket, by the states that allow them.
HELD_STEPS = {
    "recall": ("called",),
    "no_show": ("called",),
    "start": ("called",),
    "finish": ("called", "serving"),
    # Only once the applicant is at the window (and so the footer fits 80 columns).
    "transfer": ("serving",),
    "park": ("serving",),
}
#: What a row of the table is, and what Enter does with it.
ROW_KINDS = {"waiting": "等候", "parked": "暂离", "no_show": "过号", "leftover": "往日"}
COLUMNS = (("号码", 6), ("类别", 10), ("取号", 5), ("已等", 6), ("状态", 4))


def held_back(key: str) -> bool:
    """Whether a key typed while a step runs waits for its result: every key but the F-keys and
    Ctrl combinations, which leave the screen or the app and act at once."""
    return not (key.startswith("ctrl+") or (key[:1] == "f" and key[1:].isdigit()))


class QueueScreen(SectionScreen):
    section_name = "queue"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "call_next", "叫号", id="queue.call_next", tooltip="叫下一位"),
        Binding("r", "recall", "重呼", id="queue.recall", tooltip="再叫一次当前号"),
        Binding(
            "s", "start", "开始", id="queue.start", tooltip="申请人已到窗口：开始办理，转到受理"
        ),
        Binding("f", "finish", "办结", id="queue.finish", tooltip="结束办理，选择办理结果"),
        Binding("x", "no_show", "过号", id="queue.no_show", tooltip="叫号未到（按 y 或回车确认）"),
        Binding("t", "transfer", "转窗", id="queue.transfer", tooltip="转到其他类别或窗口"),
        Binding("p", "park", "暂离", id="queue.park", tooltip="申请人去取材料，稍后叫回"),
        Binding("i", "issue", "取号", id="queue.issue", tooltip="为来人取号并打印号票"),
        Binding("a", "check_in", "签到", id="queue.check_in", tooltip="预约签到：预约码或证件号"),
        Binding("b", "book", "预约", id="queue.book", tooltip="为来人或来电预约时段"),
        Binding(
            "v",
            "hard_cases",
            "办不成事",
            id="queue.hard_cases",
            tooltip="列出未办结的办不成事，受理新的",
        ),
        Binding("z", "assist", "帮代办", id="queue.assist", tooltip="登记为当前号提供的帮代办"),
    ]

    status = getters.query_one(StatusLine)

    def __init__(self) -> None:
        super().__init__()
        self.view: QueueView | None = None
        #: (kind, ticket) per table row.
        self.rows: list[tuple[str, Ticket]] = []
        self._marker = -1
        self._poll: Timer | None = None
        #: A destructive step waiting for its y/Enter on the status line: (what, step).
        self._pending: tuple[str, Callable[[], None]] | None = None
        #: A key pressed before the first picture was read (F3 then i at once): done then.
        self._after_load: Callable[[], None] | None = None
        #: While a step (n, s, f …) is on its way, the keys typed after it are held here and
        #: replayed once its result is on screen: a practised clerk types `n s` and the item's
        #: letters at once, and the `s` found no called ticket yet (seen in tmux on a loaded
        #: PC). "wait": the step is running; "step": replay after the next picture; "intake":
        #: replay on the intake `s` opens. Leaving the screen otherwise drops them.
        self._step_running = ""
        self._typed: list[tuple[str, str | None]] = []
        #: The worker of the step the held keys wait for: only its failure drops them.
        self._step_worker: Worker[None] | None = None

    @property
    def window(self) -> str:
        return self.counter.settings.window

    def compose_body(self) -> ComposeResult:
        yield Static("", id="queue-window")
        yield Static("", id="queue-held")
        yield DataTable(id="queue-table", cursor_type="row")
        yield StatusLine(id="queue-status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        table.add_column("说明")
        table.focus()
        self.counter.desk_signal.subscribe(self, lambda _: self.reload(force=True))
        self._poll = self.set_interval(POLL_S, self.reload)
        self.reload(force=True)

    def on_screen_resume(self) -> None:
        self._pending = None  # a question left on the line when the clerk went elsewhere
        self.reload(force=True)

    def on_screen_suspend(self) -> None:
        if self._step_running != "intake":  # `s` goes to the intake and replays there itself
            self._end_step(replay=False, why="已离开排队叫号")

    # --- type-ahead ---------------------------------------------------------------------------

    def _begin_step(self, worker: Worker[None]) -> None:
        self._step_running = "wait"
        self._step_worker = worker

    def _end_step(self, *, replay: bool = True, why: str = "上一步没有完成") -> None:
        """The step's result is on screen: the keys typed meanwhile go where they would have
        gone had the clerk waited — on this screen through its bindings, one at a time (a key
        that begins another step holds the rest again); on the intake `s` opened, as typed."""
        self._step_running = ""
        if not replay:
            dropped, self._typed = len(self._typed), []
            if dropped:  # the failure's own line stays where it is
                line = f"{why}，其间按的 {dropped} 个键未执行"
                self.app.notify(line, severity="warning")
        elif self.app.screen is self:
            self.call_later(self._replay)
        else:
            typed, self._typed = self._typed, []
            for key, character in typed:
                self.app.post_message(events.Key(key, character))

    async def _replay(self) -> None:
        while self._typed and not self._step_running:
            key, _ = self._typed.pop(0)
            active = self.active_bindings.get(key)
            if active is not None and active.enabled:
                await self.app.run_action(active.binding.action, active.node)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A step that failed (the failure rule says why on the status line) leaves nothing
        to replay the held keys after: they are dropped, and a notification says so. Only the
        step the keys wait for counts: a finished step whose thread ends late is cancelled by
        the next one a replayed key starts (its group is exclusive), and that is no failure."""
        if event.worker is self._step_worker and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self._end_step(replay=False)

    def now(self) -> datetime:
        return now_local(self.counter.clock()).replace(microsecond=0)

    # --- loading ------------------------------------------------------------------------------

    def reload(self, force: bool = False) -> None:
        desk = self.counter.desk
        if desk is not None and self.actor is not None and self.is_current:
            self._load(desk, force)

    @work(thread=True, exclusive=True, group="queue-load")
    def _load(self, desk: Desk, force: bool) -> None:
        from counter_tui.errors import DatabaseUnavailable

        try:
            mark = desk.queue.marker()
            if mark == self._marker and not force:
                return
            view = desk.queue.view(self.window, self.now())
        except DatabaseUnavailable as exc:  # busy or briefly gone: keep the last picture
            line = f"{exc.message}（列表会自动刷新）"
            hand_back(self._not_loaded, line)
            return
        hand_back(self._show, view, mark)

    def _not_loaded(self, line: str) -> None:
        self.status.show_failure(line)
        if self._step_running == "step":  # no new picture to replay the held keys on
            self._end_step(replay=False)

    def _show(self, view: QueueView, mark: int) -> None:
        # The marker is taken with the picture it belongs to: a load dropped because a newer
        # one took over (hand_back) must not make the newer one think nothing changed.
        self._marker = mark
        self.view = view
        if self._step_running == "step":  # after the picture below is drawn
            self.call_after_refresh(self._end_step)
        if self._after_load is not None:  # after the picture below is drawn
            self.status.say("")
            self.call_after_refresh(self._after_load)
            self._after_load = None
        names = dict(view.categories)
        served = "、".join(f"{p} {names.get(p, p)}" for p in view.served)
        counts = " · ".join(f"{p} {view.counts.get(p, 0)} 人" for p, _ in view.categories)
        where = (
            "导服台 · 取号 i、签到 a、预约 b"
            if view.reception
            else f"{view.window} 号窗口 · {served}"
        )
        self.query_one("#queue-window", Static).update(
            Text(f"{where}\n等候 {counts}", overflow="ellipsis")
        )
        held = Text("叫号在各窗口进行；这里为来人取号、预约签到", style="dim")
        if not view.reception:
            held = self._held_text(view.held)
            category = names.get(view.held.category, "") if view.held else ""
            self.counter.holding.show(view.held, category)
        self.query_one("#queue-held", Static).update(held)
        now = self.now()
        rows: list[tuple[str, Ticket]] = [("waiting", t) for t in view.waiting]
        rows += [("parked", t) for t in view.parked]
        rows += [("no_show", t) for t in view.no_shows]
        rows += [("leftover", t) for t in view.leftovers]
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        for kind, ticket in rows:
            waited = max(0, int((now - ticket.issued_at).total_seconds() // 60))
            table.add_row(
                Text(ticket.number),
                Text(names.get(ticket.category, ticket.category), overflow="ellipsis"),
                Text(f"{ticket.issued_at:%H:%M}" if kind != "leftover" else f"{ticket.day:%m-%d}"),
                Text(f"{waited} 分" if kind == "waiting" else ""),
                Text(ROW_KINDS[kind]),
                Text(_row_remark(kind, ticket), overflow="ellipsis", no_wrap=True),
            )
        self.rows = rows
        if rows:
            table.move_cursor(row=min(at, len(rows) - 1))
        self.refresh_bindings()

    def _held_text(self, held: Ticket | None) -> Text:
        if held is None:
            return Text("当前没有叫号：按 n 叫下一位", style="dim")
        text = Text()
        text.append(f"当前 {held.number}", style="bold")
        if held.state == "serving":
            text.append(
                f"  办理中（{held.started_at:%H:%M} 起）" if held.started_at else "  办理中"
            )
        else:
            text.append(f"  已叫号 第 {held.calls} 次（{held.called_at:%H:%M:%S}）")
            if held.calls > MAX_RECALLS:
                text.append("  再按 r 将记为过号", style="bold")
        remark = _remark(held)
        if remark:
            text.append(f"  {remark}")
        if held.case_numbers:
            text.append(f"  办件 {'、'.join(held.case_numbers)}")
        return text

    # --- which keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from counter_tui.accounts.rules import allowed

        actor = self.actor
        queue_keys = {
            "call_next",
            "step",
            "start",
            "recall",
            "no_show",
            "finish",
            "transfer",
            "park",
            "issue",
            "check_in",
            "book",
        }
        if action == "hard_cases":
            return actor is not None and allowed(actor.role, "feedback.hard_case")
        if action == "assist":
            held_now = self.view.held if self.view else None
            return (
                actor is not None
                and allowed(actor.role, "assistance.record")
                and held_now is not None
                and held_now.state == "serving"
            )
        if action not in queue_keys:
            return True
        if actor is None or not allowed(actor.role, "queue.call"):
            return False
        if self.counter.settings.reception:  # the reception desk issues and calls nobody
            return action in ("issue", "check_in", "book")
        held = self.view.held if self.view else None
        if action == "call_next":
            return held is None
        if action in (
            "issue",
            "check_in",
            "book",
        ):  # the reception's keys, while the window is free
            return held is None
        name = str(parameters[0]) if action == "step" else action
        if name not in HELD_STEPS:
            return False
        return held is not None and held.state in HELD_STEPS[name]

    # --- acting -----------------------------------------------------------------------------

    def _ready(self) -> tuple[Desk, Actor] | None:
        desk, actor = self.counter.desk, self.actor
        return (desk, actor) if desk is not None and actor is not None else None

    def action_call_next(self) -> None:
        self.action_step("call_next")

    def action_hard_cases(self) -> None:
        """The open hard cases; a new one takes the held ticket as its origin when the ticket
        is of the 办不成事 category (feedback.rules.is_hard_case_category)."""
        from counter_tui.feedback.rules import is_hard_case_category
        from counter_tui.ui.screens.hard_case import HardCaseListScreen

        held, names = self.held, dict(self.view.categories) if self.view else {}
        origin = ""
        if held is not None and is_hard_case_category(held.category, names.get(held.category, "")):
            origin = held.number
        self.app.push_screen(HardCaseListScreen(ticket_number=origin))

    def action_assist(self) -> None:
        from counter_tui.ui.screens.assist import AssistScreen

        held = self.held
        if held is None:
            return
        cases = held.case_numbers
        about = f"取号 {held.number}"

        def recorded(assist_id: str | None) -> None:
            if assist_id:
                self.status.say(f"已登记帮代办（{held.number}）")

        self.app.push_screen(
            AssistScreen(case_number=cases[0] if len(cases) == 1 else "", about=about), recorded
        )

    @property
    def held(self) -> Ticket | None:
        return self.view.held if self.view else None

    # --- asking once before a step that destroys work ---------------------------------------

    def _confirm(self, question: str, cancelled: str, step: Callable[[], None]) -> None:
        """Ask on the status line: y or Enter takes `step`, any other key cancels."""
        self._pending = (cancelled, step)
        self.status.say(f"{question}y/回车 确认，其他键取消")

    async def on_key(self, event: events.Key) -> None:
        if self._step_running and held_back(event.key):
            self._typed.append((event.key, event.character))
            event.stop()
            event.prevent_default()
            return
        pending, self._pending = self._pending, None
        if pending is None:
            await self._run_own_key(event)
            return
        event.stop()  # the answer is not also a key of the screen (Enter on a row, say)
        event.prevent_default()
        cancelled, step = pending
        if event.key in ("y", "enter"):
            step()
        else:
            self.status.say(f"已取消：{cancelled}")

    async def _run_own_key(self, event: events.Key) -> None:
        """Run this screen's own binding for `event` here and now, rather than when the key
        has bubbled up to the app: a burst from the terminal (`n s gtgsh` typed at once)
        reaches this handler key after key, and only a step begun by `n` before `s` is read
        lets `s` wait for it instead of finding no called ticket."""
        active = self.active_bindings.get(event.key)
        if active is None or active.node is not self or not active.enabled:
            return
        event.stop()
        event.prevent_default()
        await self.run_action(active.binding.action)

    def action_no_show(self) -> None:
        held = self.held
        if held is not None:
            self._confirm(
                f"确认 {held.number} 过号？",
                f"{held.number} 未记过号",
                lambda: self.action_step("no_show"),
            )

    def action_recall(self) -> None:
        held = self.held
        if held is None:
            return
        interval = timedelta(seconds=self.counter.settings.queue.recall_min_interval_seconds)
        too_soon = recall_too_soon(held.called_at, self.now(), interval)
        if too_soon:  # the service refuses it too; said at once, without a round trip
            self.status.say(too_soon, error=True)
        elif held.calls > MAX_RECALLS:
            self._confirm(
                f"{held.number} 已重呼 {MAX_RECALLS} 次，再重呼即记为过号：确认过号？",
                f"{held.number} 未记过号",
                lambda: self.action_step("recall"),
            )
        else:
            self.action_step("recall")

    # --- one flow: start here, serve at the intake, finish here -----------------------------

    def action_start(self) -> None:
        ready = self._ready()
        if ready is not None:
            self._begin_step(self._start(*ready))

    @work(thread=True, exclusive=True, group="queue-act")
    def _start(self, desk: Desk, actor: Actor) -> None:
        ticket = desk.queue.step(actor, "start", self.window, self.now())
        hand_back(self._started, ticket)

    async def _started(self, ticket: Ticket | None) -> None:
        """The applicant is at the window: go to the intake, the ticket in the header."""
        from counter_tui.ui.screens.intake.screen import IntakeScreen

        if ticket is None:
            self._end_step(replay=False)
            return
        from counter_tui.feedback.rules import is_hard_case_category

        names = dict(self.view.categories) if self.view else {}
        self.counter.holding.show(ticket, names.get(ticket.category, ""))
        if is_hard_case_category(ticket.category, names.get(ticket.category, "")):
            # The 办不成事·帮代办 window: a hard case, a 帮代办, or an intake done for the
            # applicant; which one, the clerk knows only after listening.
            self.status.say(f"{ticket.number} 办理中：v 受理办不成事  z 登记帮代办  F2 代为受理")
            self._step_running = "step"  # the held keys wait for the picture in service
            self.reload(force=True)  # the keys of a ticket in service (z, t, p) now apply
            return
        self.status.say(f"{ticket.number} 办理中：受理完回到 F3 按 f 办结")
        if self._step_running:
            self._step_running = "intake"
        await self.app.switch_mode("intake")
        screen = self.app.screen
        if isinstance(screen, IntakeScreen):
            screen.item.focus_search()
        self._end_step()  # the item's letters typed after `s` go to its search

    def action_step(self, name: str, **kw: Any) -> None:
        ready = self._ready()
        if ready is not None:
            self._begin_step(
                self._act(ready[0], lambda b, a, now: b.queue.step(a, name, self.window, now, **kw))
            )

    @work(thread=True, exclusive=True, group="queue-act")
    def _act(self, desk: Desk, fn: Any, done: Any = None) -> None:
        result = fn(desk, self.actor, self.now())
        hand_back(self._stepped, done(result) if done else _done(result, self.window))

    def _stepped(self, message: str) -> None:
        self.status.say(message)
        if self._step_running:
            self._step_running = "step"  # replayed on the picture the step changed
        self.reload(force=True)

    def action_finish(self) -> None:
        ready = self._ready()
        if ready is not None:
            self._begin_step(self._propose(ready[0]))

    @work(thread=True, exclusive=True, group="queue-act")
    def _propose(self, desk: Desk) -> None:
        hand_back(self._ask_outcome, desk.queue.proposed_outcome(self.window))

    def _ask_outcome(self, proposal: str) -> None:
        """The outcome the ticket's cases imply is highlighted: Enter confirms it."""
        from counter_tui.queue.commands import OUTCOMES
        from counter_tui.ui.screens.ask import AskScreen, ChooseScreen

        def noted(outcome: str, note: str | None) -> None:
            if note is not None:
                self.action_step("finish", outcome=outcome, note=note)

        def chosen(outcome: str | None) -> None:
            if outcome is None:
                return
            if outcome == "other":
                self.app.push_screen(
                    AskScreen("办结：其他", "请写明办理结果"), lambda n: noted(outcome, n)
                )
            else:
                self.action_step("finish", outcome=outcome)

        title = f"办理结果（按办件建议：{OUTCOMES[proposal]}，回车确认）"
        self.app.push_screen(ChooseScreen(title, tuple(OUTCOMES.items()), proposal), chosen)
        self._end_step()  # an Enter typed after `f` confirms the proposal

    def action_park(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        def noted(note: str | None) -> None:
            if note is not None:
                self.action_step("park", note=note)

        self.app.push_screen(
            AskScreen("暂离", "申请人去做什么（可不填），如：回家取户口簿", allow_empty=True),
            noted,
        )

    def action_transfer(self) -> None:
        from counter_tui.queue.commands import POSITIONS
        from counter_tui.ui.screens.ask import AskScreen, ChooseScreen

        view = self.view
        if view is None:
            return
        target: dict[str, str] = {}

        def positioned(position: str | None) -> None:
            if position is not None:
                self.action_step("transfer", position=position, **target)

        def ask_position() -> None:
            self.app.push_screen(ChooseScreen("排队位置", tuple(POSITIONS.items())), positioned)

        def windowed(window: str | None) -> None:
            if window is not None:
                target["target_window"] = window
                ask_position()

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == "window":
                self.app.push_screen(
                    AskScreen("转到窗口", "窗口号，如 5", check=_window_problem), windowed
                )
            else:
                target["category"] = choice
                ask_position()

        choices = (
            *tuple((p, f"{p} {name}") for p, name in view.categories),
            ("window", "指定窗口…"),
        )
        self.app.push_screen(ChooseScreen("转到哪个类别或窗口", choices), chosen)

    @on(DataTable.RowSelected, "#queue-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        from counter_tui.queue.commands import POSITIONS
        from counter_tui.ui.screens.ask import AskScreen, ChooseScreen

        ready = self._ready()
        if ready is None or event.cursor_row >= len(self.rows):
            return
        kind, ticket = self.rows[event.cursor_row]
        window = self.window

        if kind == "leftover":

            def closed(reason: str | None) -> None:
                if reason is not None:
                    self._act(
                        ready[0],
                        lambda b, a, now: b.queue.close(a, ticket.id, reason, now),
                        lambda t: f"已关闭 {t.day:%m-%d} 的 {t.number}",
                    )

            self.app.push_screen(
                AskScreen(f"关闭往日未结 {ticket.number}", "原因，如：闭厅时申请人已离开"), closed
            )
        elif kind == "no_show":

            def requeued(position: str | None) -> None:
                if position is not None:
                    self._act(
                        ready[0],
                        lambda b, a, now: b.queue.requeue(a, ticket.number, position, now),
                        lambda t: f"{t.number} 已重新排队",
                    )

            self.app.push_screen(
                ChooseScreen(f"{ticket.number} 重新排队", tuple(POSITIONS.items())), requeued
            )
        else:

            def called(reason: str | None) -> None:
                if reason is not None:
                    self._act(
                        ready[0],
                        lambda b, a, now: b.queue.call_ticket(
                            a, window, ticket.number, reason, now
                        ),
                    )

            prompt = "叫回暂离的申请人" if kind == "parked" else "不按顺序叫号的原因"
            initial = "取回材料" if kind == "parked" else ""
            self.app.push_screen(AskScreen(f"叫 {ticket.number}", prompt, initial=initial), called)

    def _loaded(self, action: Callable[[], None]) -> bool:
        """Whether the queue has been read; if not, `action` runs once it is, so a key pressed
        straight after F3 is not lost."""
        if self.view is None:
            self._after_load = action
            self.status.say("正在读取排队情况…")
        return self.view is not None

    def action_issue(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen, ChooseScreen

        if not self._loaded(self.action_issue):
            return
        view, ready = self.view, self._ready()
        if view is None or ready is None:
            return
        category: dict[str, str] = {}

        def print_slip(result: tuple[Ticket, str]) -> str:
            ticket, slip = result
            printed = ready[0].queue.print_slip(ticket, slip)
            return f"已取号 {ticket.number}（{_remark(ticket) or '普通'}）；{printed}"

        def prioritised(reason: str | None) -> None:
            if reason is not None:
                self._act(
                    ready[0],
                    lambda b, a, now: b.queue.issue(a, category["prefix"], reason, now),
                    print_slip,
                )

        def picked(reason: str | None) -> None:
            if reason == "other":
                self.app.push_screen(
                    AskScreen(category["title"], "绿色通道原因，如：重病、带婴幼儿"), prioritised
                )
            elif reason is not None:
                prioritised("" if reason == "none" else reason)

        def chosen(prefix: str | None) -> None:
            if prefix is not None:
                category["prefix"] = prefix
                category["title"] = f"取号：{prefix} {dict(view.categories)[prefix]}"
                reasons = (
                    ("none", "普通（不走绿色通道）"),
                    *((r, f"绿色通道·{r}") for r in PRIORITY_REASONS),
                    ("other", "绿色通道·其他…"),
                )
                self.app.push_screen(ChooseScreen(category["title"], reasons), picked)

        choices = tuple((p, f"{p} {name}") for p, name in view.categories)
        self.app.push_screen(ChooseScreen("取号", choices), chosen)

    def action_book(self) -> None:
        from counter_tui.queue.appointments import CHANNELS
        from counter_tui.ui.screens.ask import ChooseScreen
        from counter_tui.ui.screens.booking import BookingScreen

        ready = self._ready()
        if ready is None:
            return

        def booked(made: Appointment | None) -> None:
            if made is not None:
                self.status.say(
                    f"已预约 {made.day.isoformat()} {made.slot}（{made.category} 类），"
                    f"预约码 {made.code}：签到时报预约码或证件号码"
                )

        def channel(chosen: str | None) -> None:
            if chosen is not None:
                screen = BookingScreen(ready[0], ready[1], self.now(), channel=chosen)
                self.app.push_screen(screen, booked)

        ways = tuple(sorted(CHANNELS.items(), key=lambda way: way[0] != "window"))
        self.app.push_screen(ChooseScreen("预约方式", ways), channel)

    def action_check_in(self, initial: str = "", problem: str = "") -> None:
        from counter_tui.ui.screens.ask import AskScreen

        ready = self._ready()
        if ready is None:
            return

        def typed(key: str | None) -> None:
            if key is not None:
                self._check_in(ready[0], ready[1], key)

        prompt = "预约码（8 位数字）或证件号码，扫码枪可直接扫"
        if problem:
            prompt = f"{problem}\n{prompt}"
        self.app.push_screen(AskScreen("预约签到", prompt, initial=initial), typed)

    @work(thread=True, exclusive=True, group="queue-act")
    def _check_in(self, desk: Desk, actor: Actor, key: str) -> None:
        from counter_tui.errors import UserError

        try:
            ticket, slip, note = desk.queue.check_in(actor, key, self.now())
        except UserError as exc:  # ask again, keeping what was typed (a busy database too)
            hand_back(self.action_check_in, key, exc.message)
            return
        printed = desk.queue.print_slip(ticket, slip)
        hand_back(self._stepped, f"签到成功：{ticket.number}（{note}）；{printed}")


def _row_remark(kind: str, ticket: Ticket) -> str:
    if kind == "leftover":
        return f"未结（{ticket.state_label}），回车关闭"
    if kind == "no_show":
        return "回车重新排队"
    return _remark(ticket)


def _remark(ticket: Ticket) -> str:
    parts = []
    if ticket.priority:
        parts.append(f"绿色通道·{ticket.priority_reason}")
    if ticket.appointment:
        parts.append("预约")
    if ticket.target_window:
        parts.append(f"转 {ticket.target_window} 号窗口")
    return " ".join(parts)


def _done(ticket: Ticket | None, window: str) -> str:
    if ticket is None:
        return "当前没有等候的号"
    if ticket.state == "called":
        return f"请 {ticket.number} 号到 {window} 号窗口（第 {ticket.calls} 次）"
    return f"{ticket.number} {ticket.state_label}"


def _window_problem(text: str) -> str | None:
    from counter_tui.queue.config import WINDOW

    return None if WINDOW.match(text.strip()) else "窗口号应为 1–8 位字母或数字"
