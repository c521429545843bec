"""The intake form's applicant and agent fields: one row per field (label, input, the problem
beside it), the fields the applicant's kind and the agent call for, and what is typed read as
typed. Checking is the service's job; the form only looks ahead where it saves keys: a
complete, valid ID number, credit code or mobile number moves on by itself, and a valid number
asks the screen to look for a returning applicant.
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

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp

#: The document types Ctrl+T goes round: 居民身份证, 港澳通行证, 台胞证, 永居证, 护照.
ID_TYPE_ORDER = ("111", "516", "511", "553", "414")

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

    class Done(Message):
        """Enter on the last field: on to the checklist."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
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
                field = self._inputs[field_id] = Input(
                    id=input_id(field_id), classes="intake-field"
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

    def fill_returning(self, party: Party) -> bool:
        """A returning applicant's details, into the fields still empty. True when the clerk
        was on the name and it is now filled in: nothing is left to type before the checklist."""
        for field_id, value in (
            ("applicant.name", party.name),
            ("applicant.phone", party.phone),
            ("applicant.address", party.address),
            ("applicant.legal_rep", party.legal_rep),
            ("applicant.legal_rep_id_number", party.legal_rep_id_number),
        ):
            field = self.input(field_id)
            if not field.value:
                self._fill(field, value)
        name = self.input("applicant.name")
        return self.screen.focused is name and bool(name.value)

    def _fill(self, field: Input, value: str) -> None:
        """Set a field without it counting as typing."""
        with field.prevent(Input.Changed):
            field.value = value

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

    def focus_first_empty(self) -> bool:
        """Focus the first visible field not yet filled in; False when every one is."""
        for field_id in self.visible_fields():
            if not self.input(field_id).value:
                self.input(field_id).focus()
                return True
        return False

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
        """Ctrl+B: a person ↔ an organisation."""
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
        if field_id == "applicant.id_number":
            self._id_typed(event.value)
        elif field_id == "applicant.uscc":
            self._uscc_typed(event.value)
        elif field_id in ("applicant.phone", "agent.phone"):
            self._phone_typed(event.value)
        elif field_id == "agent.id_number":
            self._agent_id_typed(event.value)
        elif field_id == "applicant.legal_rep_id_number":
            self._rep_id_typed(event.value)

    def _id_typed(self, value: str) -> None:
        from counter_tui.applicants import check_id_number

        checked = check_id_number(self.id_type, value, today=self._today())
        if self.id_type == "111" and len(value.strip()) >= 18 and not checked.ok:
            self.show_problem("applicant.id_number", checked.problem or "")
        if checked.warning:
            self.show_warning("applicant.id_number", checked.warning)
        if checked.ok and self.id_type == "111":
            self.post_message(self.LookUp(self.id_type, checked.value or ""))
            self.input("applicant.name").focus()

    def _rep_id_typed(self, value: str) -> None:
        """The representative's number: checked like a person's; a complete valid 居民身份证
        number moves on by itself."""
        from counter_tui.applicants import check_id_number

        id_type = self.legal_rep_id_type
        checked = check_id_number(id_type, value, today=self._today())
        field_id = "applicant.legal_rep_id_number"
        if id_type == "111" and len(value.strip()) >= 18 and not checked.ok:
            self.show_problem(field_id, checked.problem or "")
        if checked.warning:
            self.show_warning(field_id, f"法定代表人{checked.warning}")
        if checked.ok and id_type == "111":
            self.screen.focus_next()

    def _uscc_typed(self, value: str) -> None:
        from counter_tui.applicants import check_uscc

        checked = check_uscc(value)
        if checked.ok and len(value.strip()) == 18:
            self.post_message(self.LookUp("uscc", checked.value or ""))
            self.input("applicant.name").focus()

    def _phone_typed(self, value: str) -> None:
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) == 11 and digits.startswith("1"):
            self.screen.focus_next()

    def _agent_id_typed(self, value: str) -> None:
        from counter_tui.applicants import check_id_number

        checked = check_id_number("111", value, today=self._today())
        if checked.warning:
            self.show_warning("agent.id_number", f"代办人{checked.warning}")
        if checked.ok:
            self.screen.focus_next()

    @on(Input.Submitted, ".intake-field")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = self.visible_fields()
        field_id = field_of(event.input.id or "")
        if field_id in fields and fields.index(field_id) == len(fields) - 1:
            self.post_message(self.Done())
        else:
            self.screen.focus_next()

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
