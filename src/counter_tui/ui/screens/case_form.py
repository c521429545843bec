"""A short form that performs one lifecycle action on a case: 中止 with its reason, 准予 with
the decision number, 不予许可 with number and reasons, 撤回, and 出件 in its three ways.

A form may offer what the database knows once it is open (准予/不予许可: the department's next
decision number, cases.decision_numbers): it goes into a field still as it opened, with the
cursor at its end, so that the approver confirms it with Enter or corrects its last digits.

The form itself calls the service and closes only when the action is recorded: a refusal (a
recipient whose ID does not match, a missing tracking number) is shown under the fields and
everything typed stays. Enter (or ↓) moves to the next field and, on the last, submits; ↑ goes
back; F8 submits from any field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from counter_tui.clock import now_local
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.widgets.training_mark import mark_training
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from datetime import date

    from counter_tui.cases.commands import Outcome  # noqa: F401 (the screen's result type)
    from counter_tui.cases.record import CaseRecord
    from counter_tui.desk.node import Desk
    from counter_tui.ui.app import CounterApp


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    initial: str = ""
    #: Whether the form refuses to submit while this field is empty.
    required: bool = True
    #: What the empty field shows (a pattern to complete).
    placeholder: str = ""
    #: Whether focusing the field selects its text (a default to replace) or keeps the cursor
    #: at its end (a number to confirm or complete).
    select_on_focus: bool = True


@dataclass(frozen=True)
class ActionForm:
    """What one form asks and how its answers become the service's details."""

    action: str
    title: str
    fields: tuple[FormField, ...]
    #: field id → typed text, to the keyword arguments of `backoffice.act`.
    details: Callable[[dict[str, str]], dict[str, Any]]
    #: What the person acting must know first (who may collect, what is still owed).
    note: str = ""
    #: What to offer once the form is open, read in a worker from the database, the case and
    #: today: field id → text.
    offer: Callable[[Desk, CaseRecord, date], dict[str, str]] | None = None


