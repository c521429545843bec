"""The next decision number (cases.decision_numbers) and the 补正 phrases (cases.phrases): plain
unit tests with hand-written expectations, and the read over a hall's decisions."""

from __future__ import annotations

import pytest

from counter_tui.cases import backoffice
from counter_tui.cases.decision_numbers import (
    last_decision_number,
    next_number,
    suggested_number,
)
from counter_tui.cases.phrases import COMMON, correction_phrases
from counter_tui.db import read_session, write_session
from tests.cases.catalog import Hall
from tests.cases.helpers import at, in_review


@pytest.mark.parametrize(
    ("last", "year", "following"),
    [
        ("襄城市监准字〔2026〕第0012号", 2026, "襄城市监准字〔2026〕第0013号"),
        ("襄城市监准字〔2026〕第0099号", 2026, "襄城市监准字〔2026〕第0100号"),
        ("襄城食许〔2026〕88号", 2026, "襄城食许〔2026〕89号"),
        ("襄城食许〔2026〕9号", 2026, "襄城食许〔2026〕10号"),
        # A new year: the year written in it becomes this year, and numbering starts again.
        ("襄城市监准字〔2025〕第0312号", 2026, "襄城市监准字〔2026〕第0001号"),
        ("襄城食许[2025]88号", 2026, "襄城食许[2026]1号"),
        ("SCJG-2026-0815", 2026, "SCJG-2026-0816"),
        ("SCJG-2025-0815", 2026, "SCJG-2026-0001"),
        # No year in it: the number runs on.
        ("BENCH-7", 2026, "BENCH-8"),
        ("准字第999号", 2026, "准字第1000号"),
    ],
)
def test_the_next_number_follows_the_last(last: str, year: int, following: str) -> None:
    assert next_number(last, year) == following


@pytest.mark.parametrize("last", ["X号", "", "襄城食许〔2026〕号"])
def test_nothing_to_follow_offers_nothing(last: str) -> None:
    assert next_number(last, 2026) is None


def decide(hall: Hall, case_id: str, approve: bool, number: str, day: int) -> None:
    with write_session(hall.engine) as s:
        backoffice.decide(
            s,
            hall.approver,
            case_id,
            approve=approve,
            decision_number=number,
            reason="" if approve else "经营场所不符合要求",
            now=at(11, day, 10),
        )


def test_the_department_s_last_decision_of_each_kind(hall: Hall) -> None:
    """Approvals and denials are numbered apart; the latest of each kind is followed."""
    with read_session(hall.engine) as s:
        assert last_decision_number(s, "SCJG", approve=True) is None
        assert suggested_number(s, "SCJG", approve=True, year=2026) == ""
    decide(hall, in_review(hall), True, "襄城食许〔2026〕87号", 11)
    decide(hall, in_review(hall), True, "襄城食许〔2026〕88号", 12)
    decide(hall, in_review(hall), False, "襄城食不许〔2025〕3号", 13)
    with read_session(hall.engine) as s:
        assert last_decision_number(s, "SCJG", approve=True) == "襄城食许〔2026〕88号"
        assert suggested_number(s, "SCJG", approve=True, year=2026) == "襄城食许〔2026〕89号"
        assert suggested_number(s, "SCJG", approve=False, year=2026) == "襄城食不许〔2026〕1号"
        assert suggested_number(s, "GAHZ", approve=True, year=2026) == ""  # another department


@pytest.mark.parametrize(
    ("kind", "name", "first"),
    [
        ("resident_id", "法定代表人身份证", ("复印件不清晰", "证件已过期", "未签字")),
        ("household_register", "居民户口簿", ("复印件不清晰", "证件已过期", "未签字")),
        ("application", "申请书", ("未签字或盖章", "填写不完整", "信息与证件不一致")),
        # An application form for an ID card is a form, by its code and by its name.
        ("form_id_card", "居民身份证申领登记表", ("未签字或盖章", "填写不完整")),
        ("business_licence", "营业执照", ("复印件未加盖公章", "复印件不清晰")),
        ("power_of_attorney", "授权委托书", ("缺少委托人签字", "委托事项不明确")),
    ],
)
def test_phrases_by_the_kind_of_material(kind: str, name: str, first: tuple[str, ...]) -> None:
    phrases = correction_phrases(kind, name)
    assert phrases[: len(first)] == first
    assert phrases[-len(COMMON) :] == COMMON
    assert len(set(phrases)) == len(phrases) <= 8  # one digit each, 其他… the last


def test_a_material_of_no_known_kind_gets_the_common_phrases() -> None:
    assert correction_phrases("floor_plan", "经营场所平面图") == COMMON
