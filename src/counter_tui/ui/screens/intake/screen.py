"""The intake section (F2): find the item, identify the applicant, mark the materials, and
accept, notify or refuse — from the keyboard, in as few keys as the law allows.

Order of the form is the order of the work: item (item.py) → ID number (a returning
applicant's details fill in) → name → phone → address → checklist. Enter moves on; a complete,
valid ID number or mobile number moves on by itself (form.py). On the checklist one key marks a
material and moves to the next row still to settle (checklist.py). Everything typed is saved
as a draft as it changes, so a killed app loses nothing (drafts.py). This module keeps the
intake, brings the widgets' messages together, and records the outcome; Ctrl+O is finder.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from counter_tui.clock import now_local
from counter_tui.ui.screens.intake.checklist import Checklist
from counter_tui.ui.screens.intake.drafts import Drafts
from counter_tui.ui.screens.intake.finder import CaseFinder
from counter_tui.ui.screens.intake.form import ApplicantForm, is_form_field
from counter_tui.ui.screens.intake.item import ItemPicker
from counter_tui.ui.screens.section import SectionScreen
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from textual.widget import Widget

    from counter_tui.actor import Actor
    from counter_tui.cases.commands import Outcome, Prepared
    from counter_tui.cases.drafts import Draft
    from counter_tui.cases.intake import Intake, Party
    from counter_tui.cases.record import CaseRecord
    from counter_tui.catalog.search import SearchIndex
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import Preparation
    from counter_tui.workdays.rules import DueDate


#: The checklist's keys, under it (F1 has each with its tooltip). `a` leaves 缺 rows as they
#: are (cases.rules.all_received): the clerk checks each returned paper with r.
KEY_LINE = "r已收 d容缺 m缺 c承诺 e免提交 a全收(缺不变) j下一待定 t期限 n备注 空格情形"


class IntakeScreen(SectionScreen):
    """受理: one applicant, one item or bundle, one outcome."""

    section_name = "intake"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f8",
            "conclude('accept')",
            "受理",
            id="intake.accept",
            tooltip="材料齐全（或容缺、免提交）时受理，出具受理通知书",
        ),
        Binding(
            "f7",
            "conclude('notify')",
            "告知",
            id="intake.notify",
            tooltip="出具一次性告知书，列明全部缺少的材料；办件保留，补齐后凭编号续办",
        ),
        Binding(
            "f10",
            "refuse",
            "不予受理",
            id="intake.refuse",
            tooltip="写明理由（及有权机关），出具不予受理通知书",
        ),
        Binding(
            "ctrl+n",
            "new",
            "新建",
            id="intake.new",
            show=False,
            tooltip="接待下一位：已录入内容时先问一次，按 y 放弃当前草稿",
        ),
        Binding(
            "ctrl+o",
            "find",
            "找回办件",
            id="intake.find",
            show=False,
            tooltip="凭办件编号续办告知件，或补打通知书",
        ),
        Binding(
            "ctrl+t",
            "id_type",
            "证件类型",
            id="intake.id_type",
            show=False,
            tooltip="身份证、港澳通行证、台胞证、永居证、护照依次切换",
        ),
        Binding(
            # Not Ctrl+B: tmux's prefix. Ctrl+F is free in the input and in terminals (法人).
            "ctrl+f",
            "applicant_kind",
            "个人/单位",
            id="intake.kind",
            show=False,
            tooltip="申请人在自然人与法人或其他组织之间切换",
        ),
        Binding(
            "ctrl+g",
            "agent",
            "代办人",
            id="intake.agent",
            show=False,
            tooltip="添加或去掉代办人（须有授权委托书）",
        ),
        Binding("down", "hit(1)", "下一条", id="intake.hit_next", show=False),
        Binding("up", "hit(-1)", "上一条", id="intake.hit_previous", show=False),
    ]

    item = getters.query_one("#intake-item", ItemPicker)
    form = getters.query_one("#intake-applicant", ApplicantForm)
    table = getters.query_one("#intake-checklist", Checklist)
    status = getters.query_one("#intake-status", StatusLine)

    def __init__(self) -> None:
        super().__init__()
        from counter_tui.cases.intake import Intake

        #: The intake but for the applicant and agent, which the form holds (see `intake`).
        self._intake: Intake = Intake()
        self.case_id: str | None = None
        self.case_number = ""
        self.drafts = Drafts(self)
        self.finder = CaseFinder(self)
        self.prepared: Prepared | None = None
        self.due: DueDate | None = None
        self.department = ""
        #: The last refusal's reasons and agency, offered again until the form is reset.
        self._refusal = ("", "")
        #: The next checklist drawn puts the cursor on the first row to settle (a resumed case,
        #: a restored draft: the checklist comes from a worker after the form is loaded).
        self._cursor_to_settle = False
        #: The status line tells of the last applicant: cleared at the next one's first key.
        self._stale_status = False
        #: An outcome (F7, F8, F10) is being recorded: another press must not record a second
        #: case while the first waits on a busy database (its result would be dropped unseen).
        self._concluding = False

    @property
    def intake(self) -> Intake:
        """The whole intake as it stands: the applicant and agent as typed in the form."""
        return replace(self._intake, applicant=self.form.party, agent=self.form.agent)

    @intake.setter
    def intake(self, intake: Intake) -> None:
        """The item, answers, marks and confirmations (the form keeps what is typed in it)."""
        self._intake = intake

    # --- layout ------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield ItemPicker(id="intake-item")
        yield ApplicantForm(id="intake-applicant", onward=lambda: self.table)
        yield Checklist(id="intake-checklist")
        yield Static("", id="intake-summary", markup=False)
        yield Static(Text(KEY_LINE, style="dim"), id="intake-keys")
        yield StatusLine(id="intake-status")

    def on_mount(self) -> None:
        self.table.fit(self.app.size.width)
        self._render_entry()
        self.item.focus_search()
        self.item.onward = self._onward_from_item
        self.counter.desk_signal.subscribe(self, self._desk_changed)
        if self.counter.desk is not None:
            self._start(self.counter.desk)

    def on_resize(self) -> None:
        self.table.fit(self.app.size.width)

    def _desk_changed(self, desk: Desk | None) -> None:
        if desk is not None:
            self._start(desk)

    def _start(self, desk: Desk) -> None:
        self._load_index(desk)
        if self.actor is not None:
            self.drafts.restore(desk, self.actor, self._restored_draft)

    @work(thread=True, exclusive=True, group="intake-index")
    def _load_index(self, desk: Desk) -> None:
        index = desk.catalog.index()
        hand_back(self._index_ready, index)

    def _index_ready(self, index: SearchIndex) -> None:
        self.item.index_ready(index, search=not self._intake.entry_code)

    def _restored_draft(self, draft: Draft) -> None:
        self._load(draft.intake, case_id=draft.case_id)
        self._cursor_to_settle = True
        self.status.say(f"已恢复未完成的草稿（{draft.updated_at:%m-%d %H:%M}）：Ctrl+N 放弃并新建")

    def _changed(self) -> None:
        """Something was typed or marked: keep the draft up to date."""
        self._clear_stale_status()
        desk, actor = self.counter.desk, self.actor
        if desk is None or actor is None:
            return
        self.drafts.save(desk, actor, self.intake, self.case_id)

    def _clear_stale_status(self) -> None:
        if self._stale_status:
            self._stale_status = False
            self.status.say("")

    @on(Input.Changed, "#intake-entry")
    def _item_typed(self) -> None:
        """The next applicant's item is being typed: the last applicant's line goes."""
        self._clear_stale_status()

    # --- the item ----------------------------------------------------------------------

    def action_hit(self, step: int) -> None:
        self.item.move(step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hit":
            return bool(self.item.offers_hits)
        return True

    @on(ItemPicker.Said)
    def _item_said(self, event: ItemPicker.Said) -> None:
        self.status.say(event.text, error=event.error)

    @on(ItemPicker.Onward)
    def _item_onward(self) -> None:
        if self._intake.entry_code:
            self._focus_first_field()

    @on(ItemPicker.Chosen)
    def _choose(self, event: ItemPicker.Chosen) -> None:
        self.intake = replace(self._intake, entry_code=event.code)
        self._refresh_checklist()
        self._changed()
        # Enter in the search has moved the focus on already (item.onward), and the keys
        # behind it may have been typed there: only a choice made in the hits moves it now.
        if self.focused is None or self.item in self.focused.ancestors_with_self:
            self._focus_first_field()

    def _onward_from_item(self) -> Widget:
        """Where the clerk goes once the item is chosen: the first empty field, or the list."""
        return self.form.first_empty() or self.table

    def _focus_first_field(self) -> None:
        self.set_focus(self._onward_from_item())

    def _refresh_checklist(self) -> None:
        desk = self.counter.desk
        if desk is not None and self._intake.entry_code:
            self._prepare(desk, self.intake)

    @work(thread=True, exclusive=True, group="intake-prepare")
    def _prepare(self, desk: Desk, intake: Intake) -> None:
        result = desk.intake.prepare(intake, self._today())
        hand_back(self._prepared, intake.entry_code, result)

    def _prepared(self, code: str, result: Preparation | None) -> None:
        if code != self._intake.entry_code:
            return
        if result is None:
            self.prepared, self.due = None, None
            self.status.say(f"事项目录中没有 {code}：请重新选择事项")
        else:
            self.prepared, self.due = result.prepared, result.due
            self.department = result.department
        self._render_entry()
        self._render_checklist()

    def _render_entry(self) -> None:
        self.item.show(self.prepared, self.department, self.due, self.case_number)

    # --- the checklist -----------------------------------------------------------------

    def _render_checklist(self) -> None:
        self.table.show(self.prepared, self._intake, self.due.date if self.due else None)
        self.query_one("#intake-summary", Static).update(Text(self.table.summary()))
        if self._cursor_to_settle and self.prepared is not None:
            self._cursor_to_settle = False
            self.table.first_to_settle()

    @on(Checklist.Marked)
    def _marked(self, event: Checklist.Marked) -> None:
        self.intake = replace(self._intake, marks={**self._intake.marks, **event.marks})
        if event.moves_on:
            self.status.say("")
        self._render_checklist()
        self._changed()
        if event.moves_on:
            self.table.move_on()
        if event.all_received:
            self._after_all_received(len(event.marks))

    def _after_all_received(self, marked: int) -> None:
        """a leaves 缺 rows as they are: say so, and put the cursor on the first one."""
        from counter_tui.cases.intake import MISSING

        missing = [line for line in self.table.lines() if line.status == MISSING]
        if not missing:
            self.status.say(f"全收：{marked} 项未核的材料已标为已收")
            return
        names = "、".join(line.material.name for line in missing[:3])
        more = f"等 {len(missing)} 项" if len(missing) > 3 else ""
        self.status.say(
            f"全收：{marked} 项已标为已收；标为缺的不变：{names}{more}（核对后按 r，j 跳到下一项）"
        )
        self.table.move_cursor(row=self.table.get_row_index(f"m:{missing[0].material.kind}"))

    @on(Checklist.Answered)
    def _answered(self, event: Checklist.Answered) -> None:
        self.intake = self._intake.with_answer(event.item_code, event.situation_id, event.answer)
        self._render_checklist()
        self._changed()

    @on(Checklist.Refused)
    def _refused(self, event: Checklist.Refused) -> None:
        self.status.say(event.reason, error=True)

    # --- the applicant -----------------------------------------------------------------

    @on(ApplicantForm.Typed)
    def _typed(self) -> None:
        self._changed()

    @on(ApplicantForm.LookUp)
    def _look_up(self, event: ApplicantForm.LookUp) -> None:
        desk = self.counter.desk
        if desk is not None:
            self._returning(desk, event.key_type, event.key)

    @work(thread=True, exclusive=True, group="intake-applicant")
    def _returning(self, desk: Desk, key_type: str, key: str) -> None:
        party, waiting = desk.intake.returning_applicant(key_type, key)
        hand_back(self._returned, party, waiting)

    def _returned(self, party: Party | None, waiting: list[CaseRecord]) -> None:
        if party is not None:
            # The focus stays (on the name, after the number): what is typed next is kept.
            self.form.fill_returning(party)
            self._changed()
        if waiting:
            numbers = "、".join(case.number for case in waiting[:3])
            self.status.say(f"该申请人有待补材料的办件：{numbers}。按 Ctrl+O 输入编号继续办理")
        elif party is not None:
            self.status.say(f"老申请人：已带出 {party.name} 的联系方式，请核对")

    def action_id_type(self) -> None:
        """The applicant's document type; for an organisation, the legal representative's."""
        self.form.next_id_type()
        self._changed()

    def action_applicant_kind(self) -> None:
        self.form.switch_kind()
        self._focus_first_field()
        self._changed()

    def action_agent(self) -> None:
        self.form.switch_agent()
        self._changed()

    # --- problems ----------------------------------------------------------------------

    def _show_problems(self, problems: dict[str, str]) -> None:
        general = [problem for field_id, problem in problems.items() if not is_form_field(field_id)]
        at_field = self.form.show_problems(problems)
        self.status.say("；".join(general) or "请先改正标红的项目", error=True)
        if at_field:
            return
        if "entry" in problems:
            self.item.focus_search()
        elif self.table.rows_to_settle():
            # An unanswered question or a material still missing: the cursor on the first,
            # however far down the list it is (a bundle has 16 rows and more).
            self.table.focus()
            self.table.first_to_settle()

    # --- outcomes ----------------------------------------------------------------------

    def action_conclude(self, outcome: str) -> None:
        desk, actor = self.counter.desk, self.actor
        if desk is None or actor is None:
            return
        self.status.say("正在办理…")
        self._conclude(desk, actor, outcome, self.intake, "", "")

    def action_refuse(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        # What was typed in the dialogs comes back with them if the refusal could not be
        # recorded (a busy database): F10 again, and Enter twice.
        last_reasons, last_agency = self._refusal

        def agency(reasons: str | None) -> None:
            if not reasons:
                return

            def done(competent: str | None) -> None:
                desk, actor = self.counter.desk, self.actor
                if competent is None or desk is None or actor is None:
                    return
                self._refusal = (reasons, competent)
                self._conclude(desk, actor, "refuse", self.intake, reasons, competent)

            self.app.push_screen(
                AskScreen(
                    "不予受理：有权机关",
                    "不属于本机关职权的，写明应向哪个机关申请（可空）",
                    initial=last_agency,
                    allow_empty=True,
                ),
                done,
            )

        self.app.push_screen(
            AskScreen("不予受理：理由", "写明不予受理的理由（印在通知书上）", initial=last_reasons),
            agency,
        )

    def _conclude(
        self,
        desk: Desk,
        actor: Actor,
        outcome: str,
        intake: Intake,
        reasons: str,
        competent: str,
    ) -> None:
        """Record the outcome in a worker, unless one is being recorded already."""
        if self._concluding:
            self.status.say("正在办理，请稍候：上一步还没有完成")
            return
        self._concluding = True
        self._record_outcome(desk, actor, outcome, intake, reasons, competent)

    def _outcome_done(self) -> None:
        self._concluding = False

    @work(thread=True, group="intake-conclude")
    def _record_outcome(
        self,
        desk: Desk,
        actor: Actor,
        outcome: str,
        intake: Intake,
        reasons: str,
        competent: str,
    ) -> None:
        from counter_tui.cases.commands import IntakeRefused
        from counter_tui.errors import UserError

        try:
            self.drafts.settle()
            try:
                result = desk.intake.conclude(
                    actor,
                    outcome,
                    intake,
                    now=now_local(self.counter.clock()).replace(microsecond=0),
                    case_id=self.case_id,
                    draft_id=self.drafts.draft_id,
                    reasons=reasons,
                    competent_agency=competent,
                )
            except IntakeRefused as exc:
                if not exc.problems and exc.warnings:
                    hand_back(self._confirm_warnings, exc.warnings, outcome, reasons, competent)
                else:
                    hand_back(self._show_problems, exc.problems)
            except UserError as exc:
                hand_back(self.status.say, exc.message, error=True)
            else:
                hand_back(self._concluded, result)
        finally:
            hand_back(self._outcome_done)

    def _confirm_warnings(
        self, warnings: dict[str, str], outcome: str, reasons: str, competent: str
    ) -> None:
        """Only warnings stand in the way: the clerk checks the document and confirms (the
        confirmation is kept with the intake and recorded with the outcome), or goes back."""
        from counter_tui.cases.rules import token_field
        from counter_tui.ui.screens.ask import ChooseScreen

        def chosen(choice: str | None) -> None:
            desk, actor = self.counter.desk, self.actor
            if choice != "confirm" or desk is None or actor is None:
                for token, warning in warnings.items():
                    self.form.show_warning(token_field(token), warning)
                self.form.input(token_field(next(iter(warnings)))).focus()
                self.status.say("请核对证件后再办理", error=True)
                return
            self.intake = self._intake.with_confirmed(tuple(warnings))
            self._changed()
            self.status.say("正在办理…")
            self._conclude(desk, actor, outcome, self.intake, reasons, competent)

        self.app.push_screen(
            ChooseScreen(
                "请核对：" + "；".join(warnings.values()),
                (("confirm", "已核对证件，确认无误，继续办理"), ("back", "返回修改")),
            ),
            chosen,
        )

    def _concluded(self, result: Outcome) -> None:
        from counter_tui.ui.screens.notice import NoticePreview

        case = result.case
        self.status.say(f"{case.state_label}：{case.number}")
        self.counter.case_changed()  # the header's warnings and the ticket's linked cases
        self.app.push_screen(NoticePreview(result.notices, case), lambda _: self._reset())

    def _reset(self) -> None:
        """Ready for the next applicant: the last one's line goes at the first key."""
        from counter_tui.cases.intake import Intake

        self._load(Intake(), case_id=None)
        self.drafts.forget()
        self.item.focus_search()
        self._stale_status = True

    def action_new(self) -> None:
        """Ctrl+N: a blank form; with something typed, only after y to the one question."""
        from counter_tui.ui.screens.intake.discard import DiscardDraft

        what = self._draft_summary()
        if not what:
            self._new()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._new()
            else:
                self.status.say("草稿保留，继续录入")

        self.app.push_screen(DiscardDraft(what), answered)

    def _new(self) -> None:
        self._discard_draft()
        self._reset()
        self.status.say("已新建：上一份草稿已放弃")

    def _draft_summary(self) -> str:
        """What Ctrl+N would throw away, in a line; "" when nothing was typed or marked."""
        intake = self.intake
        party = intake.applicant
        typed = [
            party.name,
            party.id_number,
            party.uscc,
            party.phone,
            party.address,
            party.legal_rep,
            party.legal_rep_id_number,
        ]
        if intake.agent is not None:
            typed += [intake.agent.name, intake.agent.id_number, intake.agent.phone]
        if not (intake.entry_code or intake.marks or intake.answers or any(typed)):
            return ""
        entry = self.prepared.entry.name if self.prepared is not None else intake.entry_code
        parts = [part for part in (entry, party.name or party.id_number) if part]
        if self.case_number:
            parts.insert(0, f"续办 {self.case_number}")
        return "，".join(parts) or "已录入的内容"

    def _discard_draft(self) -> None:
        desk, actor = self.counter.desk, self.actor
        if desk is not None and actor is not None:
            self.drafts.discard(desk, actor)

    # --- resuming ----------------------------------------------------------------------

    def action_find(self) -> None:
        self.finder.ask()

    def resume(self, case: CaseRecord) -> None:
        """A notified case found by Ctrl+O, back in the form: the applicant has returned."""
        self._discard_draft()
        self.drafts.forget()
        self._load(case.intake, case_id=case.id, number=case.number)
        self._cursor_to_settle = True
        self.status.say(f"续办 {case.number}：已带出上次录入的全部内容，核对补齐的材料后按 F8 受理")
        self.table.focus()

    def _load(self, intake: Intake, *, case_id: str | None, number: str = "") -> None:
        """Put an intake into the form (a draft, a resumed case, or a blank one); filling the
        fields does not count as typing."""
        self._refusal = ("", "")  # another applicant: no reasons typed for them yet
        self.intake = intake
        self.case_id = case_id
        self.case_number = number
        self.prepared, self.due = None, None
        self.form.load(intake.applicant, intake.agent)
        self.item.clear()
        self._render_checklist()
        self._render_entry()
        self._refresh_checklist()

    def _today(self) -> date:
        return self.counter.clock().date()
