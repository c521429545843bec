"""办不成事 screens: the intake form (HardCaseFormScreen), one hard case with its closed loop as
a timeline and a key for each next step (HardCaseScreen), and the open hard cases, due for
督办 first (HardCaseListScreen; the F6 supervisor view opens it and HardCaseScreen too).

Everything the applicant or a department said renders literally (rich Text, never markup).
Each step asks its details in the small dialogs of ui/screens/ask.py, checked where typed; the
service checks the order of the loop and the role again, and a refusal is said on the status
line. Keyboard only; the timeline wraps to fit 80×24.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.feedback import rules
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.widgets.training_mark import mark_training
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date, datetime

    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk
    from counter_tui.feedback.hard_case_reads import HardCaseLine, HardCaseView
    from counter_tui.feedback.hard_cases import Opened
    from counter_tui.ui.app import CounterApp

FORM_FIELDS = (
    ("problem", "申请人反映的问题"),
    ("applicant_name", "申请人姓名（从办件或取号来的可不填）"),
    ("id_number", "证件号码（与联系电话至少填一项）"),
    ("phone", "联系电话"),
)


R = TypeVar("R")


class HardCaseModal(ModalScreen[R]):
    """What the hard-case screens read from the app: the node, who is signed in, the clock."""

    DEFAULT_CSS = """
    HardCaseModal { align: center middle; }
    #hard-case-box {
        width: 110;
        max-width: 100%;
        height: 100%;
        max-height: 38;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #hard-case-body { height: 1fr; }
    #hard-case-list { height: 1fr; }
    #hard-case-timeline { margin-top: 1; }
    #hard-case-awaited { margin-top: 1; }
    """

    def on_mount(self) -> None:
        # As tall as the terminal: the header is hidden (subclasses' on_mount run as well).
        for box in self.query("#hard-case-box"):
            mark_training(box)

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def actor(self) -> Actor | None:
        signed = self.counter.signed_in
        return signed.actor if signed else None

    def now(self) -> datetime:
        from counter_tui.clock import now_local

        return now_local(self.counter.clock()).replace(microsecond=0)


class HardCaseFormScreen(HardCaseModal["Opened | None"]):
    """受理: the kind from a pick list, the problem, the applicant. Returns what was opened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="hard_case_form.cancel"),
        Binding("up", "back", "上一项", id="hard_case_form.back", show=False),
    ]

    def __init__(self, *, ticket_number: str = "", case_number: str = "") -> None:
        super().__init__()
        self.ticket_number = ticket_number
        self.case_number = case_number

    def compose(self) -> ComposeResult:
        if self.ticket_number:
            origin = f"来源：取号 {self.ticket_number}"
        elif self.case_number:
            origin = f"来源：办件 {self.case_number}"
        else:
            origin = "来源：直接登记"
        with Vertical(id="ask-box"):
            yield Static(Text("办不成事受理", style="bold"), id="ask-title")
            yield Static(Text(origin))
            yield Static(Text("问题类型（数字或 ↑↓，回车）"), classes="form-label")
            yield OptionList(
                *(
                    Option(Text(f"{n}  {label}"), id=kind)
                    for n, (kind, label) in enumerate(rules.HARD_CASE_KINDS.items(), 1)
                ),
                id="hard-case-kind",
            )
            for field_id, label in FORM_FIELDS:
                yield Static(Text(label), classes="form-label")
                yield Input(id=f"hard-case-{field_id}", classes="form-input")
            yield StatusLine(id="hard-case-error", classes="error")
            yield Static(Text("回车下一项（最后一项回车受理）  ↑ 上一项  Esc 取消", style="dim"))

    def on_mount(self) -> None:
        kinds = self.query_one("#hard-case-kind", OptionList)
        kinds.highlighted = 0
        kinds.focus()

    def on_key(self, event: events.Key) -> None:
        kinds = self.query_one("#hard-case-kind", OptionList)
        key = event.character
        count = len(rules.HARD_CASE_KINDS)
        if self.focused is kinds and key and key.isdigit() and 1 <= int(key) <= count:
            event.stop()
            kinds.highlighted = int(key) - 1
            self._inputs()[0].focus()

    @on(OptionList.OptionSelected, "#hard-case-kind")
    def _kind_chosen(self) -> None:
        self._inputs()[0].focus()

    def _inputs(self) -> list[Input]:
        return list(self.query(Input))

    def values(self) -> dict[str, str]:
        values = {i.id.removeprefix("hard-case-"): i.value for i in self._inputs() if i.id}
        kinds = self.query_one("#hard-case-kind", OptionList)
        index = kinds.highlighted or 0
        values["kind"] = list(rules.HARD_CASE_KINDS)[index]
        return values

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = self._inputs()
        at = inputs.index(event.input)
        if at + 1 < len(inputs):
            inputs[at + 1].focus()
            return
        desk, actor = self.counter.desk, self.actor
        if desk is not None and actor is not None:
            self._open(desk, actor, self.values())

    def action_back(self) -> None:
        inputs = self._inputs()
        focused = self.focused
        if isinstance(focused, Input) and focused in inputs:
            at = inputs.index(focused)
            (inputs[at - 1] if at else self.query_one("#hard-case-kind")).focus()

    @work(thread=True, exclusive=True, group="hard-case-open")
    def _open(self, desk: Desk, actor: Actor, values: dict[str, str]) -> None:
        """A refusal (no ID and no phone, a wrong number) is said under the fields by the
        failure rule (ui/workers.py); what was typed stays."""
        opened = desk.hard_cases.open(
            actor,
            self.now(),
            ticket_number=self.ticket_number,
            case_number=self.case_number,
            **values,
        )
        hand_back(self.dismiss, opened)

    def action_cancel(self) -> None:
        self.dismiss(None)


