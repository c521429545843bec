"""The intake form's checklist: the 办理情形 questions and the materials the answers call for,
each with the clerk's mark, and one key per mark. A key says what it changed in a message (the
mark each key gives is `cases.rules`); the screen keeps the intake and draws the list again.

Rows still to settle — a 办理情形 without an answer, a material not yet checked (未核) or marked
缺 — are where the clerk is taken: `j` jumps to the next one, and a resumed case or a restored
draft opens on the first. Home and End go to the first and last row (DataTable's own scroll
sideways, which a table that never scrolls sideways does not need), PgUp/PgDn a page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from counter_tui.cases.intake import Intake

if TYPE_CHECKING:
    from counter_tui.cases.commands import Prepared
    from counter_tui.cases.intake import Mark
    from counter_tui.cases.rules import MarkedLine
    from counter_tui.ui.app import CounterApp

#: Checklist columns after the name, with their widths in cells.
FIXED_COLUMNS = {"form": 16, "mode": 10, "status": 12}
COLUMN_LABELS = (("form", "份数"), ("mode", "要求"), ("status", "状态"))


class Checklist(DataTable[Text]):
    """The materials (and situation questions) with one key per mark. Rows are keyed
    `s:<item code>|<situation id>` for a question and `m:<material kind>` for a material."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "mark('received')", "已收", id="intake.received", show=False),
        Binding("d", "mark('deferred')", "容缺", id="intake.deferred", show=False),
        Binding("m", "mark('missing')", "缺", id="intake.missing", show=False),
        Binding("c", "mark('committed')", "承诺", id="intake.committed", show=False),
        Binding("e", "mark('exempt')", "免提交", id="intake.exempt", show=False),
        Binding(
            "a",
            "all_received",
            "全收",
            id="intake.all_received",
            show=False,
            tooltip="未核的材料全部标为已收；已标缺、容缺、承诺、免提交的不变（缺的逐项按 r）",
        ),
        Binding(
            "j",
            "next_to_settle",
            "下一待定",
            id="intake.next_to_settle",
            show=False,
            tooltip="跳到下一项待定的行：未答的情形、未核或缺的材料",
        ),
        Binding("home", "first_row", "第一行", id="intake.first_row", show=False),
        Binding("end", "last_row", "最后一行", id="intake.last_row", show=False),
        Binding("space", "answer", "切换情形", id="intake.answer", show=False),
        Binding("t", "deadline", "补交期限", id="intake.deadline", show=False),
        Binding("n", "note", "备注", id="intake.note", show=False),
    ]

    class Marked(Message):
        """New marks by material kind; `moves_on` for a mark key (the cursor goes down),
        `all_received` for a (the screen says what it left as it was)."""

        def __init__(
            self, marks: dict[str, Mark], *, moves_on: bool = False, all_received: bool = False
        ) -> None:
            super().__init__()
            self.marks = marks
            self.moves_on = moves_on
            self.all_received = all_received

    class Answered(Message):
        """A 办理情形 given another answer."""

        def __init__(self, item_code: str, situation_id: str, answer: str) -> None:
            super().__init__()
            self.item_code = item_code
            self.situation_id = situation_id
            self.answer = answer

    class Refused(Message):
        """A key that does not apply to the row, and why."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.prepared: Prepared | None = None
        self.intake = Intake()
        self.due: date | None = None
        self._columns_for = 0

    # --- drawing -------------------------------------------------------------------------

    def fit(self, width: int) -> None:
        """Fixed widths, the name taking the rest: at 80 columns every column stays in view
        (a long name or question is cut with …, the table never scrolls sideways)."""
        if width == self._columns_for:
            return
        # Less the body's padding (2), a scrollbar (2) and each column's padding (2).
        padding = 2 + 2 + 2 * (len(FIXED_COLUMNS) + 1)
        name = max(16, width - padding - sum(FIXED_COLUMNS.values()))
        self.clear(columns=True)
        self.add_column("材料", key="name", width=name)
        for (key, label), size in zip(COLUMN_LABELS, FIXED_COLUMNS.values(), strict=True):
            self.add_column(label, key=key, width=size)
        self._columns_for = width
        self._draw()

    def show(self, prepared: Prepared | None, intake: Intake, due: date | None) -> None:
        """The item's checklist for this intake; `due` is where a 容缺 deadline starts."""
        self.prepared, self.intake, self.due = prepared, intake, due
        self._draw()

    def _draw(self) -> None:
        from counter_tui.cases.intake import EXEMPT
        from counter_tui.catalog.rules import answer_of

        row = self.cursor_row
        self.clear()
        prepared = self.prepared
        if prepared is None:
            return
        answers = self.intake.answer_map()
        for item in prepared.items.values():
            for situation in item.situations:
                self.add_row(
                    Text(f"？{situation.question}", overflow="ellipsis", no_wrap=True),
                    _answer_cell(answer_of(item, situation, answers)),
                    Text("空格切换", style="dim"),
                    Text(""),
                    key=f"s:{item.code}|{situation.id}",
                )
        for line in self.lines():
            material = line.material
            # 免提交: where the agency fetches it instead (电子证照库 …), in place of the form.
            form = material.form_label
            if line.status == EXEMPT and material.source:
                form = f"共享：{material.source}"
            self.add_row(
                Text(material.name, overflow="ellipsis", no_wrap=True),
                Text(form, overflow="ellipsis", no_wrap=True),
                Text(material.mode_label),
                _status_cell(line),
                key=f"m:{material.kind}",
            )
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))

    def lines(self) -> list[MarkedLine]:
        """The checklist as the situation answers make it now, with the clerk's marks."""
        from counter_tui.cases.rules import marked_checklist

        if self.prepared is None:
            return []
        return marked_checklist(list(self.prepared.items.values()), self.intake)

    def _line(self, kind: str) -> MarkedLine | None:
        return next((line for line in self.lines() if line.material.kind == kind), None)

    def rows_to_settle(self) -> list[int]:
        """The rows still to settle, top to bottom: unanswered questions, then materials not
        yet checked or marked 缺."""
        from counter_tui.cases.intake import MISSING, PENDING

        rows = self._unanswered_rows()
        for line in self.lines():
            if line.status in (PENDING, MISSING):
                rows.append(self.get_row_index(f"m:{line.material.kind}"))
        return sorted(set(rows))

    def _unanswered_rows(self) -> list[int]:
        from counter_tui.catalog.rules import unanswered

        if self.prepared is None:
            return []
        missing = unanswered(list(self.prepared.items.values()), self.intake.answer_map())
        return [self.get_row_index(f"s:{item.code}|{s.id}") for item, s in missing]

    def first_to_settle(self) -> None:
        """The cursor on the first row still to settle (the first row when none is)."""
        rows = self.rows_to_settle()
        if self.row_count:
            self.move_cursor(row=rows[0] if rows else 0)

    def action_next_to_settle(self) -> None:
        """j: the next row still to settle after the cursor, round to the top."""
        rows = self.rows_to_settle()
        if not rows:
            self.post_message(self.Refused("没有待定的行：材料都已核对，可按 F8 受理"))
            return
        after = [row for row in rows if row > self.cursor_row]
        self.move_cursor(row=after[0] if after else rows[0])

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    def summary(self) -> str:
        """共 16 项 · 已收 12 · 缺 2 · 容缺 1 · 免提交 1 (· 承诺, 未核, 未答情形 when some)."""
        from counter_tui.cases.intake import COMMITTED, DEFERRED, EXEMPT, MISSING, PENDING, RECEIVED

        lines = self.lines()
        if self.prepared is None:
            return ""
        counts = {status: 0 for status in (RECEIVED, MISSING, DEFERRED, EXEMPT, COMMITTED, PENDING)}
        for line in lines:
            counts[line.status] = counts.get(line.status, 0) + 1
        parts = [
            f"共 {len(lines)} 项",
            f"已收 {counts[RECEIVED]}",
            f"缺 {counts[MISSING]}",
            f"容缺 {counts[DEFERRED]}",
            f"免提交 {counts[EXEMPT]}",
        ]
        if counts[COMMITTED]:
            parts.append(f"承诺 {counts[COMMITTED]}")
        if counts[PENDING]:
            parts.append(f"未核 {counts[PENDING]}")
        if unanswered := len(self._unanswered_rows()):
            parts.append(f"未答情形 {unanswered}")
        return " · ".join(parts)

    def move_on(self) -> None:
        """After a mark: the next row still to settle below, so a resumed case's few missing
        rows are marked one key each (r r d r), not r j r j …; the next row when none is."""
        after = [row for row in self.rows_to_settle() if row > self.cursor_row]
        if after:
            self.move_cursor(row=after[0])
        elif self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    # --- keys ----------------------------------------------------------------------------

    def _row(self) -> tuple[str, str] | None:
        """("s", "<item>|<situation>") or ("m", "<kind>") under the cursor."""
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        kind, _, rest = (row_key.value or "").partition(":")
        return kind, rest

    def action_mark(self, status: str) -> None:
        row = self._row()
        if row is None:
            return
        kind, rest = row
        if kind == "s":
            if status == "received":  # r on a question: the next answer, as space does
                self._next_answer(rest)
        else:
            self._mark(rest, status)

    def action_answer(self) -> None:
        row = self._row()
        if row is None:
            return
        kind, rest = row
        if kind == "s":
            self._next_answer(rest)
        else:  # space on a material: received
            self._mark(rest, "received")

    def action_all_received(self) -> None:
        """Whatever row the cursor is on."""
        from counter_tui.cases.rules import all_received

        if self._row() is not None:
            self.post_message(self.Marked(all_received(self.lines()), all_received=True))

    def _mark(self, kind: str, status: str) -> None:
        from counter_tui.cases.rules import mark_as, status_refusal

        line = self._line(kind)
        if line is None:
            return
        refusal = status_refusal(line.material, status)
        if refusal:
            self.post_message(self.Refused(refusal))
            return
        mark = mark_as(line, status, due=self.due)
        self.post_message(self.Marked({kind: mark}, moves_on=True))

    def _next_answer(self, key: str) -> None:
        from counter_tui.cases.rules import next_answer

        if self.prepared is None:
            return
        item_code, _, situation_id = key.partition("|")
        item = self.prepared.items.get(item_code)
        situation = (
            next((s for s in item.situations if s.id == situation_id), None) if item else None
        )
        if situation is None:
            return
        answer = next_answer(situation, self.intake.answers.get(key))
        self.post_message(self.Answered(item_code, situation_id, answer))

    def action_deadline(self) -> None:
        """t: the deadline of a 容缺 material, asked in a dialog that keeps a bad date."""
        from counter_tui.cases.intake import DEFERRED
        from counter_tui.ui.screens.ask import AskScreen

        row = self._row()
        if row is None or row[0] != "m":  # a question has no deadline
            return
        kind = row[1]
        line = self._line(kind)
        if line is None or line.status != DEFERRED:
            self.post_message(self.Refused("先按 d 将该材料标为容缺，再设补交期限"))
            return
        due = self.due

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
                self.post_message(self.Marked({kind: replace(line.mark, until=parse_date(text))}))

        self.app.push_screen(
            AskScreen(
                f"“{line.material.name}”补交期限",
                "日期（如 2026-12-01），不得晚于承诺办结日期",
                initial=line.mark.until.isoformat() if line.mark.until else "",
                check=check,
            ),
            done,
        )

    def action_note(self) -> None:
        """n: a note on a material (what is wrong with it), printed on the one-time notice."""
        from counter_tui.ui.screens.ask import AskScreen

        row = self._row()
        line = self._line(row[1]) if row is not None and row[0] == "m" else None
        if line is None:
            return
        kind = line.material.kind

        def done(text: str | None) -> None:
            if text is not None:
                self.post_message(self.Marked({kind: replace(line.mark, note=text.strip())}))

        self.app.push_screen(
            AskScreen(
                f"“{line.material.name}”备注",
                "材料存在的问题（印在一次性告知书上）",
                initial=line.mark.note,
                allow_empty=True,
            ),
            done,
        )

    def _today(self) -> date:
        app: CounterApp = self.app  # type: ignore[assignment]
        return app.clock().date()


def _status_cell(line: MarkedLine) -> Text:
    from counter_tui.cases.intake import DEFERRED, MISSING, PENDING, RECEIVED

    style = {RECEIVED: "green", MISSING: "bold red", PENDING: "yellow"}.get(line.status, "")
    text = Text(line.label, style=style)
    if line.status == DEFERRED and line.mark.until:
        text.append(f" 至{line.mark.until:%m-%d}")
    if line.mark.note:
        text.append(" *", style="bold")
    return text


def _answer_cell(answer: tuple[str | None, bool]) -> Text:
    """A situation's answer in the checklist: the clerk's, the catalog's default marked as
    such, or 未答 (F8 refuses until it is answered)."""
    chosen, by_default = answer
    if chosen is None:
        return Text("未答", style="bold red")
    if by_default:
        return Text(f"{chosen}（默认）", overflow="ellipsis", no_wrap=True)
    return Text(chosen, style="bold", overflow="ellipsis", no_wrap=True)
