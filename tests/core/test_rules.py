"""Pure rules under open-ended input (Hypothesis): the clock stamp, the canonical JSON that is
hashed, and the cleaning of untrusted text."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from counter_tui.journal import rules
from counter_tui.site.rules import site_code_problem
from counter_tui.text import clean

walls = st.integers(min_value=0, max_value=9_999_999_999_999)
stamps = st.builds(rules.format_hlc, walls, st.integers(min_value=0, max_value=99_998))


@given(last=stamps, now=walls)
def test_a_new_stamp_sorts_after_the_last_whatever_the_pc_clock_says(last: str, now: int) -> None:
    new = rules.next_hlc(last, now)

    assert new > last  # as text: stamps are stored and ordered as strings
    assert rules.hlc_wall_ms(new) == max(now, rules.hlc_wall_ms(last))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(value=st.dictionaries(st.text(), json_values, max_size=5))
def test_canonical_json_is_the_same_for_equal_payloads(value: dict[str, object]) -> None:
    text = rules.canonical_json(value)
    reordered = dict(reversed(list(value.items())))

    assert json.loads(text) == value
    assert rules.canonical_json(reordered) == text


@given(st.text())
def test_cleaned_text_holds_no_control_or_format_characters(raw: str) -> None:
    cleaned = clean(raw)

    assert not [ch for ch in cleaned if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")]
    assert cleaned == cleaned.strip()


def test_cleaning_keeps_chinese_names_and_markup_like_text_as_it_is() -> None:
    assert clean("  张\u202e三[b]\x1b  ") == "张三[b]"
    assert clean("第一行\n第二行\t", multiline=True) == "第一行\n第二行"


def test_site_codes() -> None:
    assert site_code_problem("421202-XA-BYQ") is None
    assert site_code_problem("421202") is None
    for bad in ("42120-XA", "421202-xa", "421202 XA", ""):
        assert site_code_problem(bad) is not None, bad
    head = "421202" + "-ABCDEFGHIJKL" * 3  # 45 characters
    assert site_code_problem(head + "-ABCDEF") is None  # 52: a case number of 64
    assert site_code_problem(head + "-ABCDEFG") == (
        f"站点编码太长：{head}-ABCDEFG（最多 52 个字符，办件编号里含站点编码）"
    )
