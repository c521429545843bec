"""A report as a file: JSON, CSV, XLSX or PDF (reports.build makes the tables).

- CSV: ONE file with sections, so a report stays one file to mail: a line `# 表名` starts
  each table, then its header row and rows, a blank line after; the title comes first as
  `# 标题,…` and the summary last as a section `# 摘要` of one-column rows. UTF-8 with a BOM
  (Excel in a Chinese locale opens it right); an empty cell is "no data" (—).
- XLSX (openpyxl): a sheet 摘要 (title, period, summary lines), then one sheet per table with
  Chinese column names in a frozen, bold header row.
- PDF (fpdf2): title, summary and every table, in the CJK font the notices embed
  (notices.fonts.find_font).
A report built on a demo (training) hall says so in every format: its title starts with
【培训演示】, the CSV's first section and the XLSX's first row carry TRAINING_MARK, as do every
XLSX sheet's printed header and every PDF page's top line.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from counter_tui.notices.content import TRAINING_MARK
from counter_tui.reports.build import Cell, Report, Table, as_dict

FORMATS = ("json", "csv", "xlsx", "pdf")


def to_json(report: Report) -> bytes:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2).encode()


def to_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if report.training:
        writer.writerow([f"# {TRAINING_MARK}"])
        writer.writerow([])
    writer.writerow(["# 标题", report.title])
    writer.writerow(["# 期间", f"{report.period.start} 至 {report.period.end}"])
    writer.writerow([])
    for table in report.tables:
        writer.writerow([f"# {table.name}"])
        writer.writerow(table.columns)
        writer.writerows([_text(c) for c in row] for row in table.rows)
        writer.writerow([])
    writer.writerow(["# 摘要"])
    writer.writerows([line] for line in report.summary)
    return ("\ufeff" + out.getvalue()).encode()


def read_csv(data: bytes) -> dict[str, list[list[str]]]:
    """The sections of a report's CSV: name → rows (the header first). For tests and scripts."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if not row:
            current = None
        elif row[0].startswith("# "):
            current = sections.setdefault(row[0][2:], [])
            if len(row) > 1:
                current.append(row[1:])
        elif current is not None:
            current.append(row)
    return sections


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "摘要"
    if report.training:
        first.append([TRAINING_MARK])
        first["A1"].font = Font(bold=True, color="C00000")
    first.append(["标题", report.title])
    first.append(["期间", f"{report.period.start} 至 {report.period.end}"])
    for line in report.summary:
        first.append(["摘要", line])
    first.column_dimensions["B"].width = 60
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table))
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for n, name in enumerate(table.columns):
            letter = sheet.cell(row=1, column=n + 1).column_letter
            sheet.column_dimensions[letter].width = max(10, 2 * len(name) + 2)
    if report.training:  # on paper too: every sheet's printed header and footer
        for sheet in book.worksheets:
            sheet.oddHeader.center.text = TRAINING_MARK
            sheet.oddFooter.center.text = TRAINING_MARK
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(table: Table) -> str:
    """Excel forbids []:*?/\\ in a sheet's name and allows 31 characters."""
    name = "".join(ch for ch in table.name if ch not in "[]:*?/\\")
    return name[:31]


def to_pdf(report: Report, font: Path | None = None) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from counter_tui.notices.fonts import find_font

    class _Document(FPDF):  # type: ignore[misc]  # fpdf2 is untyped
        def header(self) -> None:
            if report.training:  # every page: a demo's figures are not a hall's
                self.set_font("cjk", size=9)
                self.cell(0, 5, TRAINING_MARK, align="CENTER", new_x="LMARGIN", new_y="NEXT")

    pdf = _Document(orientation="landscape", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("cjk", fname=str(find_font(font)))
    pdf.add_page()
    pdf.set_font("cjk", size=15)
    pdf.multi_cell(0, 9, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for line in report.summary:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    for table in report.tables:
        pdf.ln(3)
        pdf.set_font("cjk", size=12)
        pdf.cell(0, 8, table.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9)
        # The embedded font has no bold face: the header row is shaded instead.
        heading = FontFace(emphasis="", fill_color=(225, 225, 225))
        with pdf.table(text_align="CENTER", headings_style=heading) as grid:
            grid.row(list(table.columns))
            for row in table.rows:
                grid.row([_text(c) if c is not None else "—" for c in row])
    return bytes(pdf.output())


def render(report: Report, kind: str, *, font: Path | None = None) -> bytes:
    """The report in the format `kind` (one of FORMATS)."""
    if kind == "json":
        return to_json(report)
    if kind == "csv":
        return to_csv(report)
    if kind == "xlsx":
        return to_xlsx(report)
    if kind == "pdf":
        return to_pdf(report, font)
    raise ValueError(f"unknown format {kind!r}")