def timeline(view: HardCaseView) -> Table:
    """The loop's steps: time, step, who, what was said (literally)."""
    table = Table(box=None, show_edge=False, pad_edge=False, expand=True)
    table.add_column("时间", no_wrap=True, width=11)
    table.add_column("步骤", no_wrap=True, width=4)
    table.add_column("办理人", no_wrap=True, width=6)
    # fold: text without spaces (Chinese) wraps instead of being cut off with an ellipsis.
    table.add_column("内容", ratio=1, overflow="fold")
    for step in view.steps:
        what = Text()
        if step.department:
            what.append(f"{step.department}：", style="bold")
        what.append(step.text)
        table.add_row(Text(f"{step.at:%m-%d %H:%M}"), Text(step.label), Text(step.who), what)
    return table


#: Keys of the loop: action → (key, label), in the order of the loop.
STEP_KEYS = {
    "inform": ("g", "告知"),
    "coordinate": ("c", "协调"),
    "reply": ("r", "答复"),
    "supervise": ("s", "督办"),
    "conclude": ("e", "办结"),
    "visit": ("v", "回访"),
}


def _days_problem(text: str) -> str | None:
    if not text.isdigit():
        return "请填写工作日数，如 3"
    return rules.reply_days_problem(int(text))


def _length(limit: int) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        return f"太长（最多 {limit} 字）" if len(text) > limit else None

    return check


