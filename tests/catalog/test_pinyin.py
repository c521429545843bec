"""Pinyin search keys: readings, polyphones, what is kept and dropped, and the JSON form."""

from __future__ import annotations

import json

import pytest
from pypinyin import Style, pinyin

from counter_tui.catalog.pinyin import COMMON, MAX_VARIANTS, from_json, search_keys, to_json
from counter_tui.catalog.search import SearchKeys


def test_full_pinyin_and_initials() -> None:
    keys = search_keys("个体工商户设立登记")

    assert keys.full == ("getigongshanghushelidengji",)
    assert keys.initials == ("gtgshsldj",)


@pytest.mark.parametrize(
    ("text", "first", "other"),
    [
        ("银行", "yinhang", "yinxing"),
        ("行走", "xingzou", "hangzou"),
        ("重新", "chongxin", "zhongxin"),
        ("长期", "changqi", "zhangqi"),
        ("生长", "shengzhang", "shengchang"),
    ],
)
def test_a_polyphone_gives_the_phrase_reading_first_then_the_others(
    text: str, first: str, other: str
) -> None:
    keys = search_keys(text)

    assert keys.full[0] == first
    assert other in keys.full


def test_initials_follow_each_reading() -> None:
    assert search_keys("银行").initials == ("yh", "yx")
    assert search_keys("长期").initials == ("cq", "zq")


def test_readings_with_fewer_changes_come_first_and_are_capped() -> None:
    keys = search_keys("重庆银行长期行长行走")

    assert len(keys.full) == MAX_VARIANTS
    assert len(set(keys.full)) == len(keys.full)
    assert keys.full[0] == "chongqingyinhangchangqihangzhangxingzou"
    # One character changed (重 zhong), before two (重 zhong and 银行 yinxing).
    assert keys.full[1] == "zhongqingyinhangchangqihangzhangxingzou"
    assert "zhongqingyinxingchangqihangzhangxingzou" not in keys.full[:7]  # 6 single changes
    assert len(keys.initials) <= len(keys.full)


def test_latin_letters_and_digits_are_kept_and_punctuation_dropped() -> None:
    keys = search_keys("ICP许可证（第２类）、")

    assert keys.full == ("icpxukezhengdi2lei",)
    assert keys.initials == ("icpxkzd2l",)


def test_text_without_readable_characters_has_no_keys() -> None:
    assert search_keys("") == SearchKeys(full=(), initials=())
    assert search_keys("（、。）") == SearchKeys(full=(), initials=())


def test_rare_readings_are_not_used() -> None:
    """pypinyin also knows 个 gan and 房 pang; no clerk types those."""
    assert search_keys("个体").full == ("geti",)
    assert search_keys("建房").full == ("jianfang",)


def test_ü_is_typed_as_v() -> None:
    assert search_keys("绿色").full == ("lvse",)


def test_keys_round_trip_through_json() -> None:
    keys = search_keys("城乡居民银行卡")

    assert from_json(json.loads(json.dumps(to_json(keys)))) == keys
    assert to_json(keys) == {"full": list(keys.full), "initials": list(keys.initials)}


def test_keys_are_deterministic() -> None:
    assert search_keys("重新长期行长") == search_keys("重新长期行长")


def test_every_common_reading_is_one_pypinyin_knows() -> None:
    for char, readings in COMMON.items():
        known = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
        assert set(readings) <= set(known), char
        assert len(readings) >= 2, char
