"""The intake form's applicant and agent fields: one row per field (label, input, the problem
beside it), the fields the applicant's kind and the agent call for, and what is typed read as
typed. Checking is the service's job; the form looks ahead where it saves keys or trouble:

- every identifier (ID number of each document type, 统一社会信用代码, phone; the
  representative's and the agent's too) is checked as typed, the same way for all: the problem
  shows beside the field once the value is complete (its full length) or when the field is left
  with something in it, and goes as soon as the value is valid;
- a complete, valid 居民身份证 number, credit code or mobile number moves on by itself, decided
  as the key is handled (ui/focus.py) so the keys behind it land in the next field; a valid
  number also asks the screen to look for a returning applicant;
- Enter goes to the next field still empty, or on to the checklist when none is.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from counter_tui.cases.intake import ORGANISATION, PERSON, Agent, Party
from counter_tui.ui.focus import RoutedInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.widget import Widget

    from counter_tui.applicants import Checked
    from counter_tui.ui.app import CounterApp

#: The document types Ctrl+T goes round: 居民身份证, 港澳通行证, 台胞证, 永居证, 护照.
ID_TYPE_ORDER = ("111", "516", "511", "553", "414")

#: A document number's full length by type: the problem shows once it is typed in full (or when
#: the field is left). A passport's length varies: its problem shows when the field is left.
FULL_LENGTH = {"111": 18, "516": 9, "511": 8, "553": 18}
#: The fields checked as typed.
ID_FIELDS = ("applicant.id_number", "applicant.legal_rep_id_number", "agent.id_number")
PHONE_FIELDS = ("applicant.phone", "agent.phone")

#: (field id, label) of the person form, in focus order.
PERSON_FIELDS = (
    ("applicant.id_number", "证件号码"),
    ("applicant.name", "姓名"),
    ("applicant.phone", "联系电话"),
    ("applicant.address", "地址"),
)
ORGANISATION_FIELDS = (
    ("applicant.uscc", "信用代码"),
    ("applicant.name", "单位名称"),
    ("applicant.legal_rep", "法定代表人"),
    ("applicant.legal_rep_id_number", "法代证件"),
    ("applicant.phone", "联系电话"),
    ("applicant.address", "地址"),
)
#: Every applicant field once, in focus order: hidden rows drop out of the focus chain, so this
#: order serves both forms (person: number, name, phone, address; organisation: code, name,
#: representative and their document, phone, address).
APPLICANT_ROWS = (
    ("applicant.uscc", "信用代码"),
    ("applicant.id_number", "证件号码"),
    ("applicant.name", "姓名"),
    ("applicant.legal_rep", "法定代表人"),
    ("applicant.legal_rep_id_number", "法代证件"),
    ("applicant.phone", "联系电话"),
    ("applicant.address", "地址"),
)
AGENT_FIELDS = (
    ("agent.id_number", "代办人证件"),
    ("agent.name", "代办人姓名"),
    ("agent.phone", "代办人电话"),
    ("agent.authorisation", "授权材料"),
)


def input_id(field_id: str) -> str:
    """The widget id of a field's input (field ids are the service's: `applicant.name` …)."""
    return "f-" + field_id.replace(".", "-")


def field_of(widget_id: str) -> str:
    return widget_id[2:].replace("-", ".", 1)


def is_form_field(field_id: str) -> bool:
    return field_id.startswith(("applicant.", "agent."))


class ApplicantForm(Vertical):
    """The applicant (a person, or an organisation with its legal representative) and the
    optional agent. Holds what the inputs cannot: the applicant's kind and document types."""

    class Typed(Message):
        """Something was typed into a field: the draft is out of date."""

    class LookUp(Message):
        """A complete, valid number: look for a returning applicant under it."""

        def __init__(self, key_type: str, key: str) -> None:
            super().__init__()
            self.key_type = key_type
            self.key = key

    def __init__(self, *, id: str, onward: Callable[[], Widget]) -> None:
        super().__init__(id=id)
        #: Where Enter goes when no field is left to fill in (the checklist).
        self._onward = onward
        self.kind = PERSON
        self.id_type = "111"
        self.legal_rep_id_type = "111"
        #: The agent's document type, or None when no agent applies.
        self.agent_id_type: str | None = None
        #: field id → the problem or warning shown beside it.
        self.problems: dict[str, str] = {}
        #: field id → its input, kept from compose: the intake is read at every key.
        self._inputs: dict[str, Input] = {}

    def compose(self) -> ComposeResult:
        for field_id, label in (*APPLICANT_ROWS, *AGENT_FIELDS):
            with Horizontal(classes="intake-row", id=f"row-{input_id(field_id)}"):
                yield Static(label, classes="intake-label", id=f"label-{input_id(field_id)}")
                field = self._inputs[field_id] = RoutedInput(
                    advance=self._advance_from,
                    submit=self._enter_from,
                    # After an ID number or credit code: a reader's Enter never skips the name.
                    hold_enter=field_id == "applicant.name",
                    id=input_id(field_id),
                    classes="intake-field",
                )
                yield field
                yield Static("", classes="intake-error", id=f"err-{input_id(field_id)}")

    def on_mount(self) -> None:
        self.show_fields()

    # --- what was typed ------------------------------------------------------------------

    def input(self, field_id: str) -> Input:
        return self._inputs[field_id]

    def _value(self, field_id: str) -> str:
        return self.input(field_id).value

    @property
    def party(self) -> Party:
        """The applicant as typed (checking is the service's job)."""
        return Party(
            kind=self.kind,
            name=self._value("applicant.name"),
            id_type=self.id_type,
            id_number=self._value("applicant.id_number"),
            phone=self._value("applicant.phone"),
            address=self._value("applicant.address"),
            uscc=self._value("applicant.uscc"),
            legal_rep=self._value("applicant.legal_rep"),
            legal_rep_id_type=self.legal_rep_id_type,
            legal_rep_id_number=self._value("applicant.legal_rep_id_number"),
        )

    @property
    def agent(self) -> Agent | None:
        if self.agent_id_type is None:
            return None
        return Agent(
            name=self._value("agent.name"),
            id_type=self.agent_id_type,
            id_number=self._value("agent.id_number"),
            phone=self._value("agent.phone"),
            authorisation=self._value("agent.authorisation"),
        )

    def load(self, party: Party, agent: Agent | None) -> None:
        """Put an applicant and agent into the fields (a draft, a resumed case, a blank form)."""
        self.kind, self.id_type = party.kind, party.id_type
        self.legal_rep_id_type = party.legal_rep_id_type
        self.agent_id_type = agent.id_type if agent else None
        self.clear_problems()
        values = {
            "applicant.name": party.name,
            "applicant.id_number": party.id_number,
            "applicant.uscc": party.uscc,
            "applicant.legal_rep": party.legal_rep,
            "applicant.legal_rep_id_number": party.legal_rep_id_number,
            "applicant.phone": party.phone,
            "applicant.address": party.address,
            "agent.name": agent.name if agent else "",
            "agent.id_number": agent.id_number if agent else "",
            "agent.phone": agent.phone if agent else "",
            "agent.authorisation": agent.authorisation if agent else "",
        }
        for field_id, value in values.items():
            self._fill(self.input(field_id), value)
        self.show_fields()

    def fill_returning(self, party: Party) -> None:
        """A returning applicant's details, into the fields still empty; what the clerk typed
        meanwhile stays. The focus stays where it is (the name, after the ID number): a field
        filled under the cursor is selected, so Enter keeps it and typing replaces it."""
        for field_id, value in (
            ("applicant.name", party.name),
            ("applicant.phone", party.phone),
            ("applicant.address", party.address),
            ("applicant.legal_rep", party.legal_rep),
            ("applicant.legal_rep_id_number", party.legal_rep_id_number),
        ):
            field = self.input(field_id)
            if not field.value and value:
                self._fill(field, value)
                if self.screen.focused is field:
                    field.select_all()

    def _fill(self, field: Input, value: str) -> None:
        """Set a field without it counting as typing; the cursor at its end."""
        with field.prevent(Input.Changed):
            field.value = value
        field.cursor_position = len(value)

    # --- which fields --------------------------------------------------------------------

    def visible_fields(self) -> list[str]:
        fields = ORGANISATION_FIELDS if self.kind == ORGANISATION else PERSON_FIELDS
        ids = [field_id for field_id, _ in fields]
        if self.agent_id_type is not None:
            ids += [field_id for field_id, _ in AGENT_FIELDS]
        return ids

    def show_fields(self) -> None:
        from counter_tui.applicants import id_type_label

        visible = set(self.visible_fields())
        for field_id, _ in (*APPLICANT_ROWS, *AGENT_FIELDS):
            self.query_one(f"#row-{input_id(field_id)}").display = field_id in visible
        # Labels that depend on the document type and the applicant's kind.
        id_label = self.query_one(f"#label-{input_id('applicant.id_number')}", Static)
        id_label.update(Text(_short_type(id_type_label(self.id_type))))
        rep_label = self.query_one(f"#label-{input_id('applicant.legal_rep_id_number')}", Static)
        rep_label.update(Text(_rep_type(self.legal_rep_id_type)))
        name_label = self.query_one(f"#label-{input_id('applicant.name')}", Static)
        name_label.update("单位名称" if self.kind == ORGANISATION else "姓名")

    def first_empty(self) -> Input | None:
        """The first visible field not yet filled in; None when every one is."""
        for field_id in self.visible_fields():
            if not self.input(field_id).value:
                return self.input(field_id)
        return None

    def focus_first_empty(self) -> bool:
        """Focus the first visible field not yet filled in; False when every one is."""
        field = self.first_empty()
        if field is not None:
            field.focus()
        return field is not None

    def next_id_type(self) -> None:
        """Ctrl+T: the applicant's document type; for an organisation, the representative's."""

        def following(current: str) -> str:
            return ID_TYPE_ORDER[(ID_TYPE_ORDER.index(current) + 1) % len(ID_TYPE_ORDER)]

        if self.kind == ORGANISATION:
            self.legal_rep_id_type = following(self.legal_rep_id_type)
        else:
            self.id_type = following(self.id_type)
        self.show_fields()

    def switch_kind(self) -> None:
        """Ctrl+F: a person ↔ an organisation."""
        self.kind = PERSON if self.kind == ORGANISATION else ORGANISATION
        self.show_fields()

    def switch_agent(self) -> None:
        """Ctrl+G: add an agent (focus on their number), or take them off (their fields
        emptied)."""
        if self.agent_id_type is None:
            self.agent_id_type = Agent().id_type
        else:
            self.agent_id_type = None
            for field_id, _ in AGENT_FIELDS:
                self._fill(self.input(field_id), "")
        self.show_fields()
        if self.agent_id_type is not None:
            self.input("agent.id_number").focus()

    # --- typing --------------------------------------------------------------------------

    @on(Input.Changed, ".intake-field")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id is None:
            return
        field_id = field_of(event.input.id)
        self.clear_problem(field_id)
        self.post_message(self.Typed())
        checked = self._check(field_id, event.value)
        if checked is None:
            return
        if not checked.ok and self._complete(field_id, event.value):
            self.show_problem(field_id, checked.problem or "")
        if checked.warning:
            self.show_warning(field_id, _WARNING_PREFIX.get(field_id, "") + checked.warning)
        if checked.ok and field_id == "applicant.id_number" and self.id_type == "111":
            self.post_message(self.LookUp(self.id_type, checked.value or ""))
        elif checked.ok and field_id == "applicant.uscc":
            self.post_message(self.LookUp("uscc", checked.value or ""))

    @on(Input.Blurred, ".intake-field")
    def _left(self, event: Input.Blurred) -> None:
        """A field left with an incomplete or wrong identifier: said now, not only at F8."""
        event.stop()
        field_id = field_of(event.input.id or "")
        if not event.value.strip() or field_id in self.problems:
            return
        checked = self._check(field_id, event.value)
        if checked is not None and not checked.ok:
            self.show_problem(field_id, checked.problem or "")

    def _check(self, field_id: str, value: str) -> Checked | None:
        """The identifier in `field_id` checked as the service will; None for other fields."""
        from counter_tui.applicants import check_id_number, check_phone, check_uscc

        if field_id in ID_FIELDS:
            return check_id_number(self._id_type_of(field_id), value, today=self._today())
        if field_id == "applicant.uscc":
            return check_uscc(value)
        if field_id in PHONE_FIELDS:
            return check_phone(value)
        return None

    def _id_type_of(self, field_id: str) -> str:
        if field_id == "applicant.legal_rep_id_number":
            return self.legal_rep_id_type
        if field_id == "agent.id_number":
            return self.agent_id_type or "111"
        return self.id_type

    def _complete(self, field_id: str, value: str) -> bool:
        """Typed to its full length: a problem now is not a number still being typed."""
        from counter_tui.applicants.identity import normalise_number

        number = normalise_number(value).replace("-", "")
        if field_id in ID_FIELDS:
            full = FULL_LENGTH.get(self._id_type_of(field_id))
            return full is not None and len(number) >= full
        if field_id == "applicant.uscc":
            return len(number) >= 18
        if field_id in PHONE_FIELDS:
            return _is_mobile_length(value)
        return False

    def _advance_from(self, field: RoutedInput) -> Widget | None:
        """After a typed key (ui/focus.py): where a complete, valid value moves on to. Only
        for what is typed the same length every time: a 居民身份证 number, a credit code, a
        mobile number (a passport or a landline could go on)."""
        field_id = field_of(field.id or "")
        value = field.value
        checked = self._check(field_id, value)
        if checked is None or not checked.ok or not self._complete(field_id, value):
            return None
        if field_id in ID_FIELDS and self._id_type_of(field_id) != "111":
            return None
        if field_id in PHONE_FIELDS and not _is_mobile_length(value):
            return None
        if field_id in ("applicant.id_number", "applicant.uscc"):
            return self.input("applicant.name")  # a returning applicant's name fills in there
        return self._after(field_id)

    def _after(self, field_id: str) -> Widget:
        """The visible field after `field_id`, or the checklist after the last."""
        fields = self.visible_fields()
        if field_id in fields and fields.index(field_id) + 1 < len(fields):
            return self.input(fields[fields.index(field_id) + 1])
        return self._onward()

    def _enter_from(self, field: RoutedInput) -> Widget:
        """Enter (ui/focus.py): the next field still empty, or the checklist when none is, so
        a returning applicant's filled-in details take one Enter."""
        fields = self.visible_fields()
        field_id = field_of(field.id or "")
        after = fields[fields.index(field_id) + 1 :] if field_id in fields else []
        for later in after:
            if not self.input(later).value:
                return self.input(later)
        return self._onward()

    def _today(self) -> date:
        app: CounterApp = self.app  # type: ignore[assignment]
        return app.clock().date()

    # --- problems ------------------------------------------------------------------------

    def show_problem(self, field_id: str, problem: str) -> None:
        self.problems[field_id] = problem
        self.query_one(f"#err-{input_id(field_id)}", Static).update(Text(problem))
        self.input(field_id).add_class("-invalid-field")

    def show_warning(self, field_id: str, warning: str) -> None:
        """Something to check against the document, not an error: shown at its field, and F8
        asks the clerk to confirm it (a birth date before 1900)."""
        self.problems[field_id] = warning
        error = self.query_one(f"#err-{input_id(field_id)}", Static)
        error.update(Text(warning, style="bold yellow"))

    def show_problems(self, problems: dict[str, str]) -> bool:
        """Each problem of a field beside it, the cursor on the first; False when none is."""
        first = None
        for field_id, problem in problems.items():
            if is_form_field(field_id):
                self.show_problem(field_id, problem)
                first = first or field_id
        if first is not None:
            self.input(first).focus()
        return first is not None

    def clear_problem(self, field_id: str) -> None:
        if self.problems.pop(field_id, None) is None:
            return
        self.query_one(f"#err-{input_id(field_id)}", Static).update("")
        self.input(field_id).remove_class("-invalid-field")

    def clear_problems(self) -> None:
        for field_id in list(self.problems):
            self.clear_problem(field_id)


#: What a warning at a field says first (the applicant's own has none).
_WARNING_PREFIX = {"applicant.legal_rep_id_number": "法定代表人", "agent.id_number": "代办人"}


def _is_mobile_length(value: str) -> bool:
    """Eleven digits beginning with 1: a mainland mobile typed in full."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return len(digits) >= 11 and digits.startswith("1")


def _rep_type(code: str) -> str:
    """The label of the representative's number, by document type (10 cells at most)."""
    return {
        "111": "法代身份证",
        "516": "法代港澳证",
        "511": "法代台胞证",
        "553": "法代永居证",
        "414": "法代护照",
    }.get(code, "法代证件")


def _short_type(label: str) -> str:
    """A label that fits the 10-cell column: 居民身份证 → 身份证号."""
    return {
        "居民身份证": "身份证号",
        "港澳居民来往内地通行证": "港澳通行证",
        "台湾居民来往大陆通行证": "台胞证号",
        "外国人永久居留身份证": "永居证号",
        "护照": "护照号码",
    }.get(label, label)