class HardCaseScreen(HardCaseModal[None]):
    """One hard case: who, what, where from; the timeline 受理 → 告知 → 协调 → 督办 → 回访;
    the departments still to reply; a key for each step the role may take now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"step('{action}')", label, id=f"hard_case.{action}")
            for action, (key, label) in STEP_KEYS.items()
        ),
        Binding("escape", "close", "关闭", id="hard_case.close"),
        Binding("f1", "app.help", "帮助", id="hard_case.help", tooltip="列出本画面可用的按键"),
    ]

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.view: HardCaseView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="hard-case-box"):
            with VerticalScroll(id="hard-case-body"):
                yield Static("", id="hard-case-facts")
                yield Static("", id="hard-case-timeline")
                yield Static("", id="hard-case-awaited")
            yield StatusLine(id="hard-case-status")
            yield Static("", id="hard-case-keys")

    def on_mount(self) -> None:
        self.query_one("#hard-case-body").focus()
        self.reload()

    def reload(self) -> None:
        desk = self.counter.desk
        if desk is not None:
            self._load(desk, self.actor, self.now().date())

    @work(thread=True, exclusive=True, group="hard-case-load")
    def _load(self, desk: Desk, actor: Actor | None, today: date) -> None:
        hand_back(self._show, desk.hard_cases.view(self.ref, actor, today))

    def _show(self, view: HardCaseView) -> None:
        self.view = view
        self.ref = view.number
        facts = Text()
        facts.append(f"{view.number}  ", style="bold")
        facts.append(f"{view.state_label}  {view.kind_label}  来源：{view.origin_label}\n")
        person = view.applicant
        facts.append("申请人：")
        facts.append(person.name)
        for extra in (person.id_number, person.phone):
            if extra:
                facts.append(f"  {extra}")
        facts.append("\n问题：")
        facts.append(view.problem)
        self.query_one("#hard-case-facts", Static).update(facts)
        self.query_one("#hard-case-timeline", Static).update(timeline(view))
        awaited = Text()
        for request in view.awaited:
            awaited.append(f"待 {request.department} 答复：{request.due:%Y-%m-%d} 前")
            if request.overdue:
                awaited.append("  已超期，应督办", style="bold red")
            awaited.append("\n")
        self.query_one("#hard-case-awaited", Static).update(awaited)
        keys = [f"{key} {label}" for a, (key, label) in STEP_KEYS.items() if self._may(a)]
        self.query_one("#hard-case-keys", Static).update(
            Text("  ".join([*keys, "Esc 关闭"]), style="dim")
        )
        self.refresh_bindings()

    def _may(self, action: str) -> bool:
        """Whether to offer `action` now (the service checks the order and the role again)."""
        from counter_tui.accounts.rules import allowed

        view, actor = self.view, self.actor
        if view is None or actor is None or view.state == rules.HC_CLOSED:
            return False
        if action == "supervise":
            return allowed(actor.role, "feedback.hard_case_supervise") and any(
                r.overdue for r in view.awaited
            )
        if not allowed(actor.role, "feedback.hard_case"):
            return False
        state = view.state
        if action == "inform":
            return state != rules.HC_CONCLUDED
        if action == "coordinate":
            return state not in (rules.HC_ACCEPTED, rules.HC_CONCLUDED)
        if action == "reply":
            return bool(view.awaited)
        if action == "conclude":
            return state not in (rules.HC_ACCEPTED, rules.HC_CONCLUDED) and not view.awaited
        return state == rules.HC_CONCLUDED  # visit

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self._may(str(parameters[0]))
        return True

    # --- the steps: ask, then record -----------------------------------------------------------

    def _ask(self, title: str, prompt: str, then: Callable[[str], None], **kw: Any) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        kw.setdefault("check", _length(rules.NOTE_MAX))

        def answered(text: str | None) -> None:
            if text is not None:
                then(text)

        self.app.push_screen(AskScreen(title, prompt, **kw), answered)

    def _choose(
        self, title: str, choices: tuple[tuple[str, str], ...], then: Callable[[str], None]
    ) -> None:
        from counter_tui.ui.screens.ask import ChooseScreen

        if len(choices) == 1:
            then(choices[0][0])
            return

        def chosen(choice: str | None) -> None:
            if choice is not None:
                then(choice)

        self.app.push_screen(ChooseScreen(title, choices), chosen)

    def action_step(self, action: str) -> None:
        view = self.view
        if view is None or not self._may(action):
            return
        number = view.number
        if action == "inform":
            self._ask(
                "告知",
                "告诉申请人的内容（政策、怎么办、何时答复）",
                lambda t: self._do("inform", t),
            )
        elif action == "coordinate":

            def asked(department: str) -> None:
                def request(text: str) -> None:
                    self._ask(
                        f"协调：{department}",
                        "答复时限（工作日）",
                        lambda d: self._do("coordinate", department, text, int(d)),
                        initial=str(rules.DEFAULT_REPLY_DAYS),
                        check=_days_problem,
                    )

                self._ask(f"协调：{department}", "请部门协调的事项", request)

            self._ask(f"协调 {number}", "协调的部门（如 县医保局）", asked, check=_length(200))
        elif action == "reply":
            choices = tuple((r.department, r.department) for r in view.awaited)
            self._choose(
                "哪个部门的答复",
                choices,
                lambda d: self._ask(f"{d} 的答复", "答复内容", lambda t: self._do("reply", d, t)),
            )
        elif action == "supervise":
            choices = tuple((r.department, r.department) for r in view.awaited if r.overdue)

            def pressed(department: str) -> None:
                def noted(note: str) -> None:
                    self._ask(
                        f"督办：{department}",
                        "新的答复时限（工作日）",
                        lambda d: self._do("supervise", department, note, int(d)),
                        initial=str(rules.DEFAULT_REPLY_DAYS),
                        check=_days_problem,
                    )

                self._ask(f"督办：{department}", "督办意见", noted)

            self._choose("督办哪个部门（已超期未答复）", choices, pressed)
        elif action == "conclude":
            self._choose(
                "办理结果",
                tuple(rules.HARD_CASE_OUTCOMES.items()),
                lambda o: self._ask(
                    f"办结：{rules.HARD_CASE_OUTCOMES[o]}",
                    "向申请人作的说明",
                    lambda t: self._do("conclude", o, t),
                ),
            )
        elif action == "visit":
            self._choose(
                "回访：申请人的评价",
                tuple(rules.HARD_CASE_VERDICTS.items()),
                lambda v: self._ask(
                    f"回访：{rules.HARD_CASE_VERDICTS[v]}",
                    "回访记录（可不填）",
                    lambda t: self._do("visit", v, t),
                    allow_empty=True,
                ),
            )

    def _do(self, action: str, *args: Any) -> None:
        desk, actor = self.counter.desk, self.actor
        if desk is not None and actor is not None:
            self._record(desk, actor, action, args)

    @work(thread=True, exclusive=True, group="hard-case-act")
    def _record(self, desk: Desk, actor: Actor, action: str, args: tuple[Any, ...]) -> None:
        """A refusal is said on the status line (ui/workers.py)."""
        getattr(desk.hard_cases, action)(actor, self.ref, *args, self.now())
        hand_back(self._done, action)

    def _done(self, action: str) -> None:
        self.query_one(StatusLine).say(f"已登记{STEP_KEYS[action][1]}")
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)


LIST_COLUMNS = (("编号", 12), ("状态", 6), ("类型", 8), ("申请人", 8), ("答复期限", 10))


class HardCaseListScreen(HardCaseModal[None]):
    """The open hard cases, those due for 督办 first: Enter opens one, n opens a new one (from
    the window's V-category ticket when it holds one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "受理", id="hard_cases.new", tooltip="受理一件办不成事"),
        Binding("escape", "close", "关闭", id="hard_cases.close"),
        Binding("f1", "app.help", "帮助", id="hard_cases.help", tooltip="列出本画面可用的按键"),
    ]

    def __init__(self, *, ticket_number: str = "") -> None:
        super().__init__()
        self.ticket_number = ticket_number
        self.lines: list[HardCaseLine] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="hard-case-box"):
            yield Static(Text("办不成事：未办结（应督办的在前）", style="bold"))
            yield DataTable(id="hard-case-list", cursor_type="row")
            yield StatusLine(id="hard-case-list-status")
            keys = "回车 查看  n 受理  Esc 关闭"
            yield Static(Text(keys, style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in LIST_COLUMNS:
            table.add_column(label, width=width)
        table.add_column("问题")
        table.focus()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            from counter_tui.accounts.rules import allowed

            actor = self.actor
            return actor is not None and allowed(actor.role, "feedback.hard_case")
        return True

    def reload(self) -> None:
        desk = self.counter.desk
        if desk is not None:
            self._load(desk, self.actor, self.now().date())

    @work(thread=True, exclusive=True, group="hard-case-list")
    def _load(self, desk: Desk, actor: Actor | None, today: date) -> None:
        hand_back(self._show, desk.hard_cases.open_list(actor, today))

    def _show(self, lines: list[HardCaseLine]) -> None:
        self.lines = lines
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            due = Text(f"{line.next_due:%m-%d}" if line.next_due else "")
            if line.overdue:
                due = Text(f"{line.next_due:%m-%d} 超期", style="bold red")
            table.add_row(
                Text(line.number),
                Text(line.state_label),
                Text(line.kind_label),
                Text(line.applicant),
                due,
                Text(line.problem),
            )
        if not lines:
            self.query_one(StatusLine).say("没有未办结的办不成事")

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        line = self.lines[event.cursor_row]
        self.app.push_screen(HardCaseScreen(line.number), lambda _: self.reload())

    def action_new(self) -> None:
        def opened(result: Opened | None) -> None:
            self.reload()
            if result is not None:
                self.app.push_screen(HardCaseScreen(result.number), lambda _: self.reload())

        self.app.push_screen(HardCaseFormScreen(ticket_number=self.ticket_number), opened)

    def action_close(self) -> None:
        self.dismiss(None)