class CaseActionScreen(ModalScreen["Outcome | None"]):
    """A dialog that records one action on `case` itself: it returns the Outcome once the
    action is recorded, or None (Esc); a refusal goes to its StatusLine (the failure rule,
    ui/workers.py) and the dialog stays, with everything in it."""

    status = getters.query_one(StatusLine)

    def __init__(self, case: CaseRecord) -> None:
        super().__init__()
        self.case = case

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        # A long form (the correction's list) covers the header (subclasses' on_mount run too).
        mark_training(self.query_one("#ask-box", Widget))

    def record(self, action: str, details: Callable[[], dict[str, Any]]) -> None:
        """Record `action` with the details `details()` gives (which may refuse, too)."""
        self.status.say("正在记录…")
        self._record(action, details)

    @work(thread=True, exclusive=True, group="case-action")
    def _record(self, action: str, details: Callable[[], dict[str, Any]]) -> None:
        desk, signed = self.counter.desk, self.counter.signed_in
        assert desk is not None and signed is not None
        now = now_local(self.counter.clock()).replace(microsecond=0)
        outcome = desk.cases.act(signed.actor, action, self.case.id, now, **details())
        hand_back(self.dismiss, outcome)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CaseFormScreen(CaseActionScreen):
    """The fields of an ActionForm; Enter goes down them, F8 records."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "submit", "确定", id="form.submit", tooltip="提交并记录"),
        Binding("escape", "cancel", "取消", id="form.cancel"),
        Binding("down", "app.focus_next", "下一项", id="form.next", show=False),
        Binding("up", "app.focus_previous", "上一项", id="form.previous", show=False),
    ]

    def __init__(self, case: CaseRecord, form: ActionForm) -> None:
        super().__init__(case)
        self.form = form

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="case-form"):
            title = Text(f"{self.form.title}：{self.case.number}", style="bold")
            title.append(f"  {self.case.entry_name}")
            yield Static(title, id="form-title")
            if self.form.note:
                yield Static(Text(self.form.note), id="form-note")
            for field in self.form.fields:
                yield Static(Text(field.label), classes="form-label")
                yield Input(
                    field.initial,
                    id=f"form-{field.id}",
                    classes="form-input",
                    placeholder=field.placeholder,
                    select_on_focus=field.select_on_focus,
                )
                yield Static("", id=f"form-{field.id}-error", classes="form-error")
            yield StatusLine(id="form-status")
            yield Static(Text("回车 下一项  F8 确定  Esc 取消", style="dim"), id="form-keys")

    def on_mount(self) -> None:
        # The first field still to fill: a collector's name comes filled in, and the scanner
        # that types their ID number must find the cursor in the number's field.
        empty = [field for field in self._inputs if not field.value]
        (empty or self._inputs)[0].focus()
        if self.form.offer is not None:
            self._read_offer(self.form.offer)

    @work(thread=True, exclusive=True, group="case-form-offer")
    def _read_offer(self, offer: Callable[[Desk, CaseRecord, date], dict[str, str]]) -> None:
        desk = self.counter.desk
        if desk is not None:
            hand_back(self._put_offer, offer(desk, self.case, self.counter.clock().date()))

    def _put_offer(self, offered: dict[str, str]) -> None:
        """Into each field still as it opened (nothing typed is overwritten), cursor at end."""
        for field in self.form.fields:
            text = offered.get(field.id, "")
            box = self._input(field.id)
            if text and box.value == field.initial:
                box.value = text
                box.cursor_position = len(text)

    @property
    def _inputs(self) -> list[Input]:
        return list(self.query(".form-input").results(Input))

    def values(self) -> dict[str, str]:
        return {field.id: self._input(field.id).value.strip() for field in self.form.fields}

    def _input(self, field_id: str) -> Input:
        return self.query_one(f"#form-{field_id}", Input)

    @on(Input.Submitted, ".form-input")
    def _next(self, event: Input.Submitted) -> None:
        inputs = self._inputs
        at = inputs.index(event.input)
        if at + 1 < len(inputs):
            inputs[at + 1].focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        desk, signed = self.counter.desk, self.counter.signed_in
        if desk is None or signed is None:
            return
        values = self.values()
        missing = [f for f in self.form.fields if f.required and not values[f.id]]
        for field in self.form.fields:
            error = self.query_one(f"#form-{field.id}-error", Static)
            error.update(Text(f"请填写{field.label}" if field in missing else ""))
            error.set_class(field in missing, "error")
        if missing:
            self._input(missing[0].id).focus()
            return
        self.record(self.form.action, lambda: self.form.details(values))


# --- the forms ------------------------------------------------------------------------------


def reason_form(action: str, title: str, label: str) -> ActionForm:
    """中止 and 撤回: one reason."""
    return ActionForm(action, title, (FormField("reason", label),), lambda v: dict(v))


#: What the approver types to confirm an approval while 容缺 materials are owed.
CONFIRM_ANSWERS = frozenset({"y", "yes", "是", "确认"})


def decision_form(approve: bool, owed: str = "") -> ActionForm:
    """准予许可 needs the decision's document number; 不予许可 also its reasons. An approval
    while deferred (容缺) materials are owed (`owed` names them) lists them and asks for an
    explicit y: the service refuses the approval without it.

    The number offered is the one after the department's last decision of the same kind;
    before its first, the field shows the pattern to complete."""

    def offer(desk: Desk, case: CaseRecord, today: date) -> dict[str, str]:
        number = desk.cases.suggested_decision_number(case, approve=approve, today=today)
        return {"decision_number": number}

    fields = [
        FormField(
            "decision_number",
            "决定文书编号",
            placeholder="本部门首份，如：机关代字〔年份〕第0001号",
            select_on_focus=False,
        )
    ]
    if not approve:
        fields.append(FormField("reason", "不予许可的理由（将告知申请人）"))
    note = ""
    if approve and owed:
        note = f"尚欠容缺材料：{owed}。准予许可后，补齐前不能出件。"
        fields.append(FormField("confirm", "仍准予许可：输入 y 确认"))
    return ActionForm(
        "approve" if approve else "deny",
        "准予许可" if approve else "不予许可",
        tuple(fields),
        lambda v: {
            "decision_number": v["decision_number"],
            "reason": v.get("reason", ""),
            "confirm_deferred": v.get("confirm", "").strip().lower() in CONFIRM_ANSWERS,
        },
        note,
        offer,
    )


#: 出件 in its three ways: (method, label); the picker lists them in this order.
DELIVERY_WAYS = (("pickup", "窗口领取"), ("mail", "邮寄送达"), ("electronic", "电子送达"))


def delivery_form(method: str, case: CaseRecord, owed: str = "") -> ActionForm:
    """The fields of one way of delivery, filled with what the case already knows. In person,
    the form says who may collect; for an organisation a staff member (经办人) also names the
    authorisation checked. Deferred (容缺) materials still owed (`owed`) are said first: the
    service refuses delivery until they are supplied."""
    from counter_tui.cases.backoffice import Delivery, may_collect
    from counter_tui.cases.intake import ORGANISATION

    party = case.intake.applicant
    notes = [f"尚欠容缺材料：{owed}；补交后才能出件。"] if owed else []
    fields: tuple[FormField, ...]
    if method == "pickup":
        notes.append(may_collect(case))
        if party.kind == ORGANISATION:
            fields = (
                FormField("recipient", "领取人姓名", party.legal_rep),
                FormField("recipient_id", "领取人证件号码（法定代表人、代办人或经办人；可扫码）"),
                FormField(
                    "authorisation",
                    "经办人领取：核验的授权材料（如单位授权委托书；法定代表人、代办人领取可空）",
                    required=False,
                ),
            )
        else:
            fields = (
                FormField("recipient", "领取人姓名", party.name),
                FormField("recipient_id", "领取人证件号码（申请人或代办人；可扫码）"),
            )
    elif method == "mail":
        fields = (
            FormField("address", "邮寄地址", party.address),
            FormField("recipient", "收件人", party.name),
            FormField("carrier", "快递公司", "中国邮政EMS"),
            FormField("tracking", "运单号"),
        )
    else:
        fields = (FormField("channel", "送达渠道", "电子证照库"),)
    title = dict(DELIVERY_WAYS)[method]
    return ActionForm(
        "deliver",
        f"出件（{title}）",
        fields,
        lambda v: {"delivery": Delivery(method=method, **v)},
        "\n".join(notes),
    )
