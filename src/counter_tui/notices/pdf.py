"""A notice on A4 as PDF, with the CJK font embedded (subset) so that any viewer shows it.

fpdf2 is imported inside `render_pdf`: it and its font parser cost about half a second, which
the app must not pay at start-up. Text is never interpreted (no markdown, no markup): a name
with `[b]` or `**` in it prints as typed (DESIGN §4.6).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from counter_tui.notices.content import (
    TRAINING_MARK,
    Fields,
    Heading,
    Notice,
    Paragraph,
    Signatures,
    Table,
)
from counter_tui.notices.fonts import find_font
from counter_tui.notices.text import copy_label

if TYPE_CHECKING:
    from fpdf import FPDF

FAMILY = "cjk"
MARGIN = 20.0  # mm
BODY = 11.0  # pt
LINE = 6.5  # mm per line of body text
TITLE = 20.0
HEADING = 12.5
#: The widest label column of a Fields block; longer labels wrap inside it.
LABEL_MAX = 45.0
#: The training mark across each page of a demo's paper: size (pt), grey, angle.
WATERMARK = 34.0
WATERMARK_GREY = 205
WATERMARK_ANGLE = 55


def render_pdf(notice: Notice, font: Path | None = None) -> bytes:
    """The notice as an A4 PDF: every copy starts on a new page and carries its 联 label."""
    from fpdf import FPDF
    from fpdf.enums import Align, TextMode, XPos, YPos

    path = find_font(font)

    class _Document(FPDF):  # type: ignore[misc]  # fpdf2 is untyped
        copy = ""

        def header(self) -> None:
            if notice.training:
                _training_page(self)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(FAMILY, size=9)
            text = f"{notice.number}　{self.copy}　第 {self.page_no()} 页，共 {{nb}} 页"
            if notice.training:
                text = f"{TRAINING_MARK}　{text}"
            self.cell(0, 6, text, align="CENTER")

    pdf = _Document(format="A4", unit="mm")
    pdf.set_title(notice.printed_title)
    pdf.set_creator("counter-tui")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FAMILY, fname=str(path))
    for index in range(max(notice.copies, 1)):
        pdf.copy = copy_label(notice, index) if notice.copies > 1 else ""
        pdf.add_page()
        if pdf.copy:
            pdf.set_font(FAMILY, size=9)
            pdf.cell(0, 5, pdf.copy, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        # Bold-ish without a bold face: the glyphs are filled and outlined.
        pdf.set_font(FAMILY, size=TITLE)
        pdf.text_mode = TextMode.FILL_STROKE
        pdf.set_line_width(0.3)
        _lines(pdf, 11, notice.printed_title, "CENTER")
        pdf.text_mode = TextMode.FILL
        pdf.set_line_width(0.2)
        pdf.set_font(FAMILY, size=BODY)
        _lines(pdf, LINE, notice.issuer, "CENTER")
        _lines(pdf, LINE, f"编号：{notice.number}", "CENTER")
        pdf.ln(3)
        for block in notice.blocks:
            _block(pdf, block)
    return bytes(pdf.output())


def _training_page(pdf: FPDF) -> None:
    """A demo's page: the mark in the top margin and, in light grey under the text, across the
    page, so that no part of the paper can pass for a real one. Drawn first, the body covers it."""
    from fpdf.enums import TextMode

    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_font(FAMILY, size=9)
    pdf.set_y(8)
    pdf.cell(0, 5, TRAINING_MARK, align="CENTER")
    pdf.set_font(FAMILY, size=WATERMARK)
    pdf.set_text_color(WATERMARK_GREY)
    mode = pdf.text_mode
    pdf.text_mode = TextMode.FILL
    width = pdf.get_string_width(TRAINING_MARK)
    middle_x, middle_y = pdf.w / 2, pdf.h / 2
    with pdf.rotation(WATERMARK_ANGLE, middle_x, middle_y):
        pdf.text(middle_x - width / 2, middle_y, TRAINING_MARK)
    pdf.text_mode = mode
    pdf.set_text_color(0)
    pdf.set_xy(x, y)


def _lines(pdf: FPDF, height: float, text: str, align: str = "LEFT") -> None:
    """Text over the full width, wrapped between any two characters (Chinese has no spaces)."""
    from fpdf.enums import WrapMode, XPos, YPos

    pdf.multi_cell(
        0, height, text, align=align, wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip


def _block(pdf: FPDF, block: object) -> None:

    match block:
        case Heading(text):
            pdf.ln(2)
            pdf.set_font(FAMILY, size=HEADING)
            _lines(pdf, 8, text)
            pdf.set_font(FAMILY, size=BODY)
        case Paragraph(text):
            _lines(pdf, LINE, text)
        case Fields(rows):
            _fields(pdf, rows)
        case Table(headers, rows):
            _table(pdf, headers, rows)
        case Signatures(lines):
            _signatures(pdf, lines)


def _fields(pdf: FPDF, rows: tuple[tuple[str, str], ...]) -> None:
    from fpdf.enums import Align, WrapMode, XPos, YPos

    widest = max(pdf.get_string_width(f"{k}：") for k, _ in rows)
    label_width = min(LABEL_MAX, widest + 2 * pdf.c_margin + 0.5)
    for label, value in rows:
        page, top = pdf.page_no(), pdf.get_y()
        label_lines = pdf.multi_cell(
            label_width, LINE, f"{label}：", align=Align.L, wrapmode=WrapMode.CHAR,
            new_x=XPos.RIGHT, new_y=YPos.TOP, output="LINES",
        )  # fmt: skip
        pdf.multi_cell(
            0, LINE, value or "—", align=Align.L, wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip
        # A label longer than its value: the next row starts below the label.
        label_bottom = top + LINE * len(label_lines)
        if pdf.page_no() == page and pdf.get_y() < label_bottom:
            pdf.set_y(label_bottom)


def _table(pdf: FPDF, headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
    from fpdf.enums import Align, WrapMode
    from fpdf.fonts import FontFace

    if not rows:
        _lines(pdf, LINE, "无。")
        return
    # The first column holds the names: give it the most room.
    weights = (3, *(2 for _ in headers[1:]))
    pdf.ln(1)
    with pdf.table(
        col_widths=weights,
        line_height=LINE,
        text_align=Align.L,
        wrapmode=WrapMode.CHAR,
        headings_style=FontFace(emphasis="", fill_color=(235, 235, 235)),
        padding=1,
    ) as table:
        table.row(list(headers))
        for values in rows:
            table.row([*values, *("" for _ in headers[len(values) :])][: len(headers)])
    pdf.ln(2)


def _signatures(pdf: FPDF, lines: tuple[str, ...]) -> None:
    """A line ending in "：" gets a blank to sign on; the seal and the date go right."""
    from fpdf.enums import Align, XPos, YPos

    pdf.ln(6)
    for line in lines:
        if line.endswith("："):
            pdf.cell(0, 10, line + "_" * 24, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.cell(0, 10, line, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
