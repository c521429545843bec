"""The intake section (F2): find the item, identify the applicant, mark the materials, and
accept, notify or refuse — from the keyboard, in as few keys as the law allows.

Order of the form is the order of the work: item → ID number (a returning applicant's details
fill in) → name → phone → address → checklist. Enter moves on; a complete, valid ID number or
mobile number moves on by itself. On the checklist one key marks a material and moves down.
Everything typed is saved as a draft as it changes, so a killed app loses nothing.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.catalog.shipped import NO_CATALOG
from counter_tui.clock import now_local
from counter_tui.ui.screens.catalog import RESULT_LIMIT, hit_label
from counter_tui.ui.screens.section import SectionScreen

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.cases.commands import Outcome, Prepared
    from counter_tui.cases.intake import Intake, Party
    from counter_tui.cases.record import CaseRecord
    from counter_tui.cases.rules import MarkedLine
    from counter_tui.cases.worklist import Found
    from counter_tui.catalog.search import SearchIndex
    from counter_tui.ui.backend import Backend, CaseDetail, Preparation
    from counter_tui.workdays.rules import DueDate

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


#: Checklist columns after the name, with their widths in cells.
FIXED_COLUMNS = {"form": 16, "mode": 10, "status": 12}
COLUMN_LABELS = (("form", "份数"), ("mode", "要求"), ("status", "状态"))


def input_id(field_id: str) -> str:
    return "f-" + field_id.replace(".", "-")


class ChecklistTable(DataTable[Text]):
    """The materials (and situation questions) with one key per mark."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "mark('received')", "已收", id="intake.received", show=False),
        Binding("d", "mark('deferred')", "容缺", id="intake.deferred", show=False),
        Binding("m", "mark('missing')", "缺", id="intake.missing", show=False),
        Binding("c", "mark('committed')", "承诺", id="intake.committed", show=False),
        Binding("e", "mark('exempt')", "免提交", id="intake.exempt", show=False),
        Binding("a", "all_received", "全收", id="intake.all_received", show=False),
        Binding("space", "answer", "切换情形", id="intake.answer", show=False),
        Binding("t", "deadline", "补交期限", id="intake.deadline", show=False),
        Binding("n", "note", "备注", id="intake.note", show=False),
    ]

    class Marked(Message):
        def __init__(self, key: str, action: str) -> None:
            super().__init__()
            self.key = key
            self.action = action

    def _row_key(self) -> str | None:
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def _send(self, action: str) -> None:
        key = self._row_key()
        if key is not None:
            self.post_message(self.Marked(key, action))

    def action_mark(self, status: str) -> None:
        self._send(status)

    def action_all_received(self) -> None:
        self._send("all_received")

    def action_answer(self) -> None:
        self._send("answer")

    def action_deadline(self) -> None:
        self._send("deadline")

    def action_note(self) -> None:
        self._send("note")


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
            "ctrl+n", "new", "新建", id="intake.new", show=False, tooltip="放弃当前草稿，接待下一位"
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
            "ctrl+b",
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

    entry_input = getters.query_one("#intake-entry", Input)
    hits = getters.query_one("#intake-hits", OptionList)
    entry_info = getters.query_one("#intake-entry-info", Static)
    table = getters.query_one("#intake-checklist", ChecklistTable)
    status = getters.query_one("#intake-status", Static)

    def __init__(self) -> None:
        super().__init__()
        from counter_tui.cases.intake import Intake

        self.intake: Intake = Intake()
        self.case_id: str | None = None
        self.case_number = ""
        self.draft_id: str | None = None
        self.prepared: Prepared | None = None
        self.due: DueDate | None = None
        self.department = ""
        self.problems: dict[str, str] = {}
        self._index: SearchIndex | None = None
        self._hit_codes: list[str] = []
        self._filling = False
        self._pending_draft: Intake | None = None
        self._draft_lock = threading.Lock()
        self._restored = False
        self._columns_for = 0
        #: The last refusal's reasons and agency, offered again until the form is reset.
        self._refusal = ("", "")

    # --- layout ------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="intake-row"):
            yield Static("事项", classes="intake-label")
            yield Input(placeholder="名称、拼音首字母或编码，回车选定", id="intake-entry")
        yield OptionList(id="intake-hits")
        yield Static("", id="intake-entry-info")
        with Vertical(id="intake-applicant"):
            for field_id, label in (*APPLICANT_ROWS, *AGENT_FIELDS):
                with Horizontal(classes="intake-row", id=f"row-{input_id(field_id)}"):
                    yield Static(label, classes="intake-label", id=f"label-{input_id(field_id)}")
                    yield Input(id=input_id(field_id), classes="intake-field")
                    yield Static("", classes="intake-error", id=f"err-{input_id(field_id)}")
        yield ChecklistTable(id="intake-checklist", cursor_type="row", zebra_stripes=False)
        yield Static(
            Text(
                "r 已收  d 容缺  m 缺  a 全收  c 承诺  e 免提交  t 期限  n 备注  空格 情形",
                style="dim",
            ),
            id="intake-keys",
        )
        yield Static("", id="intake-status")

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width)
        self.hits.display = False
        self._show_fields()
        self._render_entry()
        self.entry_input.focus()
        self.counter.backend_signal.subscribe(self, self._backend_changed)
        if self.counter.backend is not None:
            self._start(self.counter.backend)

    def _add_columns(self, width: int) -> None:
        """Fixed widths, the name taking the rest: at 80 columns every column stays in view
        (a long name or question is cut with …, the table never scrolls sideways)."""
        # Less the body's padding (2), a scrollbar (2) and each column's padding (2).
        padding = 2 + 2 + 2 * (len(FIXED_COLUMNS) + 1)
        name = max(16, width - padding - sum(FIXED_COLUMNS.values()))
        self.table.clear(columns=True)
        self.table.add_column("材料", key="name", width=name)
        for (key, label), size in zip(COLUMN_LABELS, FIXED_COLUMNS.values(), strict=True):
            self.table.add_column(label, key=key, width=size)
        self._columns_for = width

    def on_resize(self) -> None:
        if self.app.size.width != self._columns_for:
            self._add_columns(self.app.size.width)
            self._render_checklist()

    def _backend_changed(self, backend: Backend | None) -> None:
        if backend is not None:
            self._start(backend)

    def _start(self, backend: Backend) -> None:
        self._load_index(backend)
        if not self._restored and self.actor is not None:
            self._restored = True
            self._restore_draft(backend, self.actor)

    @work(thread=True, exclusive=True, group="intake-index")
    def _load_index(self, backend: Backend) -> None:
        index = backend.catalog_index()
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: SearchIndex) -> None:
        self._index = index
        if self.entry_input.value and not self.intake.entry_code:
            self._search(self.entry_input.value)

    # --- drafts ------------------------------------------------------------------------

    @work(thread=True, group="intake-draft")
    def _restore_draft(self, backend: Backend, actor: Actor) -> None:
        draft = backend.latest_draft(actor)
        if draft is not None:
            self.app.call_from_thread(self._restored_draft, draft)

    def _restored_draft(self, draft: Any) -> None:
        self.draft_id = draft.id
        self._load(draft.intake, case_id=draft.case_id)
        self._say(f"已恢复未完成的草稿（{draft.updated_at:%m-%d %H:%M}）：Ctrl+N 放弃并新建")

    def _changed(self) -> None:
        """Something was typed or marked: keep the draft up to date."""
        backend, actor = self.counter.backend, self.actor
        if backend is None or actor is None or self._filling:
            return
        self._pending_draft = self.intake
        self._save_draft(backend, actor)

    @work(thread=True, group="intake-draft")
    def _save_draft(self, backend: Backend, actor: Actor) -> None:
        # One writer at a time, and it writes whatever is newest: a slow save never overwrites
        # a later one with older text.
        with self._draft_lock:
            intake, self._pending_draft = self._pending_draft, None
            if intake is None:
                return
            self.draft_id = backend.save_draft(actor, intake, self.draft_id, self.case_id)

    # --- the item ----------------------------------------------------------------------

    @on(Input.Changed, "#intake-entry")
    def _entry_typed(self, event: Input.Changed) -> None:
        if self._filling:
            return
        self._search(event.value)

    def _search(self, query: str) -> None:
        if self._index is not None and len(self._index) == 0 and query.strip():
            self._say(Text(NO_CATALOG), error=True)
            return
        if self._index is None or not query.strip():
            self.hits.display = False
            self._hit_codes = []
            return
        hits = self._index.search(query, limit=RESULT_LIMIT)
        self._hit_codes = [hit.entry.code for hit in hits]
        self.hits.set_options([Option(hit_label(hit), id=hit.entry.code) for hit in hits])
        self.hits.display = bool(hits)
        if hits:
            self.hits.highlighted = 0
        else:
            self._say(Text(f"没有找到“{query.strip()}”：试试拼音首字母或别名"))

    def action_hit(self, step: int) -> None:
        if not self.entry_input.has_focus or not self._hit_codes:
            return
        current = self.hits.highlighted or 0
        self.hits.highlighted = max(0, min(len(self._hit_codes) - 1, current + step))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hit":
            return self.entry_input.has_focus and bool(self._hit_codes)
        return True

    @on(Input.Submitted, "#intake-entry")
    def _entry_chosen(self) -> None:
        highlighted = self.hits.highlighted
        if not self._hit_codes or highlighted is None:
            if self.intake.entry_code:
                self._focus_first_field()
            return
        self._choose(self._hit_codes[highlighted])

    @on(OptionList.OptionSelected, "#intake-hits")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._choose(event.option.id)

    def _choose(self, code: str) -> None:
        self.hits.display = False
        self._hit_codes = []
        self.intake = replace(self.intake, entry_code=code)
        self._clear_problem("entry")
        self._refresh_checklist()
        self._changed()
        self._focus_first_field()

    def _focus_first_field(self) -> None:
        fields = self._visible_fields()
        for field_id in fields:
            if not self._input(field_id).value:
                self._input(field_id).focus()
                return
        self.table.focus()

    def _refresh_checklist(self) -> None:
        backend = self.counter.backend
        if backend is not None and self.intake.entry_code:
            self._prepare(backend, self.intake)

    @work(thread=True, exclusive=True, group="intake-prepare")
    def _prepare(self, backend: Backend, intake: Intake) -> None:
        result = backend.prepare(intake, self._today())
        self.app.call_from_thread(self._prepared, intake.entry_code, result)

    def _prepared(self, code: str, result: Preparation | None) -> None:
        if code != self.intake.entry_code:
            return
        if result is None:
            self.prepared, self.due = None, None
            self._say(f"事项目录中没有 {code}：请重新选择事项")
        else:
            self.prepared, self.due = result.prepared, result.due
            self.department = result.department
        self._render_entry()
        self._render_checklist()

    def _render_entry(self) -> None:
        prepared = self.prepared
        if prepared is None:
            self.entry_info.update(Text("请先选择事项（输入名称或拼音首字母，回车选定）", "dim"))
            return
        if self.entry_input.value != prepared.entry.name:
            self._fill(self.entry_input, prepared.entry.name)
        info = Text("一件事  " if prepared.entry_kind == "bundle" else "")
        info.append(self.department)
        if prepared.instant:
            info.append("  即办件：当场办结")
        elif self.due is not None:
            days, due = prepared.committed_days, self.due.date
            info.append(f"  承诺 {days} 个工作日，今天受理则 {due:%Y-%m-%d} 前办结")
            if self.due.provisional:
                info.append("（暂定）", style="italic")
        if not prepared.allowed_here:
            info.append("  本站不可受理", style="bold")
        if self.case_number:
            info.append(f"  续办 {self.case_number}", style="bold")
        self.entry_info.update(info)

    # --- the checklist -----------------------------------------------------------------

    def _marked(self) -> list[MarkedLine]:
        """The checklist as the situation answers make it now, with the clerk's marks."""
        from counter_tui.cases.rules import marked
        from counter_tui.catalog.rules import checklist

        if self.prepared is None:
            return []
        items = list(self.prepared.items.values())
        return marked(checklist(items, self.intake.answer_map()), self.intake)

    def _render_checklist(self) -> None:
        from counter_tui.cases.intake import EXEMPT
        from counter_tui.catalog.rules import answer_of

        table = self.table
        row = table.cursor_row
        table.clear()
        prepared = self.prepared
        if prepared is None:
            return
        answers = self.intake.answer_map()
        for item in prepared.items.values():
            for situation in item.situations:
                table.add_row(
                    Text(f"？{situation.question}", overflow="ellipsis", no_wrap=True),
                    _answer_cell(answer_of(item, situation, answers)),
                    Text("空格切换", style="dim"),
                    Text(""),
                    key=f"s:{item.code}|{situation.id}",
                )
        for line in self._marked():
            material = line.material
            # 免提交: where the agency fetches it instead (电子证照库 …), in place of the form.
            form = material.form_label
            if line.status == EXEMPT and material.source:
                form = f"共享：{material.source}"
            table.add_row(
                Text(material.name, overflow="ellipsis", no_wrap=True),
                Text(form, overflow="ellipsis", no_wrap=True),
                Text(material.mode_label),
                self._status_cell(line),
                key=f"m:{material.kind}",
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _status_cell(self, line: MarkedLine) -> Text:
        from counter_tui.cases.intake import DEFERRED, MISSING, PENDING, RECEIVED

        style = {RECEIVED: "green", MISSING: "bold red", PENDING: "yellow"}.get(line.status, "")
        text = Text(line.label, style=style)
        if line.status == DEFERRED and line.mark.until:
            text.append(f" 至{line.mark.until:%m-%d}")
        if line.mark.note:
            text.append(" *", style="bold")
        return text

    def _line(self, kind: str) -> MarkedLine | None:
        return next((line for line in self._marked() if line.material.kind == kind), None)

    @on(ChecklistTable.Marked)
    def _marked_key(self, event: ChecklistTable.Marked) -> None:
        kind, _, rest = event.key.partition(":")
        if event.action == "all_received":  # whatever row the cursor is on
            self._all_received()
        elif kind == "s":
            if event.action in ("answer", "received"):
                self._cycle_answer(rest)
        elif event.action == "deadline":
            self._ask_deadline(rest)
        elif event.action == "note":
            self._ask_note(rest)
        elif event.action == "answer":
            self._mark(rest, "received")
        else:
            self._mark(rest, event.action)

    def _mark(self, kind: str, status: str) -> None:
        from counter_tui.cases.intake import DEFERRED, RECEIVED, Mark
        from counter_tui.cases.rules import status_refusal

        line = self._line(kind)
        if line is None:
            return
        refusal = status_refusal(line.material, status)
        if refusal:
            self._say(Text(refusal), error=True)
            return
        until = line.mark.until
        if status == DEFERRED and until is None and self.due is not None:
            until = self.due.date
        mark = Mark(
            status=status,
            original_seen=status == RECEIVED and line.material.originals > 0,
            copies_kept=line.material.copies if status == RECEIVED else 0,
            until=until if status == DEFERRED else None,
            note=line.mark.note,
        )
        self.intake = self.intake.with_mark(kind, mark)
        self._say("")
        self._render_checklist()
        self._changed()
        if self.table.cursor_row < self.table.row_count - 1:
            self.table.move_cursor(row=self.table.cursor_row + 1)

    def _all_received(self) -> None:
        from counter_tui.cases.intake import PENDING, RECEIVED, Mark

        for line in self._marked():
            if line.status == PENDING:
                self.intake = self.intake.with_mark(
                    line.material.kind,
                    Mark(
                        status=RECEIVED,
                        original_seen=line.material.originals > 0,
                        copies_kept=line.material.copies,
                        note=line.mark.note,
                    ),
                )
        self._render_checklist()
        self._changed()

    def _cycle_answer(self, key: str) -> None:
        if self.prepared is None:
            return
        item_code, _, situation_id = key.partition("|")
        item = self.prepared.items.get(item_code)
        situation = (
            next((s for s in item.situations if s.id == situation_id), None) if item else None
        )
        if situation is None:
            return
        answers = [option.answer for option in situation.options]
        current = self.intake.answers.get(key) or situation.default or None
        following = (
            answers[(answers.index(current) + 1) % len(answers)]
            if current in answers
            else answers[0]
        )
        self.intake = self.intake.with_answer(item_code, situation_id, following)
        self._render_checklist()
        self._changed()

    def _ask_deadline(self, kind: str) -> None:
        from counter_tui.cases.intake import DEFERRED
        from counter_tui.ui.screens.ask import AskScreen

        line = self._line(kind)
        if line is None or line.status != DEFERRED:
            self._say("先按 d 将该材料标为容缺，再设补交期限", error=True)
            return
        due = self.due.date if self.due else None

        def check(text: str) -> str | None:
            from counter_tui.cases.rules import deferral_problem
            from counter_tui.workdays.rules import parse_date

            try:
                until = parse_date(text)
            except ValueError as exc:
                return str(exc)
            return deferral_problem(line.material, until, due=due, today=self._today())

        def done(text: str | None) -> None:
            from counter_tui.workdays.rules import parse_date

            if text:
                self.intake = self.intake.with_mark(
                    kind, replace(line.mark, until=parse_date(text))
                )
                self._render_checklist()
                self._changed()

        self.app.push_screen(
            AskScreen(
                f"“{line.material.name}”补交期限",
                "日期（如 2026-12-01），不得晚于承诺办结日期",
                initial=line.mark.until.isoformat() if line.mark.until else "",
                check=check,
            ),
            done,
        )

    def _ask_note(self, kind: str) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        line = self._line(kind)
        if line is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.intake = self.intake.with_mark(kind, replace(line.mark, note=text.strip()))
                self._render_checklist()
                self._changed()

        self.app.push_screen(
            AskScreen(
                f"“{line.material.name}”备注",
                "材料存在的问题（印在一次性告知书上）",
                initial=line.mark.note,
                allow_empty=True,
            ),
            done,
        )

    # --- the applicant -----------------------------------------------------------------

    def _visible_fields(self) -> list[str]:
        from counter_tui.cases.intake import ORGANISATION

        fields = (
            ORGANISATION_FIELDS if self.intake.applicant.kind == ORGANISATION else PERSON_FIELDS
        )
        ids = [field_id for field_id, _ in fields]
        if self.intake.agent is not None:
            ids += [field_id for field_id, _ in AGENT_FIELDS]
        return ids

    def _input(self, field_id: str) -> Input:
        return self.query_one(f"#{input_id(field_id)}", Input)

    def _show_fields(self) -> None:
        from counter_tui.applicants import id_type_label
        from counter_tui.cases.intake import ORGANISATION

        visible = set(self._visible_fields())
        for field_id, _ in (*APPLICANT_ROWS, *AGENT_FIELDS):
            self.query_one(f"#row-{input_id(field_id)}").display = field_id in visible
        # Labels that depend on the document type and the applicant's kind.
        applicant = self.intake.applicant
        id_label = self.query_one(f"#label-{input_id('applicant.id_number')}", Static)
        id_label.update(Text(_short_type(id_type_label(applicant.id_type))))
        rep_label = self.query_one(f"#label-{input_id('applicant.legal_rep_id_number')}", Static)
        rep_label.update(Text(_rep_type(applicant.legal_rep_id_type)))
        name_label = self.query_one(f"#label-{input_id('applicant.name')}", Static)
        name_label.update("单位名称" if applicant.kind == ORGANISATION else "姓名")

    def _read_fields(self) -> None:
        """Copy the inputs into the intake (as typed: checking is the service's job)."""
        from counter_tui.cases.intake import Agent

        applicant = self.intake.applicant
        values = {field_id: self._input(field_id).value for field_id, _ in APPLICANT_ROWS}
        applicant = replace(
            applicant,
            name=values["applicant.name"],
            id_number=values["applicant.id_number"],
            uscc=values["applicant.uscc"],
            legal_rep=values["applicant.legal_rep"],
            legal_rep_id_number=values["applicant.legal_rep_id_number"],
            phone=values["applicant.phone"],
            address=values["applicant.address"],
        )
        agent = self.intake.agent
        if agent is not None:
            agent = Agent(
                name=self._input("agent.name").value,
                id_type=agent.id_type,
                id_number=self._input("agent.id_number").value,
                phone=self._input("agent.phone").value,
                authorisation=self._input("agent.authorisation").value,
            )
        self.intake = replace(self.intake, applicant=applicant, agent=agent)

    @on(Input.Changed, ".intake-field")
    def _field_typed(self, event: Input.Changed) -> None:
        if self._filling or event.input.id is None:
            return
        self._read_fields()
        field_id = event.input.id[2:].replace("-", ".", 1)
        self._clear_problem(field_id)
        self._changed()
        if field_id == "applicant.id_number":
            self._id_typed(event.value)
        elif field_id == "applicant.uscc":
            self._uscc_typed(event.value)
        elif field_id in ("applicant.phone", "agent.phone"):
            self._phone_typed(event.input, event.value)
        elif field_id == "agent.id_number":
            self._agent_id_typed(event.input, event.value)
        elif field_id == "applicant.legal_rep_id_number":
            self._rep_id_typed(event.value)

    def _id_typed(self, value: str) -> None:
        from counter_tui.applicants import check_id_number

        applicant = self.intake.applicant
        checked = check_id_number(applicant.id_type, value, today=self._today())
        if applicant.id_type == "111" and len(value.strip()) >= 18 and not checked.ok:
            self._show_problem("applicant.id_number", checked.problem or "")
        if checked.warning:
            self._show_warning("applicant.id_number", checked.warning)
        if checked.ok and applicant.id_type == "111":
            self._look_up(applicant.id_type, checked.value or "")
            self._input("applicant.name").focus()

    def _rep_id_typed(self, value: str) -> None:
        """The representative's number: checked like a person's; a complete valid 居民身份证
        number moves on by itself."""
        from counter_tui.applicants import check_id_number

        id_type = self.intake.applicant.legal_rep_id_type
        checked = check_id_number(id_type, value, today=self._today())
        field_id = "applicant.legal_rep_id_number"
        if id_type == "111" and len(value.strip()) >= 18 and not checked.ok:
            self._show_problem(field_id, checked.problem or "")
        if checked.warning:
            self._show_warning(field_id, f"法定代表人{checked.warning}")
        if checked.ok and id_type == "111":
            self.focus_next()

    def _uscc_typed(self, value: str) -> None:
        from counter_tui.applicants import check_uscc

        checked = check_uscc(value)
        if checked.ok and len(value.strip()) == 18:
            self._look_up("uscc", checked.value or "")
            self._input("applicant.name").focus()

    def _phone_typed(self, field: Input, value: str) -> None:
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) == 11 and digits.startswith("1"):
            self.focus_next()

    def _agent_id_typed(self, field: Input, value: str) -> None:
        from counter_tui.applicants import check_id_number

        checked = check_id_number("111", value, today=self._today())
        if checked.warning:
            self._show_warning("agent.id_number", f"代办人{checked.warning}")
        if checked.ok:
            self.focus_next()

    def _look_up(self, key_type: str, key: str) -> None:
        backend = self.counter.backend
        if backend is not None:
            self._returning(backend, key_type, key)

    @work(thread=True, exclusive=True, group="intake-applicant")
    def _returning(self, backend: Backend, key_type: str, key: str) -> None:
        party, waiting = backend.returning_applicant(key_type, key)
        self.app.call_from_thread(self._returned, party, waiting)

    def _returned(self, party: Party | None, waiting: list[CaseRecord]) -> None:
        if party is not None:
            for field_id, value in (
                ("applicant.name", party.name),
                ("applicant.phone", party.phone),
                ("applicant.address", party.address),
                ("applicant.legal_rep", party.legal_rep),
                ("applicant.legal_rep_id_number", party.legal_rep_id_number),
            ):
                field = self._input(field_id)
                if not field.value:
                    self._fill(field, value)
            self._read_fields()
            self._changed()
            if (
                self.focused is self._input("applicant.name")
                and self._input("applicant.name").value
            ):
                self.table.focus()
        if waiting:
            numbers = "、".join(case.number for case in waiting[:3])
            self._say(
                Text(f"该申请人有待补材料的办件：{numbers}。按 Ctrl+O 输入编号继续办理"),
            )
        elif party is not None:
            self._say(Text(f"老申请人：已带出 {party.name} 的联系方式，请核对"))

    @on(Input.Submitted, ".intake-field")
    def _field_submitted(self, event: Input.Submitted) -> None:
        fields = self._visible_fields()
        field_id = (event.input.id or "")[2:].replace("-", ".", 1)
        if field_id in fields and fields.index(field_id) == len(fields) - 1:
            self.table.focus()
        else:
            self.focus_next()

    def action_id_type(self) -> None:
        """The applicant's document type; for an organisation, the legal representative's."""
        from counter_tui.cases.intake import ORGANISATION

        applicant = self.intake.applicant

        def following(current: str) -> str:
            return ID_TYPE_ORDER[(ID_TYPE_ORDER.index(current) + 1) % len(ID_TYPE_ORDER)]

        if applicant.kind == ORGANISATION:
            applicant = replace(applicant, legal_rep_id_type=following(applicant.legal_rep_id_type))
        else:
            applicant = replace(applicant, id_type=following(applicant.id_type))
        self.intake = replace(self.intake, applicant=applicant)
        self._show_fields()
        self._changed()

    def action_applicant_kind(self) -> None:
        from counter_tui.cases.intake import ORGANISATION, PERSON

        applicant = self.intake.applicant
        kind = PERSON if applicant.kind == ORGANISATION else ORGANISATION
        self.intake = replace(self.intake, applicant=replace(applicant, kind=kind))
        self._show_fields()
        self._focus_first_field()
        self._changed()

    def action_agent(self) -> None:
        from counter_tui.cases.intake import Agent

        agent = None if self.intake.agent is not None else Agent()
        self.intake = replace(self.intake, agent=agent)
        if agent is None:
            for field_id, _ in AGENT_FIELDS:
                self._fill(self._input(field_id), "")
        self._show_fields()
        if agent is not None:
            self._input("agent.id_number").focus()
        self._changed()

    # --- problems ----------------------------------------------------------------------

    def _show_problem(self, field_id: str, problem: str) -> None:
        self.problems[field_id] = problem
        try:
            error = self.query_one(f"#err-{input_id(field_id)}", Static)
        except Exception:
            return
        error.update(Text(problem))
        self._input(field_id).add_class("-invalid-field")

    def _show_warning(self, field_id: str, warning: str) -> None:
        """Something to check against the document, not an error: shown at its field, and F8
        asks the clerk to confirm it (a birth date before 1900)."""
        self.problems[field_id] = warning
        error = self.query_one(f"#err-{input_id(field_id)}", Static)
        error.update(Text(warning, style="bold yellow"))

    def _clear_problem(self, field_id: str) -> None:
        if self.problems.pop(field_id, None) is None:
            return
        if field_id.startswith(("applicant.", "agent.")):
            self.query_one(f"#err-{input_id(field_id)}", Static).update("")
            self._input(field_id).remove_class("-invalid-field")

    def _first_unanswered(self) -> int | None:
        """The checklist row of the first 办理情形 with no answer in force."""
        from counter_tui.catalog.rules import unanswered

        if self.prepared is None:
            return None
        missing = unanswered(list(self.prepared.items.values()), self.intake.answer_map())
        if not missing:
            return None
        item, situation = missing[0]
        return self.table.get_row_index(f"s:{item.code}|{situation.id}")

    def _show_problems(self, problems: dict[str, str]) -> None:
        general = []
        first_field = None
        for field_id, problem in problems.items():
            if field_id.startswith(("applicant.", "agent.")):
                self._show_problem(field_id, problem)
                first_field = first_field or field_id
            else:
                general.append(problem)
        self._say(Text("；".join(general) or "请先改正标红的项目"), error=True)
        if first_field is not None:
            self._input(first_field).focus()
        elif "entry" in problems:
            self.entry_input.focus()
        elif (row := self._first_unanswered()) is not None:
            self.table.focus()
            self.table.move_cursor(row=row)

    def _say(self, message: str | Text, *, error: bool = False) -> None:
        self.status.update(message if isinstance(message, Text) else Text(message))
        self.status.set_class(error, "error")

    def show_failure(self, line: str) -> None:
        """A failed step (ui/workers.py): said on the status line; the form is left as typed."""
        self._say(Text(line), error=True)

    # --- outcomes ----------------------------------------------------------------------

    def action_conclude(self, outcome: str) -> None:
        self._read_fields()
        backend, actor = self.counter.backend, self.actor
        if backend is None or actor is None:
            return
        self._say("正在办理…")
        self._conclude(backend, actor, outcome, self.intake, "", "")

    def action_refuse(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        self._read_fields()

        # What was typed in the dialogs comes back with them if the refusal could not be
        # recorded (a busy database): F10 again, and Enter twice.
        last_reasons, last_agency = self._refusal

        def agency(reasons: str | None) -> None:
            if not reasons:
                return

            def done(competent: str | None) -> None:
                backend, actor = self.counter.backend, self.actor
                if competent is None or backend is None or actor is None:
                    return
                self._refusal = (reasons, competent)
                self._conclude(backend, actor, "refuse", self.intake, reasons, competent)

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

    @work(thread=True, exclusive=True, group="intake-conclude")
    def _conclude(
        self,
        backend: Backend,
        actor: Actor,
        outcome: str,
        intake: Intake,
        reasons: str,
        competent: str,
    ) -> None:
        from counter_tui.cases.commands import IntakeRefused
        from counter_tui.errors import PermissionDenied, UserError

        # Wait for a draft save in flight: the outcome removes the draft it wrote.
        with self._draft_lock:
            self._pending_draft = None
        try:
            result = backend.conclude(
                actor,
                outcome,
                intake,
                now=now_local(self.counter.clock()).replace(microsecond=0),
                case_id=self.case_id,
                draft_id=self.draft_id,
                reasons=reasons,
                competent_agency=competent,
            )
        except IntakeRefused as exc:
            if not exc.problems and exc.warnings:
                self.app.call_from_thread(
                    self._confirm_warnings, exc.warnings, outcome, reasons, competent
                )
            else:
                self.app.call_from_thread(self._show_problems, exc.problems)
        except (UserError, PermissionDenied) as exc:
            self.app.call_from_thread(self._say, Text(exc.message), error=True)
        else:
            self.app.call_from_thread(self._concluded, result)

    def _confirm_warnings(
        self, warnings: dict[str, str], outcome: str, reasons: str, competent: str
    ) -> None:
        """Only warnings stand in the way: the clerk checks the document and confirms (the
        confirmation is kept with the intake and recorded with the outcome), or goes back."""
        from counter_tui.cases.rules import token_field
        from counter_tui.ui.screens.ask import ChooseScreen

        def chosen(choice: str | None) -> None:
            backend, actor = self.counter.backend, self.actor
            if choice != "confirm" or backend is None or actor is None:
                for token, warning in warnings.items():
                    self._show_warning(token_field(token), warning)
                self._input(token_field(next(iter(warnings)))).focus()
                self._say(Text("请核对证件后再办理"), error=True)
                return
            self.intake = self.intake.with_confirmed(tuple(warnings))
            self._changed()
            self._say("正在办理…")
            self._conclude(backend, actor, outcome, self.intake, reasons, competent)

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
        self._say(Text(f"{case.state_label}：{case.number}"))
        self.app.push_screen(NoticePreview(result.notices, case), lambda _: self._reset())

    def _reset(self) -> None:
        """Ready for the next applicant."""
        from counter_tui.cases.intake import Intake

        self._load(Intake(), case_id=None)
        self.draft_id = None
        self.entry_input.focus()

    def action_new(self) -> None:
        backend, actor = self.counter.backend, self.actor
        if self.draft_id and backend is not None and actor is not None:
            self._discard(backend, actor, self.draft_id)
        self._reset()
        self._say("已新建：上一份草稿已放弃")

    @work(thread=True, group="intake-draft")
    def _discard(self, backend: Backend, actor: Actor, draft_id: str) -> None:
        with self._draft_lock:
            self._pending_draft = None
            backend.discard_draft(actor, draft_id)

    # --- resuming ----------------------------------------------------------------------

    def action_find(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        def done(key: str | None) -> None:
            backend = self.counter.backend
            if key and backend is not None:
                self._find(backend, key.strip())

        self.app.push_screen(
            AskScreen(
                "找回办件",
                "办件编号、证件号码、手机号或申请人姓名：续办告知件，或查看办件、补打通知书",
            ),
            done,
        )

    @work(thread=True, exclusive=True, group="intake-find")
    def _find(self, backend: Backend, key: str) -> None:
        found = backend.find_cases(key)
        self.app.call_from_thread(self._matches, key, found)

    def _matches(self, key: str, found: list[Found]) -> None:
        from counter_tui.ui.screens.case_detail import CasePickScreen

        backend = self.counter.backend
        if not found or backend is None:
            self._say(Text(f"没有找到办件：{key}"), error=True)
        elif len(found) == 1:
            self._open_case(backend, found[0].id)
        else:

            def chosen(case_id: str | None) -> None:
                if case_id and backend is not None:
                    self._open_case(backend, case_id)

            self.app.push_screen(CasePickScreen(key, found), chosen)

    @work(thread=True, exclusive=True, group="intake-find")
    def _open_case(self, backend: Backend, case_id: str) -> None:
        detail = backend.case_detail(case_id, self._today())
        if detail is not None:
            self.app.call_from_thread(self._opened, detail)

    def _opened(self, detail: CaseDetail) -> None:
        """A notified case is resumed in the form; any other opens in the case detail."""
        from counter_tui.cases.record import NOTIFIED
        from counter_tui.ui.screens.case_detail import CaseDetailScreen

        case = detail.case
        if case.state == NOTIFIED:
            backend, actor = self.counter.backend, self.actor
            if self.draft_id and backend is not None and actor is not None:
                self._discard(backend, actor, self.draft_id)
            self.draft_id = None
            self._load(case.intake, case_id=case.id, number=case.number)
            self._say(
                Text(f"续办 {case.number}：已带出上次录入的全部内容，核对补齐的材料后按 F8 受理")
            )
            self.table.focus()
            return
        role = self.actor.role if self.actor else "clerk"
        self.app.push_screen(CaseDetailScreen(detail, role))

    def _load(self, intake: Intake, *, case_id: str | None, number: str = "") -> None:
        """Put an intake into the form (a draft, a resumed case, or a blank one)."""
        self._refusal = ("", "")  # another applicant: no reasons typed for them yet
        self._filling = True
        try:
            self.intake = intake
            self.case_id = case_id
            self.case_number = number
            self.prepared, self.due = None, None
            for field_id in list(self.problems):
                self._clear_problem(field_id)
            applicant, agent = intake.applicant, intake.agent
            values = {
                "applicant.name": applicant.name,
                "applicant.id_number": applicant.id_number,
                "applicant.uscc": applicant.uscc,
                "applicant.legal_rep": applicant.legal_rep,
                "applicant.legal_rep_id_number": applicant.legal_rep_id_number,
                "applicant.phone": applicant.phone,
                "applicant.address": applicant.address,
                "agent.name": agent.name if agent else "",
                "agent.id_number": agent.id_number if agent else "",
                "agent.phone": agent.phone if agent else "",
                "agent.authorisation": agent.authorisation if agent else "",
            }
            for field_id, value in values.items():
                self._fill(self._input(field_id), value)
            self._fill(self.entry_input, "")
            self.hits.display = False
            self._show_fields()
            self.table.clear()
        finally:
            self._filling = False
        self._render_entry()
        self._refresh_checklist()

    def _fill(self, field: Input, value: str) -> None:
        """Set a field without it counting as typing."""
        filling, self._filling = self._filling, True
        try:
            with field.prevent(Input.Changed):
                field.value = value
        finally:
            self._filling = filling

    def _today(self) -> date:
        return self.counter.clock().date()


def _answer_cell(answer: tuple[str | None, bool]) -> Text:
    """A situation's answer in the checklist: the clerk's, the catalog's default marked as
    such, or 未答 (F8 refuses until it is answered)."""
    chosen, by_default = answer
    if chosen is None:
        return Text("未答", style="bold red")
    if by_default:
        return Text(f"{chosen}（默认）", overflow="ellipsis", no_wrap=True)
    return Text(chosen, style="bold", overflow="ellipsis", no_wrap=True)


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
