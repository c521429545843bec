"""One case in full: who applied, what for, where it stands against its time limit, and its
timeline from the journal (who did what, where, when), with one key for each lifecycle action
the signed-in role may take on it now: the window hands off, takes corrected papers and
delivers; the back office claims, asks for corrections, suspends, decides and completes.

Identity numbers and phones are shown in full here and only here (DESIGN §4.8), to the roles
that work the case; a supervisor sees them masked and has no action keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.clock import now_local
from counter_tui.ui.screens.case_keys import BY_ACTION, CASE_KEYS, AtOnce, ChooseThen, FormOf
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.widgets.training_mark import mark_training
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from counter_tui.cases.commands import Outcome
    from counter_tui.cases.record import CaseRecord
    from counter_tui.cases.worklist import Found
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import CaseDetail
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.screens.case_form import CaseActionScreen

#: Roles that see identity numbers unmasked in the case detail.
SEES_IDENTITY = frozenset({"clerk", "approver", "trainer", "admin"})


class CaseDetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(k.key, f"do('{k.action}')", k.label, id=f"case.{k.action}", tooltip=k.tooltip)
            for k in CASE_KEYS
        ),
        Binding("p", "reprint", "补打通知书", id="case.reprint", tooltip="补打本办件的通知书"),
        Binding("d", "deferrals", "容缺材料", id="case.deferrals", tooltip="登记补交或逾期终止"),
        Binding("v", "hard_case", "办不成事", id="case.hard_case", tooltip="就本办件受理办不成事"),
        Binding("z", "assist", "帮代办", id="case.assist", tooltip="登记为本办件提供的帮代办"),
        Binding(
            "e",
            "rate",
            "记录评价",
            id="case.rate",
            tooltip="记录电话回访、短信或网上对本办件的评价（一事一评）",
        ),
        Binding("escape", "close", "关闭", id="case.close"),
        # A modal screen shuts out the app's keys: F1 is offered again here.
        Binding("f1", "app.help", "帮助", id="case.help", tooltip="列出本画面可用的按键"),
    ]

    status = getters.query_one(StatusLine)

    def __init__(self, detail: CaseDetail, role: str) -> None:
        super().__init__()
        self.detail = detail
        self.role = role

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        case = self.detail.case
        with Vertical(id="case-box"):
            title = Text(f"{case.number}  {case.state_label}", style="bold")
            if self.detail.warning:
                title.append(f"  {self.detail.warning}")
            yield Static(title, id="case-title")
            with VerticalScroll(id="case-body"):
                yield Static(self._facts(), id="case-facts")
                yield Static(Text("办理过程", style="bold"), classes="case-heading")
                yield Static(self._timeline(), id="case-timeline")
            yield StatusLine(id="case-status")
            yield Static(self._keys(), id="case-keys")

    def on_mount(self) -> None:
        mark_training(self.query_one("#case-box", Widget))  # it covers the header
        self.query_one("#case-body").focus()

    def _keys(self) -> Text:
        keys = [f"{k.key} {k.label}" for k in CASE_KEYS if self._may(k.action)]
        keys.append("p 补打")
        if self._owes_materials():
            keys.append("d 容缺材料")
        keys += ["Esc 关闭", "F1 帮助"]
        return Text("  ".join(keys), style="dim")

    def _facts(self) -> Text:
        from counter_tui.applicants import id_type_label, mask_id, mask_phone

        case = self.detail.case
        party, agent = case.intake.applicant, case.intake.agent
        full = self.role in SEES_IDENTITY

        def shown(number: str) -> str:
            return number if full else mask_id(number)

        rows: list[tuple[str, str]] = [("事项", case.entry_name)]
        if party.kind == "organisation":
            rows += [
                ("申请单位", party.name),
                ("信用代码", shown(party.uscc)),
                ("法定代表人", party.legal_rep),
            ]
            if party.legal_rep_id_number:
                rep_id = shown(party.legal_rep_id_number)
                rows.append(("法代证件", f"{id_type_label(party.legal_rep_id_type)} {rep_id}"))
        else:
            rows += [
                ("申请人", party.name),
                (id_type_label(party.id_type), shown(party.id_number)),
            ]
        rows.append(("联系电话", party.phone if full else mask_phone(party.phone)))
        if agent is not None:
            rows.append(
                ("代办人", f"{agent.name}  {shown(agent.id_number)}  {agent.authorisation}")
            )
        if case.accepted_at is not None:
            rows.append(("受理时间", f"{case.accepted_at:%Y-%m-%d %H:%M}  {case.clerk}"))
        if self.detail.intake_site:
            rows.append(("受理站点", self.detail.intake_site))
        if case.due is not None:
            due = f"{case.due:%Y-%m-%d}（承诺 {case.committed_days} 个工作日）"
            if case.due_provisional:
                due += " 暂定"
            rows.append(("办结期限", due))
        if case.legal_due is not None:
            rows.append(("法定期限", f"{case.legal_due:%Y-%m-%d}"))
        rows.append(("承办部门", self.detail.department))
        if case.assignee_name:
            rows.append(("审批人", case.assignee_name))
        if case.correction_deadline is not None:
            rows.append(("补正期限", f"{case.correction_deadline:%Y-%m-%d} 前"))
        for deferral in self.detail.deferrals:
            state = "已补交" if deferral.supplied_at else f"{deferral.until:%Y-%m-%d} 前补交"
            rows.append(("容缺材料", f"{deferral.name}（{state}）"))
        if case.decision_number:
            rows.append(("决定文书", case.decision_number))
        if case.decision_reason:
            rows.append(("不予许可理由", case.decision_reason))
        if case.refusal_reasons:
            rows.append(("不予受理理由", case.refusal_reasons))
        if case.termination_reason:
            rows.append(("终止原因", case.termination_reason))
        if case.withdrawal_reason:
            rows.append(("撤回原因", case.withdrawal_reason))
        if case.trips:
            rows.append(("到现场", f"{case.trips} 次"))
        text = Text()
        for label, value in rows:
            text.append(f"{label}：", style="dim")
            text.append(f"{value}\n")  # appended as plain text: names never become markup
        text.rstrip()
        return text

    def _timeline(self) -> RenderableType:
        """One row per step: when, who (and the site when it is another's), what; a long
        summary wraps in its own column."""
        if not self.detail.steps:
            return Text("（无记录）")
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column(no_wrap=True, style="dim")
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for step in self.detail.steps:
            who = Text(step.actor)
            if step.site:
                who.append(f"（{step.site}）", style="dim")
            table.add_row(Text(f"{step.at:%m-%d %H:%M}"), who, Text(step.summary))
        return table

    # --- what may be done ---------------------------------------------------------------

    def _owes_materials(self) -> bool:
        return any(d.supplied_at is None for d in self.detail.deferrals)

    def _owed(self) -> str:
        """The deferred (容缺) materials still owed, as the forms name them ("" if none)."""
        from counter_tui.cases.reads import owed_names

        return owed_names([d for d in self.detail.deferrals if d.supplied_at is None])

    def _may(self, action: str) -> bool:
        """Whether to offer `action`: the lifecycle table for this state and role, and for an
        approver their own department and their own claim. The services check it all again."""
        from counter_tui.cases.lifecycle import actions_for

        case, signed = self.detail.case, self.counter.signed_in
        if action not in actions_for(case.state, self.role):
            return False
        if self.role == "approver" and signed is not None:
            if signed.actor.department != case.department:
                return False
            if action != "claim" and case.assignee not in ("", signed.actor.username):
                return False
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "do":
            return self._may(str(parameters[0]))
        if action == "deferrals":
            return self._owes_materials()
        if action in ("hard_case", "assist"):
            from counter_tui.accounts.rules import allowed

            what = "feedback.hard_case" if action == "hard_case" else "assistance.record"
            return allowed(self.role, what)
        if action == "rate":
            from counter_tui.accounts.rules import allowed

            return allowed(self.role, "ratings.record")
        return True

    def action_do(self, action: str) -> None:
        """The action's key (case_keys.CASE_KEYS): record it at once, or gather its details
        first in the form, the choice or the dialog its row names."""
        from counter_tui.ui.screens.ask import ChooseScreen
        from counter_tui.ui.screens.case_form import CaseFormScreen

        desk, signed, case = self.counter.desk, self.counter.signed_in, self.detail.case
        if desk is None or signed is None or not self._may(action):
            return
        gather = BY_ACTION[action].gather
        if isinstance(gather, AtOnce):
            details: dict[str, Any] = {}
            if gather.named:
                details["display_name"] = signed.display_name
            self._act(desk, action, details)
        elif isinstance(gather, FormOf):
            self._form(CaseFormScreen(case, gather.make(case, self._owed())), action)
        elif isinstance(gather, ChooseThen):
            make = gather.make

            def chosen(way: str | None) -> None:
                if way is not None:
                    self._form(CaseFormScreen(case, make(way, case, self._owed())), action)

            self.app.push_screen(
                ChooseScreen(f"{gather.title}：{case.number}", gather.choices), chosen
            )
        else:
            self._read_then(desk, gather.make, action)

    def _form(self, screen: ModalScreen[Outcome | None], action: str) -> None:
        def done(outcome: Outcome | None) -> None:
            if outcome is not None:
                self._done(action, outcome)

        self.app.push_screen(screen, done)

    @work(thread=True, exclusive=True, group="case-act")
    def _read_then(
        self, desk: Desk, make: Callable[[Desk, CaseRecord, date], CaseActionScreen], action: str
    ) -> None:
        screen = make(desk, self.detail.case, self.counter.clock().date())
        hand_back(self._form, screen, action)

    @work(thread=True, exclusive=True, group="case-act")
    def _act(self, desk: Desk, action: str, details: dict[str, Any]) -> None:
        signed = self.counter.signed_in
        assert signed is not None
        now = now_local(self.counter.clock()).replace(microsecond=0)
        outcome = desk.cases.act(signed.actor, action, self.detail.case.id, now, **details)
        hand_back(self._done, action, outcome)

    def _done(self, action: str, outcome: Outcome) -> None:
        """Recorded: say so, preview any notice issued, and show the case as it is now."""
        from counter_tui.ui.screens.notice import NoticePreview

        message = (
            f"{BY_ACTION[action].done_line}：{outcome.case.number}（{outcome.case.state_label}）"
        )
        self.app.notify(message, markup=False)
        self.counter.case_changed()
        desk = self.counter.desk
        if desk is not None:
            self._reload(desk)
        if outcome.notices:
            self.app.push_screen(NoticePreview(outcome.notices, outcome.case))

    @work(thread=True, exclusive=True, group="case-reload")
    def _reload(self, desk: Desk) -> None:
        detail = desk.cases.detail(self.detail.case.id, self.counter.clock().date())
        if detail is not None:
            hand_back(self._refresh, detail)

    def _refresh(self, detail: CaseDetail) -> None:
        self.detail = detail
        self.run_worker(self._rebuild(), exclusive=True, group="case-rebuild")

    async def _rebuild(self) -> None:
        await self.recompose()
        self.refresh_bindings()
        self.query_one("#case-body").focus()

    # --- notices and 容缺 -----------------------------------------------------------------

    def action_reprint(self) -> None:
        from counter_tui.ui.screens.notice import NoticePreview

        self.app.push_screen(NoticePreview(self.detail.notices, self.detail.case, reprint=True))

    def action_deferrals(self) -> None:
        from counter_tui.ui.screens.deferrals import DeferralsScreen

        if not self._owes_materials():
            return
        today = self.counter.clock().date()
        self.dismiss(None)
        self.app.push_screen(
            DeferralsScreen(self.detail.case, self.detail.deferrals, self.detail.notices, today)
        )

    def action_hard_case(self) -> None:
        from counter_tui.ui.screens.hard_case import HardCaseFormScreen, HardCaseScreen

        def opened(result: object) -> None:
            number = getattr(result, "number", None)
            if number:
                self.app.push_screen(HardCaseScreen(number))

        self.app.push_screen(HardCaseFormScreen(case_number=self.detail.case.number), opened)

    def action_assist(self) -> None:
        from counter_tui.ui.screens.assist import AssistScreen

        def recorded(assist_id: str | None) -> None:
            if assist_id:
                self.status.say("已登记帮代办")

        self.app.push_screen(AssistScreen(case_number=self.detail.case.number), recorded)

    def action_rate(self) -> None:
        """A rating that came by phone (12345 回访), SMS or online, against this case."""
        from counter_tui.ui.screens.rating_record import RatingScreen

        def recorded(rating: object) -> None:
            if rating is not None:
                self.status.say("已记录评价")

        self.app.push_screen(RatingScreen(case_number=self.detail.case.number), recorded)

    def action_close(self) -> None:
        self.dismiss(None)


class CasePickScreen(ModalScreen[str | None]):
    """Several cases matched a search: choose one (Enter), or Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭", id="pick.close"),
    ]

    def __init__(self, query: str, found: list[Found]) -> None:
        super().__init__()
        self.query_text = query
        self.found = found

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text(f"找到 {len(self.found)} 件：{self.query_text}", style="bold"))
            yield OptionList(
                *(
                    Option(
                        Text(
                            f"{f.number}  {f.entry_name}  {f.applicant}  {f.state_label}  "
                            f"{f.created_at:%Y-%m-%d}"
                        ),
                        id=f.id,
                    )
                    for f in self.found
                ),
                id="pick-list",
            )
            yield Static(Text("回车 打开  Esc 取消", style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
