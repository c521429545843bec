"""Masking of personal data (DESIGN §4.8): the documented shapes, and never more shown than they
allow, whatever the input."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.applicants import check_phone, mask_id, mask_name, mask_phone


def shown(masked: str) -> int:
    return sum(ch != "*" for ch in masked)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("爱新觉罗·玄烨", "爱***·*烨"),
        ("阿依古丽·买买提", "阿***·**提"),
        ("张", "*"),
        ("", ""),
        ("John Smith", "J*** S****"),
        ("Jean-Luc O'Brien", "J***-L** O'B****"),
        ("J. R. R. Tolkien", "J. R. R. T******"),
        ("José", "J***"),
        ("Иван Петров", "И*** П*****"),
        ("  张\x1b三 ", "张*"),  # cleaned first: the escape is gone, the spaces too
    ],
)
def test_names_mask_to_the_documented_shape(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("420202199001011234", "4202**********1234"),
        ("11010519491231002X", "1101**********002X"),
        ("91156019900101012X", "9115**********012X"),
        ("USA110074110419", "USA*********419"),
        ("H1234567801", "H1*******01"),
        ("H12345678", "H******78"),
        ("12345678", "1*****78"),
        ("E1234", "*****"),
        ("123456", "1****6"),
        ("12", "**"),
        ("", ""),
        ("4202 0219 9001 0112 34", "4202**********1234"),
    ],
)
def test_id_numbers_mask_by_length(number: str, masked: str) -> None:
    assert mask_id(number) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0710-3456789", "0710-****789"),
        ("010-88886666", "010-****6666"),
        ("0710-3456789转123", "0710-****789转***"),
        ("400-123-4567", "400-123-4567"),
        ("+85291234567", "+852****4567"),
        ("1381234567", "********67"),  # not a valid number: at most a quarter, from the end
        ("123", "***"),
        ("", ""),
    ],
)
def test_phones_mask_to_the_documented_shape(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_a_masked_phone_is_no_longer_a_valid_number() -> None:
    assert not check_phone(mask_phone("13812345678")).ok


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@given(name=st.text(han, min_size=1, max_size=12))
def test_a_chinese_name_shows_its_first_and_last_character_at_most(name: str) -> None:
    masked = mask_name(name)

    assert len(masked) == len(name)
    assert shown(masked) == {1: 0, 2: 1}.get(len(name), 2)
    if len(name) >= 2:
        assert masked[0] == name[0]


@given(number=st.text(st.characters(codec="ascii", categories=["L", "N"]), max_size=30))
def test_an_id_keeps_its_length_and_shows_less_than_half(number: str) -> None:
    masked = mask_id(number)

    assert len(masked) == len(number)
    assert shown(masked) * 9 <= len(number) * 4  # 8 of 18 at most, proportionally less if shorter
    assert shown(masked) <= 8


@given(body=st.text("0123456789", min_size=17, max_size=17), last=st.sampled_from("0123456789X"))
def test_any_18_character_number_masks_to_4_stars_4(body: str, last: str) -> None:
    number = body + last
    assert mask_id(number) == number[:4] + "*" * 10 + number[-4:]


@given(rest=st.text("0123456789", min_size=9, max_size=9), second=st.sampled_from("3456789"))
def test_any_mobile_masks_to_3_stars_4(rest: str, second: str) -> None:
    mobile = "1" + second + rest
    assert mask_phone(mobile) == mobile[:3] + "****" + mobile[-4:]


@given(text=st.text())
def test_masking_never_raises_nor_lets_control_characters_through(text: str) -> None:
    for masked in (mask_name(text), mask_id(text), mask_phone(text)):
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in masked)


@given(text=st.text())
def test_what_is_not_a_phone_number_shows_a_quarter_at_most(text: str) -> None:
    if not check_phone(text).ok:
        masked = mask_phone(text)
        assert shown(masked) * 4 <= len(masked)
