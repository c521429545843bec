"""A demo hall's papers say on every page that they are training papers (issue 18): nothing
printed in training can pass for a real document, and a real hall's papers never say it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

import pytest
from pypdf import PdfReader

from counter_tui.cases.intake import MISSING, Mark
from counter_tui.notices import compose
from counter_tui.notices.content import TRAINING_MARK, Notice, from_json, to_json
from counter_tui.notices.pdf import render_pdf
from counter_tui.notices.text import PAPER_WIDTHS, render_text
from counter_tui.queue.slip import Slip, slip_text

from .factory import DEFERRED_PLACE, case, facts, item, lines, material, person_intake


def pages(pdf: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


MARK = "".join(TRAINING_MARK.split())


def long_notice(*, training: bool) -> Notice:
    """A one-time notice listing 30 missing materials: more than one page."""
    many = tuple(material(f"m{n}", f"第{n}号补充证明材料", f"k{n}") for n in range(1, 31))
    guide = item(materials=many)
    missing = {f"k{n}": Mark(MISSING) for n in range(1, 31)}
    record = case(replace(person_intake(), marks=missing))
    return compose.one_time_notice(
        facts(record, lines(guide), items={"GTGSH": guide}, training=training)
    )


def test_every_page_of_a_training_pdf_carries_the_mark() -> None:
    pdf = render_pdf(long_notice(training=True))

    text = pages(pdf)
    assert len(text) > 1
    for page in text:
        # the top line, the watermark across the page and the footer
        assert page.count(MARK) >= 2, page
    assert "【培训演示】一次性告知书" in text[0]
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "【培训演示】一次性告知书"


def test_both_copies_of_a_training_commitment_carry_the_mark() -> None:
    notice = compose.deferral(facts(case(person_intake(场所证明=DEFERRED_PLACE)), training=True))

    text = pages(render_pdf(notice))

    assert len(text) >= 2 and all(MARK in page for page in text)


def test_a_real_halls_pdf_never_says_training() -> None:
    text = "".join(pages(render_pdf(long_notice(training=False))))

    assert "培训" not in text and "演示" not in text and "无效" not in text
    assert "一次性告知书" in text


@pytest.mark.parametrize("width", sorted(PAPER_WIDTHS.values()))
def test_a_training_slip_of_paper_starts_and_ends_with_the_mark(width: int) -> None:
    notice = compose.deferral(facts(case(person_intake(场所证明=DEFERRED_PLACE)), training=True))

    copies = render_text(notice, width).split("=" * width)

    assert len(copies) == 2
    for copy in copies:
        shown = [line.strip() for line in copy.strip().splitlines()]
        # the copy label, then the mark; the mark last: a torn-off half still says it
        assert TRAINING_MARK in shown[:2] and shown[-1] == TRAINING_MARK
        assert "【培训演示】容缺受理承诺书" in shown


def test_a_real_halls_text_never_says_training() -> None:
    text = render_text(compose.receipt(facts(case())), 48)

    assert "培训" not in text and "演示" not in text


def test_the_mark_is_kept_with_the_stored_notice_and_a_real_one_is_stored_as_before() -> None:
    """A reprint is the stored notice: it carries the mark. A real hall's stored notices (and
    the event payloads holding them) keep exactly their old form."""
    training = compose.receipt(facts(case(), training=True))
    real = compose.receipt(facts(case()))

    assert from_json(to_json(training)) == training and training.training
    assert "training" not in to_json(real) and from_json(to_json(real)) == real


def slip(*, training: bool) -> Slip:
    issued = datetime(2026, 12, 7, 9, 30)
    return Slip("演示站点", "A012", "综合受理", 3, issued, training=training)


def test_a_training_ticket_slip_says_so_at_its_head_and_foot() -> None:
    shown = [line.strip() for line in slip_text(slip(training=True), 32).strip().splitlines()]

    assert shown[0] == TRAINING_MARK and shown[-1] == TRAINING_MARK
    assert "【培训演示】排 队 号" in shown


def test_a_real_ticket_slip_is_unchanged() -> None:
    text = slip_text(slip(training=False), 48)

    assert "培训" not in text and "排 队 号" in text
