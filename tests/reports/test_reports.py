"""Every figure of every report (日统计, 周排名, 旬调度, 月通报) on the hand-computed fixture
month (tests/reports/month.py), on both engines; the CSV and XLSX read back, the PDF's text
extracted. The numbers are worked out by hand in month.py's comments, not by the code.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from counter_tui.db import read_session
from counter_tui.errors import UserError
from counter_tui.reports.build import Report, Table, build
from counter_tui.reports.exports import read_csv, to_csv, to_json, to_pdf, to_xlsx
from tests.conftest import SITE, Node
from tests.reports import month

TODAY = date(2026, 12, 2)
N = None  # a rate with nothing to divide by, or a figure the table cannot have

#: 差评未回访清单 rows of the fixture's bad ratings (month.py: CASE_OF, CHANNEL_OF, STEPS_OF):
#: case number or 取号评价, level, channel, rated, owner, due, then 超期 (added per report).
R12 = (f"{SITE}-261101-0019", "非常不满意", "电话回访", "2026-10-30", "人社局", "2026-11-06")
R11 = ("取号评价", "不满意", "窗口评价器", "2026-11-12", "大厅", "2026-11-19")
R4 = (f"{SITE}-261101-0005", "不满意", "窗口评价器", "2026-11-23", "人社局", "2026-11-30")
LATE = "超期"

#: The 总体指标 rows after the label: tickets, served, wait avg, p90, accepted, completed,
#: on time, on-time %, overdue, one trip, one-trip %, then ratings, given, 好评, 差评, 好评率,
#: 主动评价好评率, 未评价率, follow-ups unfinished, hard cases open.


@pytest.fixture
def hall(node: Node) -> Node:
    month.load(node.engine)
    return node


def _report(node: Node, kind: str, day: date, site: str | None = SITE) -> Report:
    with read_session(node.engine) as session:
        return build(session, kind, day, site=site, today=TODAY)


def _table(report: Report, name: str) -> Table:
    return next(t for t in report.tables if t.name == name)


def _overall(report: Report) -> tuple[object, ...]:
    return tuple(value for _, value in _table(report, "总体指标").rows)


def test_the_monthly_report(hall: Node) -> None:
    r = _report(hall, "monthly", date(2026, 11, 17))
    assert r.title == "月通报：襄城区便民服务室 2026-11-01 至 2026-11-30"
    assert not r.partial
    assert _overall(r)[:11] == (30, 25, 417.8, 1200.0, 15, 10, 8, 80.0, 4, 7, 70.0)
    assert _overall(r)[11:] == (10, 7, 5, 3, 50.0, 57.1, 30.0, 3, 2)  # ratings; 办不成事 2, 3
    assert _table(r, "部门排名").rows == (
        (1, "市场监管局", 7, 3, 2, 66.7, 1, 66.7, 0, N, N),
        (2, "人社局", 6, 5, 4, 80.0, 1, 80.0, 1, 0.0, 0.0),
        (3, "不动产登记中心", 2, 2, 2, 100.0, 2, 50.0, 1, 100.0, 100.0),
    )
    assert _table(r, "窗口排名").rows == (
        (1, "1 号窗口", 11, 10, 190.9, 300.0, 4, 50.0, 0.0),
        (2, "2 号窗口", 10, 9, 312.0, 600.0, 3, 33.3, 33.3),
        (3, "3 号窗口", 6, 6, 1010.0, 1800.0, 2, 50.0, 50.0),
    )
    assert _table(r, "人员排名").rows == (
        (1, "李明", 10, 7, 4, 4, 75.0, 4, 50.0),
        (2, "王芳", 9, 3, 4, 3, 100.0, 3, 33.3),
        (3, "赵强", 6, 5, 2, 1, 0.0, 3, 66.7),
    )
    assert r.summary == (
        "差评回访率 50.0%（4 件中 2 件已回访）",
        "部门受理量第一：市场监管局 7 件",
        "窗口办结号数第一：1 号窗口 10 个",
        "人员办结号数第一：李明 10 个",
    )
    # 12 from October still waits, past its deadline; 4 is due on the month's last day.
    assert _table(r, "差评未回访清单").rows == ((*R12, LATE), (*R4, ""))
    assert (r.callbacks.owed, r.callbacks.called) == (4, 2)


def test_the_weekly_report(hall: Node) -> None:
    r = _report(hall, "weekly", date(2026, 11, 26))
    assert r.title == "周排名：襄城区便民服务室 2026-11-23 至 2026-11-29"
    assert _overall(r)[:11] == (12, 10, 398.2, 900.0, 4, 3, 2, 66.7, 4, 2, 66.7)
    assert _overall(r)[11:] == (5, 4, 3, 1, 60.0, 75.0, 20.0, 3, 2)  # ratings; 办不成事 2, 3
    assert _table(r, "部门排名").rows == (
        (1, "市场监管局", 2, 1, 0, 0.0, 1, 0.0, 0, N, N),
        (2, "不动产登记中心", 1, 0, 0, N, 2, N, 0, N, N),
        (2, "人社局", 1, 2, 2, 100.0, 1, 100.0, 1, 0.0, 0.0),
    )
    assert _table(r, "窗口排名").rows == (
        (1, "1 号窗口", 5, 4, 252.0, 420.0, 2, 50.0, 0.0),
        (1, "2 号窗口", 4, 4, 255.0, 600.0, 2, 50.0, 50.0),
        (3, "3 号窗口", 2, 2, 1050.0, 1200.0, 1, 100.0, 0.0),
    )
    assert r.summary == (
        "差评回访率 33.3%（3 件中 1 件已回访）",
        "部门受理量第一：市场监管局 2 件",
        "窗口办结号数第一：1 号窗口、2 号窗口 各 4 个",
    )
    assert _table(r, "差评未回访清单").rows == ((*R12, LATE), (*R4, ""))


def test_the_tenday_report(hall: Node) -> None:
    r = _report(hall, "tenday", date(2026, 11, 21))
    assert r.title == "旬调度：襄城区便民服务室 2026-11-21 至 2026-11-30"
    assert _overall(r)[:11] == (12, 10, 398.2, 900.0, 5, 4, 3, 75.0, 4, 2, 50.0)
    assert _overall(r)[11:] == (6, 4, 4, 1, 66.7, 75.0, 33.3, 3, 2)  # ratings; 办不成事 2, 3
    assert _table(r, "部门排名").rows == (
        (1, "市场监管局", 3, 1, 0, 0.0, 1, 0.0, 0, N, N),
        (2, "不动产登记中心", 1, 1, 1, 100.0, 2, 0.0, 1, 100.0, 100.0),
        (2, "人社局", 1, 2, 2, 100.0, 1, 100.0, 1, 0.0, 0.0),
    )
    assert _table(r, "窗口排名").rows == _report(hall, "weekly", date(2026, 11, 23)).tables[2].rows
    days = {row[0]: row[1:] for row in _table(r, "每日").rows}
    assert len(days) == 10
    # Ratings and 好评: the 23rd 1–4 (1, 2 好评), the 25th 5, the 30th 10 (a default, 好评).
    assert days["2026-11-23"] == (8, 6, 2, 1, 4, 2)
    assert days["2026-11-24"] == (0, 0, 0, 1, 0, 0)
    assert days["2026-11-25"] == (4, 4, 2, 1, 1, 1)
    assert days["2026-11-30"] == (0, 0, 1, 1, 1, 1)
    assert sum(sum(v) for v in days.values()) == (
        8 + 6 + 2 + 1 + 4 + 2 + 1 + 4 + 4 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1
    )
    assert r.summary[:2] == (
        "差评回访率 33.3%（3 件中 1 件已回访）",
        "部门受理量第一：市场监管局 3 件",
    )
    # 11, called back on the 24th, is no longer listed at this 旬's close.
    assert _table(r, "差评未回访清单").rows == ((*R12, LATE), (*R4, ""))


def test_a_past_list_keeps_what_waited_at_its_close(hall: Node) -> None:
    # 11–20: 11 was called back only on the 24th, after this 旬; 7 before it began; 8 误评.
    r = _report(hall, "tenday", date(2026, 11, 15))
    assert r.summary[0] == "差评回访率 0.0%（2 件中 0 件已回访）"
    assert _table(r, "差评未回访清单").rows == ((*R12, LATE), (*R11, LATE))
    # Early November: 7 rated on the 2nd and called back on the 3rd; 12 carried over.
    first = _report(hall, "tenday", date(2026, 11, 1))
    assert first.summary[0] == "差评回访率 50.0%（2 件中 1 件已回访）"
    assert _table(first, "差评未回访清单").rows == ((*R12, LATE),)
    # A day without a bad rating still names the ones waiting (12 only: 11 is the 12th's).
    quiet = _report(hall, "daily", date(2026, 11, 10))
    assert quiet.summary[0] == "差评回访率 0.0%（1 件中 0 件已回访）"
    assert _table(quiet, "差评未回访清单").rows == ((*R12, LATE),)


def test_the_daily_report(hall: Node) -> None:
    r = _report(hall, "daily", date(2026, 11, 23))
    assert r.title == "日统计：襄城区便民服务室 2026-11-23"
    assert _overall(r)[:11] == (8, 6, 394.3, 1200.0, 2, 1, 1, 100.0, 3, 1, 100.0)
    assert _overall(r)[11:] == (4, 3, 2, 1, 50.0, 66.7, 25.0, 3, 1)  # ratings; 办不成事 3
    assert _table(r, "部门统计").rows == (
        (1, "人社局", 1, 1, 1, 100.0, 1, 100.0, 1, 0.0, 0.0),
        (1, "市场监管局", 1, 0, 0, N, 1, N, 0, N, N),
        (3, "不动产登记中心", 0, 0, 0, N, 1, N, 0, N, N),
    )
    assert _table(r, "窗口统计").rows == (
        (1, "2 号窗口", 3, 3, 340.0, 600.0, 2, 50.0, 50.0),
        (2, "1 号窗口", 3, 2, 180.0, 240.0, 2, 50.0, 0.0),
        (3, "3 号窗口", 1, 1, 1200.0, 1200.0, 0, N, N),
    )
    assert r.summary == (
        "差评回访率 0.0%（3 件中 0 件已回访）",
        "部门受理量第一：人社局、市场监管局 各 1 件",
        "窗口办结号数第一：2 号窗口 3 个",
    )
    assert _table(r, "差评未回访清单").rows == ((*R12, LATE), (*R11, LATE), (*R4, ""))


def test_the_hub_reports_every_site_and_ranks_them(hall: Node) -> None:
    r = _report(hall, "monthly", date(2026, 11, 1), site=None)
    assert r.title.startswith("月通报：全部站点 ")
    assert _table(r, "站点排名").rows == ((1, "襄城区便民服务室", 30, 15, 10, 80.0, 4, 70.0, 50.0),)
    assert r.summary[-1] == "站点受理量第一：襄城区便民服务室 15 件"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 12, 3), "日期 2026-12-03 在今天（2026-12-02）之后，还没有数据"),
        (date(2026, 8, 31), "日期 2026-08-31 早于本节点启用的日期（2026-09-01），那时还没有数据"),
    ],
)
def test_a_day_without_data_is_refused(hall: Node, day: date, message: str) -> None:
    with pytest.raises(UserError) as caught:
        _report(hall, "daily", day)
    assert caught.value.message == message


def test_a_running_period_says_so(hall: Node) -> None:
    r = _report(hall, "monthly", date(2026, 12, 1))
    assert r.partial and r.title.endswith("（截至 2026-12-02）")
    assert (r.period.start, r.period.end) == (date(2026, 12, 1), date(2026, 12, 2))
    # Case 12 finished on 1 December, its late finish: not on time.
    assert _overall(r)[4:8] == (0, 1, 0, 0.0)
    # November's 4 and 12 are carried over; by the 2nd both are past their deadlines.
    assert r.summary[0] == "差评回访率 0.0%（2 件中 0 件已回访）"
    assert _table(r, "差评未回访清单").rows == ((*R12, LATE), (*R4, LATE))


def test_the_other_site_owes_no_call(hall: Node) -> None:
    from counter_tui.reports.callbacks import callbacks
    from counter_tui.reports.figures import Period
    from counter_tui.reports.rules import callback_line

    with read_session(hall.engine) as session:
        found = callbacks(session, Period.day(date(2026, 11, 23)), site="421202-XA-OTHER")
    assert (found.owed, found.called, found.waiting, found.rate) == (0, 0, (), None)
    assert callback_line(found.called, found.owed) == "差评回访率 —（本期没有应回访的差评）"


def test_json_csv_and_xlsx_read_back(hall: Node) -> None:
    from openpyxl import load_workbook

    r = _report(hall, "monthly", date(2026, 11, 30))
    sections = read_csv(to_csv(r))
    assert sections["标题"] == [[r.title]]
    assert sections["部门排名"][0] == ["名次", "部门", *_table(r, "部门排名").columns[2:]]
    assert sections["部门排名"][1] == [
        "1",
        "市场监管局",
        "7",
        "3",
        "2",
        "66.7",
        "1",
        "66.7",
        "0",
        "",
        "",
    ]
    assert sections["总体指标"][1:3] == [["取号数", "30"], ["办结号数", "25"]]
    assert [row[0] for row in sections["摘要"]] == list(r.summary)
    waiting = _table(r, "差评未回访清单")
    assert sections["差评未回访清单"] == [list(waiting.columns), [*R12, LATE], [*R4, ""]]
    book = load_workbook(io.BytesIO(to_xlsx(r)))
    assert book.sheetnames == [
        "摘要",
        "总体指标",
        "部门排名",
        "窗口排名",
        "人员排名",
        "差评未回访清单",
    ]
    sheet = book["差评未回访清单"]
    assert sheet.freeze_panes == "A2"
    assert [tuple(c.value for c in row) for row in sheet.iter_rows()] == [
        ("办件编号", "评价等级", "渠道", "评价日期", "责任单位", "回访期限", "超期"),
        (*R12, LATE),
        (*R4, None),
    ]
    assert book["摘要"]["B3"].value == "差评回访率 50.0%（4 件中 2 件已回访）"
    data = json.loads(to_json(r))
    assert data["callbacks"] == {"owed": 4, "called": 2, "rate": 0.5}
    assert data["summary"][0] == "差评回访率 50.0%（4 件中 2 件已回访）"
    listed = next(t for t in data["tables"] if t["name"] == "差评未回访清单")
    assert listed["rows"] == [[*R12, LATE], [*R4, ""]]
    sheet = book["窗口排名"]
    assert sheet.freeze_panes == "A2"
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0] == _table(r, "窗口排名").columns
    assert rows[1] == (1, "1 号窗口", 11, 10, 190.9, 300, 4, 50, 0)
    assert book["摘要"]["B1"].value == r.title


def test_the_pdf_text(hall: Node) -> None:
    from pypdf import PdfReader

    r = _report(hall, "weekly", date(2026, 11, 23))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(r))).pages)
    flat = "".join(text.split())
    assert "周排名：襄城区便民服务室2026-11-23至2026-11-29" in flat
    assert "窗口办结号数第一：1号窗口、2号窗口各4个" in flat
    assert "市场监管局" in flat and "398.2" in flat and "1050.0" in flat
    assert "差评回访率33.3%（3件中1件已回访）" in flat
    assert "差评未回访清单" in flat and f"{SITE}-261101-0019非常不满意电话回访" in flat
