"""One case in full: who applied, what for, where it stands against its time limit, and its
timeline from the journal (who did what, where, when). From here the clerk reprints its
notices (p) or opens its 容缺 materials (d).

Identity numbers and phones are shown in full here and only here (DESIGN §4.8), to the roles
that work the case; a supervisor sees them masked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.cases.worklist import Found
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.backend import Backend, CaseDetail

#: Roles that see identity numbers unmasked in the case detail.
SEES_IDENTITY = frozenset({"clerk", "approver", "trainer", "admin"})


class CaseDetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "reprint", "补打通知书", id="case.reprint", tooltip="补打本办件的通知书"),
        Binding("d", "deferrals", "容缺材料", id="case.deferrals", tooltip="登记补交或逾期终止"),
        Binding(
            "h",
            "hand_off",
            "移交后台",
            id="case.hand_off",
            tooltip="已受理的办件移交承办部门审批",
        ),
        Binding("escape", "close", "关闭", id="case.close"),
    ]

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
            keys = "p 补打通知书  "
            if any(d.supplied_at is None for d in self.detail.deferrals):
                keys += "d 容缺材料  "
            if self._may("hand_off"):
                keys += "h 移交后台  "
            yield Static(Text(keys + "Esc 关闭", style="dim"), id="case-keys")

    def on_mount(self) -> None:
        self.query_one("#case-body").focus()

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
        if case.due is not None:
            due = f"{case.due:%Y-%m-%d}（承诺 {case.committed_days} 个工作日）"
            if case.due_provisional:
                due += " 暂定"
            rows.append(("办结期限", due))
        if case.legal_due is not None:
            rows.append(("法定期限", f"{case.legal_due:%Y-%m-%d}"))
        for deferral in self.detail.deferrals:
            state = "已补交" if deferral.supplied_at else f"{deferral.until:%Y-%m-%d} 前补交"
            rows.append(("容缺材料", f"{deferral.name}（{state}）"))
        if case.refusal_reasons:
            rows.append(("不予受理理由", case.refusal_reasons))
        if case.termination_reason:
            rows.append(("终止原因", case.termination_reason))
        text = Text()
        for label, value in rows:
            text.append(f"{label}：", style="dim")
            text.append(f"{value}\n")  # appended as plain text: names never become markup
        text.rstrip()
        return text

    def _timeline(self) -> Text:
        text = Text()
        for step in self.detail.steps:
            text.append(f"{step.at.astimezone():%m-%d %H:%M}  ", style="dim")
            text.append(f"{step.actor}  ", style="bold")
            text.append(f"{step.summary}\n")
        text.rstrip()
        return text or Text("（无记录）")

    def action_reprint(self) -> None:
        from counter_tui.ui.screens.notice import NoticePreview

        self.app.push_screen(NoticePreview(self.detail.notices, self.detail.case, reprint=True))

    def action_deferrals(self) -> None:
        from counter_tui.ui.screens.deferrals import DeferralsScreen

        if not any(d.supplied_at is None for d in self.detail.deferrals):
            return
        today = self.counter.clock().date()
        self.dismiss(None)
        self.app.push_screen(
            DeferralsScreen(self.detail.case, self.detail.deferrals, self.detail.notices, today)
        )

    def _may(self, action: str) -> bool:
        from counter_tui.cases.lifecycle import actions_for

        return action in actions_for(self.detail.case.state, self.role)

    def action_hand_off(self) -> None:
        backend, signed = self.counter.backend, self.counter.signed_in
        if backend is None or signed is None or not self._may("hand_off"):
            return
        self._hand_off(backend, signed.actor)

    @work(thread=True, exclusive=True, group="case-act")
    def _hand_off(self, backend: Backend, actor: Actor) -> None:
        from counter_tui.errors import PermissionDenied, UserError

        now = self.counter.clock().astimezone().replace(microsecond=0)
        try:
            case = backend.hand_off(actor, self.detail.case.id, now)
        except (UserError, PermissionDenied) as exc:
            self.app.call_from_thread(self._said, exc.message)
            return
        self.app.call_from_thread(self._said, f"已移交后台：{case.number}")
        self.app.call_from_thread(self.dismiss, None)

    def _said(self, message: str) -> None:
        self.app.notify(message, markup=False)

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
