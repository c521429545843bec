"""Plain text for receipt printers and the preview: never wider than the paper, nothing lost."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from counter_tui.notices import compose
from counter_tui.notices.content import (
    DEFERRAL,
    RECEIPT,
    Fields,
    Heading,
    Notice,
    Paragraph,
    Signatures,
    Table,
)
from counter_tui.notices.text import PAPER_WIDTHS, render_text, wrap

from .factory import (
    DEFERRED_PLACE,
    MISSING_PHOTO,
    RECEIVED_ID,
    case,
    facts,
    person_intake,
)

LONG_CHINESE = (
    "申请人应当如实向行政机关提交有关材料和反映真实情况，并对其申请材料实质内容的真实性负责" * 2
)
LONG_WORD = "https://zwfw.hubei.gov.cn/very/long/path/without/any/space/at/all?case=XA-BYQ-0007"


def notice(*blocks: object, copies: int = 1) -> Notice:
    return Notice(
        RECEIPT,
        "421202-XA-BYQ-261123-0007-SL",
        "襄阳市襄城区人民政府政务服务中心管理委员会办公室",
        datetime(2026, 11, 23, 10, 5),
        tuple(blocks),  # type: ignore[arg-type]
        copies,
    )


STRESS = notice(
    Heading("【" + LONG_CHINESE[:30] + "】"),
    Paragraph(LONG_CHINESE + " " + LONG_WORD),
    Fields(
        (
            ("申请人", "欧阳" + LONG_CHINESE),
            ("网址", LONG_WORD),
            ("统一社会信用代码的很长标签", "x"),
        )
    ),
    Table(
        ("材料名称", "形式及份数", "说明"),
        (("经营场所使用证明（租赁合同或产权证明）", "原件 1 份", LONG_WORD), ("照片", "", "缺")),
    ),
    Signatures(("申请人（签字）：", "窗口人员（签字）：", "（受理专用章）", "2026年11月23日")),
)


@pytest.mark.parametrize("width", [*PAPER_WIDTHS.values(), 20, 80])
def test_no_line_is_wider_than_the_paper(width: int) -> None:
    text = render_text(STRESS, width)

    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert max(cell_len(line) for line in text.splitlines()) >= width - 2  # and it uses it


@pytest.mark.parametrize("width", PAPER_WIDTHS.values())
def test_wrapping_loses_no_character(width: int) -> None:
    text = render_text(STRESS, width)

    joined = "".join(text.split())
    assert "".join(LONG_CHINESE.split()) in joined
    assert LONG_WORD in joined


def test_head_is_centered_title_issuer_and_number() -> None:
    first, second, third, rule = render_text(notice(), 48).splitlines()[:4]

    assert first.strip() == "受理通知书"
    assert cell_len(first) - cell_len(first.lstrip()) == (48 - 10) // 2
    assert second.strip().startswith("襄阳市襄城区")
    assert "421202-XA-BYQ-261123-0007-SL" in render_text(notice(), 48)
    assert rule == "-" * 48 or third == "-" * 48


def test_fields_wrap_under_the_value() -> None:
    out = render_text(
        notice(Fields((("地址", "湖北省襄阳市襄城区檀溪路一百二十八号政务服务中心"),))), 32
    )

    body = out.splitlines()[-2:]
    assert body[0].startswith("地址：湖北省")
    assert body[1].startswith(" " * cell_len("地址：")) and not body[1].startswith(" " * 7)


def test_a_narrow_table_becomes_numbered_entries_and_a_wide_one_stays_a_table() -> None:
    table = Table(("材料名称", "份数"), (("居民身份证", "原件 1 份"), ("户口簿", "复印件 1 份")))

    narrow = render_text(notice(table), 16).splitlines()
    wide = render_text(notice(table), 48).splitlines()

    assert "1. 居民身份证" in narrow and "   份数：原件 1" in narrow
    assert "2. 户口簿" in narrow
    assert "居民身份证  原件 1 份" in wide
    assert any(line.startswith("材料名称") for line in wide)


def test_signatures_get_a_line_to_sign_on_and_the_seal_goes_right() -> None:
    out = render_text(notice(Signatures(("申请人（签字）：", "（受理专用章）"))), 32).splitlines()

    assert "申请人（签字）：________________" in out
    assert out[-1] == " " * 18 + "（受理专用章）"


def test_copies_are_repeated_with_their_label() -> None:
    text = render_text(
        Notice(DEFERRAL, "N-RQ", "机关", datetime(2026, 11, 23), (Paragraph("承诺内容"),), 2), 32
    )

    assert text.count("承诺内容") == 2
    assert text.index("第一联（申请人留存）") < text.index("第二联（存档）")


def test_markup_in_a_name_prints_literally() -> None:
    text = render_text(notice(Fields((("申请人", "[b]markup[/b]"),))), 48)

    assert "申请人：[b]markup[/b]" in text


def test_a_real_receipt_fits_58mm_paper() -> None:
    intake = person_intake(居民身份证=RECEIVED_ID, 场所证明=DEFERRED_PLACE, 照片=MISSING_PHOTO)
    text = render_text(compose.receipt(facts(case(intake))), 32)

    assert max(cell_len(line) for line in text.splitlines()) <= 32
    assert "经营场所使用证明" in text


def test_closing_punctuation_never_starts_a_line() -> None:
    for width in range(16, 40):
        for line in wrap("一二三四五六七八九十，一二三四五六七八九十。一二三四五六（七八）", width):
            assert line[0] not in "，。）"


@given(
    st.text(alphabet=st.sampled_from("申请人a1 B，。（）-_x\u3000😀长"), max_size=120),
    st.integers(min_value=16, max_value=60),
)
def test_any_text_fits_and_keeps_its_characters(text: str, width: int) -> None:
    out = wrap(text, width, first="材料：", rest="      ")

    assert all(cell_len(line) <= width for line in out)
    assert "".join("".join(out).split()).replace("材料：", "", 1) == "".join(text.split())
