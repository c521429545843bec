"""Importing the provincial 好差评 export: UTF-8, UTF-8 with a BOM and GB18030 all read; every
bad row named by its line, and nothing imported when any row is bad."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from counter_tui.cases.models import Case
from counter_tui.db import read_session, write_session
from counter_tui.feedback.imports import Imported, ImportRefused, import_ratings
from counter_tui.feedback.models import Rating
from tests.cases.helpers import accepted, at
from tests.feedback.conftest import RatingHall

HEADER = "办件编号,评价渠道,评价等级,差评原因,评价时间,评价内容\n"
NOW = at(11, 20, 17)


def two_cases(rhall: RatingHall) -> list[str]:
    ids = [accepted(rhall.hall), accepted(rhall.hall)]
    with read_session(rhall.hall.engine) as session:
        return [session.get(Case, i).number for i in ids]  # type: ignore[union-attr]


def run(rhall: RatingHall, data: bytes) -> Imported:
    with write_session(rhall.hall.engine) as session:
        return import_ratings(session, rhall.supervisor, data, followup_days=5, now=NOW)


def stored(rhall: RatingHall) -> list[Rating]:
    with read_session(rhall.hall.engine) as session:
        return list(session.exec(select(Rating).order_by(Rating.rated_at)).all())


@pytest.mark.parametrize(
    ("encoding", "read_as"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gb18030", "gb18030")]
)
def test_an_export_is_read_in_each_encoding_halls_meet(
    rhall: RatingHall, encoding: str, read_as: str
) -> None:
    first, second = two_cases(rhall)
    text = (
        HEADER
        + f"{first},网上,非常满意,,2026-11-13 15:00,办得快\n"
        + f'{second},12345,5,"办事效率低；多次跑腿",2026/11/13 16:30:00,"等了 [b]很久[/b]"\n'
    )
    done = run(rhall, text.encode(encoding))
    assert (done.encoding, len(done.ratings), done.followups) == (read_as, 2, 1)
    good, bad = stored(rhall)
    assert (good.channel, good.level, good.comment) == ("online", 1, "办得快")
    assert (bad.channel, bad.level, bad.reasons) == ("phone", 5, '["办事效率低", "多次跑腿"]')
    assert bad.comment == "等了 [b]很久[/b]"
    assert done.ratings[1].followup_due == date(2026, 11, 20)


def test_every_bad_row_is_named_and_nothing_is_imported(rhall: RatingHall) -> None:
    first, second = two_cases(rhall)
    text = (
        HEADER
        + f"{first},网上,2,,2026-11-13 15:00,\n"
        + "XA-NONE-0001,网上,2,,2026-11-13 15:00,\n"
        + f"{second},短信,7,,2026-11-13 15:00,\n"
        + f"{first},电话,3,,2026-11-14 09:00,\n"
        + f"{second},传真,3,,2026-11-14 09:00,\n"
        + f"{second},短信,3,,昨天,\n"
    )
    with pytest.raises(ImportRefused) as refused:
        run(rhall, text.encode())
    assert refused.value.problems == [
        "第 3 行：没有找到办件 XA-NONE-0001",
        "第 4 行：评价等级应为 1–5 或其名称（非常满意 … 非常不满意），现在是 7",
        f"第 5 行：该办件已评价（{first}）",
        "第 6 行：未知的评价渠道：传真（如 网上、电话、短信）",
        "第 7 行：评价时间应写成 2026-11-13 15:00，现在是 昨天",
    ]
    assert refused.value.message.startswith("评价文件有 5 处问题，未导入任何评价")
    assert stored(rhall) == []


def test_a_missing_column_is_named(rhall: RatingHall) -> None:
    with pytest.raises(ImportRefused, match="第 1 行（表头）：缺少列 评价等级、评价时间"):
        run(rhall, "办件编号,评价渠道\nX,网上\n".encode())


def test_an_undecodable_line_is_named(rhall: RatingHall) -> None:
    first, _ = two_cases(rhall)
    data = (HEADER + f"{first},网上,1,,2026-11-13 15:00,好\n").encode() + b"X,\xff\xfe,1\n"
    with pytest.raises(ImportRefused, match="第 3 行：无法按 UTF-8 解码"):
        run(rhall, data)
    assert stored(rhall) == []


def test_a_platform_default_is_kept_as_not_given(rhall: RatingHall) -> None:
    first, _ = two_cases(rhall)
    text = (
        "办件编号,评价渠道,评价等级,评价时间,是否默认评价\n"
        + f"{first},网上,满意,2026-11-13 15:00,是\n"
    )
    done = run(rhall, text.encode())
    assert (done.ratings[0].given, done.ratings[0].level_label) == (False, "默认（满意）")
