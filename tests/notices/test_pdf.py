"""The A4 PDF carries every word, with the font embedded, fast enough to print at the window."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_tui.cases.intake import MISSING, Mark
from counter_tui.errors import UserError
from counter_tui.notices import compose
from counter_tui.notices.fonts import find_font, packaged_font
from counter_tui.notices.pdf import render_pdf

from .factory import (
    DEFERRED_PLACE,
    RECEIVED_ID,
    case,
    facts,
    item,
    lines,
    material,
    organisation_intake,
    person_intake,
)


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(pdf: bytes) -> str:
    """All text without line breaks: table cells wrap long names over lines."""
    return "".join("".join(pages(pdf)).split())


def test_a_receipt_shows_title_number_and_materials() -> None:
    intake = person_intake(居民身份证=RECEIVED_ID, 场所证明=DEFERRED_PLACE)
    pdf = render_pdf(compose.receipt(facts(case(intake))))

    assert pdf.startswith(b"%PDF-")
    text = flat(pdf)
    for expected in (
        "受理通知书",
        "421202-XA-BYQ-261123-0007-SL",
        "张小三",
        "经营场所使用证明",
        "第1页，共1页",
    ):
        assert expected in text


def test_every_missing_material_appears_on_the_one_time_notice() -> None:
    many = tuple(
        material(f"m{n}", f"第{n}号补充证明材料（须由{n}号出具单位盖章的原件）", f"k{n}")
        for n in range(1, 31)
    )
    guide = item(materials=many)
    missing = {f"k{n}": Mark(MISSING, note=f"第{n}项缺失") for n in range(1, 31)}
    notice = compose.one_time_notice(
        facts(case(replace(person_intake(), marks=missing)), lines(guide), items={"GTGSH": guide})
    )

    pdf = render_pdf(notice)

    text = flat(pdf)
    assert len(pages(pdf)) > 1  # long lists flow onto more pages
    assert "一次性告知书" in text and "421202-XA-BYQ-261123-0007-GZ" in text
    for m in many:
        assert "".join(m.name.split()) in text


def test_markup_in_a_name_prints_literally() -> None:
    intake = replace(
        person_intake(), applicant=replace(person_intake().applicant, name="[b]markup[/b] **x**")
    )
    pdf = render_pdf(compose.refusal(facts(case(intake))))

    assert "[b]markup[/b]**x**" in flat(pdf)


def test_each_copy_starts_a_page_with_its_label() -> None:
    intake = organisation_intake().with_mark("场所证明", DEFERRED_PLACE)
    pdf = render_pdf(compose.deferral(facts(case(intake))))

    texts = pages(pdf)
    assert len(texts) == 2
    assert "第一联（申请人留存）" in texts[0] and "第二联（存档）" in texts[1]
    assert all("容缺受理承诺书" in t for t in texts)


def test_the_font_is_embedded_as_a_subset() -> None:
    pdf = render_pdf(compose.receipt(facts(case())))

    assert b"/FontFile2" in pdf
    assert len(pdf) < 200_000  # a subset, not the 5 MB font


def test_importing_the_renderers_does_not_load_fpdf() -> None:
    code = (
        "import sys\n"
        "import counter_tui.notices.pdf, counter_tui.notices.printing\n"
        "import counter_tui.notices.compose\n"
        "print('fpdf' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert done.stdout.strip() == "False", done.stderr


def test_the_packaged_font_is_found_first() -> None:
    assert packaged_font() is not None
    assert find_font() == packaged_font()


def test_a_configured_font_wins_and_a_wrong_one_is_explained(tmp_path: Path) -> None:
    packaged = packaged_font()
    assert packaged is not None
    assert find_font(packaged) == packaged

    with pytest.raises(UserError, match="找不到打印字体") as missing:
        find_font(tmp_path / "nowhere.ttf")
    with pytest.raises(UserError, match="不是 TTF/TTC/OTF"):
        find_font(tmp_path / "font.woff")
    assert str(tmp_path / "nowhere.ttf") in missing.value.message


def test_without_any_font_the_clerk_is_told_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from counter_tui.notices import fonts

    monkeypatch.setattr(fonts, "PACKAGED", ("no_such_font_package", "x.ttc"))
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", ("/nonexistent/a.ttc",))

    with pytest.raises(UserError, match="找不到中文字体") as error:
        find_font()
    assert "[print]" in error.value.message and "paperang-p2-fonts-cjk" in error.value.message


def test_a_correction_notice_shows_the_case_number_and_every_material() -> None:
    corrections = [
        ("场所证明", "租赁合同已过期"),
        ("居民身份证", "复印件不清晰"),
        ("食品经营许可证", "须提供许可证副本"),
    ]
    notice = compose.correction(
        facts(case()), corrections=corrections, deadline=date(2026, 12, 4), clock_stops=True
    )

    text = flat(render_pdf(notice))

    for expected in (
        "补正材料通知书",
        "421202-XA-BYQ-261123-0007-BZ",
        "421202-XA-BYQ-261123-0007",
        "经营场所使用证明",
        "经营者身份证明",
        "食品经营许可证",
        "2026年12月4日前",
        "送达时间：",
    ):
        assert expected in text
