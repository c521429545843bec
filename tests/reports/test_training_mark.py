"""A report built on a demo (training) hall says so in every format it is exported to, so its
made-up figures can never pass for a hall's; a real hall's report never does (issue 18)."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from pypdf import PdfReader

from counter_tui.clock import today_local
from counter_tui.db import read_session, write_session
from counter_tui.notices.content import TRAINING_MARK
from counter_tui.reports.build import Report, build
from counter_tui.reports.exports import read_csv, to_csv, to_json, to_pdf, to_xlsx
from counter_tui.site.models import Node as NodeRow
from tests.conftest import SITE, Node


def daily(node: Node, *, demo: bool) -> Report:
    """Today's report on `node`, made a demo hall first if `demo` (the flag `init` and the demo
    write: the node row, not an event)."""
    with write_session(node.engine) as session:
        row = session.get(NodeRow, 1)
        assert row is not None
        row.demo = demo
        session.add(row)
    today = today_local()
    with read_session(node.engine) as session:
        return build(session, "daily", today, site=SITE, today=today)


def pdf_text(report: Report) -> list[str]:
    return ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(to_pdf(report))).pages]


def test_a_demo_halls_report_says_training_in_every_format(node: Node) -> None:
    report = daily(node, demo=True)

    assert report.title.startswith("【培训演示】日统计")
    assert json.loads(to_json(report))["training"] is True
    assert TRAINING_MARK in read_csv(to_csv(report))
    book = load_workbook(io.BytesIO(to_xlsx(report)))
    summary = book["摘要"]
    assert summary["A1"].value == TRAINING_MARK
    assert str(summary["B2"].value).startswith("【培训演示】")
    for sheet in book.worksheets:  # printed: every sheet's header and footer
        assert sheet.oddHeader.center.text == TRAINING_MARK
        assert sheet.oddFooter.center.text == TRAINING_MARK
    mark = "".join(TRAINING_MARK.split())
    assert all(mark in page for page in pdf_text(report))


def test_a_real_halls_report_never_says_training(node: Node) -> None:
    report = daily(node, demo=False)

    assert not report.training and report.title.startswith("日统计")
    assert json.loads(to_json(report))["training"] is False
    assert "培训" not in to_csv(report).decode("utf-8-sig")
    book = load_workbook(io.BytesIO(to_xlsx(report)))
    assert book["摘要"]["A1"].value == "标题"
    assert all(not sheet.oddHeader.center.text for sheet in book.worksheets)
    assert not any("培训" in page for page in pdf_text(report))
