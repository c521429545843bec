"""Item search: every query class, polyphones, the ranking, the site's level, several terms."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Sequence
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_tui.bench.catalog import generate_items
from counter_tui.catalog.pinyin import search_keys
from counter_tui.catalog.search import (
    CLASSIFY_MAX,
    MATCH_CLASSES,
    REFUSALS,
    Entry,
    Hit,
    SearchIndex,
    fold,
    keys_from_json,
    keys_to_json,
    query_terms,
)

ALL_LEVELS = ("county", "town", "village")


def entry(
    code: str,
    name: str,
    aliases: Sequence[str] = (),
    *,
    levels: tuple[str, ...] = ALL_LEVELS,
    kind: str = "item",
) -> Entry:
    return Entry(
        code=code,
        name=name,
        aliases=tuple(aliases),
        kind=kind,
        department="SCJG",
        levels=levels,
        name_keys=search_keys(name),
        alias_keys=tuple(search_keys(a) for a in aliases),
    )


CATALOG = [
    entry("SCJG-0701", "个体工商户设立登记", ["营业执照", "个体户注册"]),
    entry("SCJG-0702", "个体工商户注销登记"),
    entry("SCJG-0703", "有限责任公司设立登记", ["营业执照"], levels=("county",)),
    entry("SCJG-0101", "食品经营许可证核发", levels=("county",)),
    entry("RSJ-2001", "城乡居民养老保险待遇申领", ["养老金"]),
    entry("RSJ-2002", "社会保障卡申领", ["社保卡"]),
    entry("NYNC-0101", "农村宅基地建房审批", ["宅基地"]),
    entry("JR-0001", "银行账户开户备案"),
    entry("JR-0002", "行走不便老人上门服务"),
    entry("JR-0003", "重新核定缴费基数"),
    entry("JR-0004", "长期护理保险待遇申请"),
    entry("JR-0005", "生长发育迟缓儿童康复救助"),
    entry("YJS-KBQY", "开办企业一件事", ["开公司"], kind="bundle", levels=("county", "town")),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(CATALOG)


def names(hits: list[Hit]) -> list[str]:
    return [h.entry.name for h in hits]


def first(index: SearchIndex, query: str) -> Hit:
    hits = index.search(query)
    assert hits, f"nothing found for {query!r}"
    return hits[0]


# --- query classes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "match"),
    [
        ("个体工商户设立登记", "个体工商户设立登记", "exact"),
        ("scjg-0703", "有限责任公司设立登记", "code"),
        ("SCJG-0703", "有限责任公司设立登记", "code"),
        ("食品经营", "食品经营许可证核发", "prefix"),
        ("gtgsh", "个体工商户设立登记", "initials"),
        ("spjyxkz", "食品经营许可证核发", "initials"),
        ("jyxkz", "食品经营许可证核发", "initials"),
        ("getigongshang", "个体工商户设立登记", "pinyin"),
        ("yanglaobaoxian", "城乡居民养老保险待遇申领", "pinyin"),
        ("rsj-20", "社会保障卡申领", "code"),  # both RSJ items: the shorter name first
        ("宅基地建房", "农村宅基地建房审批", "substring"),
        ("社保卡", "社会保障卡申领", "alias"),
        ("养老", "城乡居民养老保险待遇申领", "substring"),
        ("yyzz", "个体工商户设立登记", "alias"),
        ("yingyezhizhao", "个体工商户设立登记", "alias"),
        ("kaigongsi", "开办企业一件事", "alias"),
    ],
)
def test_query_classes(index: SearchIndex, query: str, name: str, match: str) -> None:
    hit = first(index, query)

    assert (hit.entry.name, hit.match) == (name, match)
    assert hit.match in MATCH_CLASSES


def test_an_alias_finds_every_item_it_names(index: SearchIndex) -> None:
    hits = index.search("营业执照")

    assert set(names(hits)) == {"个体工商户设立登记", "有限责任公司设立登记"}
    assert {h.match for h in hits} == {"alias"}


def test_a_bundle_is_found_like_an_item(index: SearchIndex) -> None:
    hit = first(index, "开办企业")

    assert hit.entry.kind == "bundle"
    assert hit.match == "prefix"


def test_case_and_full_width_do_not_matter(index: SearchIndex) -> None:
    assert names(index.search("GTGSH")) == names(index.search("gtgsh"))
    assert names(index.search("ｇｔｇｓｈ")) == names(index.search("gtgsh"))


def test_nothing_found(index: SearchIndex) -> None:
    assert index.search("zzqxv") == []
    assert index.search("火星登陆") == []
    assert index.search("") == []
    assert index.search("   ") == []


def test_a_code_is_matched_whole_or_by_its_start_only(index: SearchIndex) -> None:
    assert [h.entry.code for h in index.search("0703")] == []
    assert {h.entry.code for h in index.search("scjg-07")} == {
        "SCJG-0701",
        "SCJG-0702",
        "SCJG-0703",
    }


# --- polyphones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("yinhang", "银行账户开户备案"),
        ("yinxing", "银行账户开户备案"),
        ("xingzou", "行走不便老人上门服务"),
        ("hangzou", "行走不便老人上门服务"),
        ("chongxin", "重新核定缴费基数"),
        ("zhongxin", "重新核定缴费基数"),
        ("changqi", "长期护理保险待遇申请"),
        ("zhangqi", "长期护理保险待遇申请"),
        ("shengzhang", "生长发育迟缓儿童康复救助"),
        ("shengchang", "生长发育迟缓儿童康复救助"),
        ("yxzh", "银行账户开户备案"),
        ("zqhl", "长期护理保险待遇申请"),
    ],
)
def test_either_reading_of_a_polyphone_finds_the_item(
    index: SearchIndex, query: str, name: str
) -> None:
    assert name in names(index.search(query))


# --- ranking ------------------------------------------------------------------------------------


def test_ascii_ranking_exact_code_prefix_initials_pinyin() -> None:
    catalog = [
        entry("X5", "杭商服务"),  # hangshang: "gs" inside the full pinyin only
        entry("X4", "个体工商户"),  # gtgsh: "gs" inside the initials
        entry("X3", "工商登记"),  # gsdj: initials start with "gs"
        entry("X2", "GS认证备案"),  # the name starts with "gs"
        entry("GS", "代码为GS的事项"),  # the code is "gs"
        entry("X1", "GS"),  # the name is "gs"
    ]
    hits = SearchIndex(catalog).search("gs")

    assert [(h.entry.code, h.match) for h in hits] == [
        ("X1", "exact"),
        ("GS", "code"),
        ("X2", "prefix"),
        ("X3", "initials"),
        ("X4", "initials"),
        ("X5", "pinyin"),
    ]
    assert [h.score for h in hits] == sorted(h.score for h in hits)


def test_chinese_ranking_exact_prefix_alias_substring() -> None:
    catalog = [
        entry("C5", "婚育证明", ["开具生育证明"]),  # an alias contains the query
        entry("C4", "新办生育证明"),  # the name contains it
        entry("C3", "准生证", ["生育证明"]),  # an alias is the query
        entry("C2", "生育证明补办"),  # the name starts with it
        entry("C1", "生育证明"),  # the name is the query
        entry("C0", "出生证明"),  # no match
    ]
    hits = SearchIndex(catalog).search("生育证明")

    assert [(h.entry.code, h.match) for h in hits] == [
        ("C1", "exact"),
        ("C2", "prefix"),
        ("C3", "alias"),
        ("C4", "substring"),
        ("C5", "alias"),
    ]


def test_usage_then_shorter_name_then_code_break_ties() -> None:
    catalog = [
        entry("B", "社会保障卡申领"),
        entry("A", "社会保障卡补领"),
        entry("C", "社会保障卡挂失"),
        entry("D", "社会保障卡信息变更"),
        entry("E", "社会保障卡启用"),
    ]
    hits = SearchIndex(catalog, usage={"C": 5, "E": 9}).search("社会保障卡")

    # Used most first; then the short names (A before B by code), then the long one.
    assert [h.entry.code for h in hits] == ["E", "C", "A", "B", "D"]
    assert {h.match for h in hits} == {"prefix"}


def test_usage_never_beats_a_better_match() -> None:
    catalog = [entry("P", "社会保障卡申领"), entry("Q", "社会保障卡")]
    hits = SearchIndex(catalog, usage={"P": 1000}).search("社会保障卡")

    assert [h.entry.code for h in hits] == ["Q", "P"]


def test_a_village_room_sees_what_it_may_accept_first(index: SearchIndex) -> None:
    village = SearchIndex(CATALOG, site_level="village")

    hits = village.search("设立登记")
    assert [(h.entry.name, h.allowed_here) for h in hits] == [
        ("个体工商户设立登记", True),
        ("有限责任公司设立登记", False),
    ]
    # Even an exact name comes after every entry the room may accept.
    hits = village.search("dj")
    allowed = [h.allowed_here for h in hits]
    assert allowed == sorted(allowed, reverse=True)
    assert False in allowed and True in allowed
    assert all(h.allowed_here for h in index.search("dj"))


@pytest.mark.parametrize("query", ["食品经营", "spjy", "shipinjingying", "scjg-0101", "jyxk"])
def test_what_only_other_levels_accept_is_still_found(query: str) -> None:
    village = SearchIndex(CATALOG, site_level="village")

    hit = first(village, query)

    assert (hit.entry.code, hit.allowed_here) == ("SCJG-0101", False)


def test_an_exact_match_not_allowed_here_still_comes_after_allowed_ones() -> None:
    catalog = [
        entry("V", "食品经营许可证核发（延伸到村）"),
        entry("K", "食品经营许可证核发", levels=("county",)),
    ]
    hits = SearchIndex(catalog, site_level="village").search("食品经营许可证核发")

    assert [(h.entry.code, h.match, h.allowed_here) for h in hits] == [
        ("V", "prefix", True),
        ("K", "exact", False),
    ]


# --- several terms ------------------------------------------------------------------------------


def test_every_term_must_match(index: SearchIndex) -> None:
    assert names(index.search("个体 注销")) == ["个体工商户注销登记"]
    assert names(index.search("gtgsh zx")) == ["个体工商户注销登记"]
    assert index.search("个体 食品") == []


def test_several_terms_rank_by_the_best_term() -> None:
    catalog = [
        entry("A", "外资个体工商户简易注销"),  # 个体工商户: substring
        entry("B", "个体工商户注销登记"),  # 个体工商户: prefix
        entry("C", "个体工商户设立登记"),  # no 注销
    ]
    hits = SearchIndex(catalog).search("个体工商户 zx")

    assert [(h.entry.code, h.match) for h in hits] == [("B", "prefix"), ("A", "initials")]


def test_terms_may_mix_chinese_pinyin_and_codes(index: SearchIndex) -> None:
    assert names(index.search("scjg-07 zhuxiao")) == ["个体工商户注销登记"]
    assert names(index.search("设立 yyzz")) == ["个体工商户设立登记", "有限责任公司设立登记"]


def test_query_terms() -> None:
    assert query_terms("  个体\u3000GTGSH\tzx ") == ["个体", "gtgsh", "zx"]
    assert query_terms("xi'an") == ["xian"]
    assert query_terms("") == []


# --- limits, determinism, keys ------------------------------------------------------------------


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("d", limit=3)) == 3
    assert index.search("d", limit=0) == []
    assert len(index.search("登记 d", limit=2)) == 2


def test_the_order_of_the_entries_does_not_change_the_answer() -> None:
    shuffled = list(CATALOG)
    random.Random(7).shuffle(shuffled)
    a, b = SearchIndex(CATALOG, site_level="town"), SearchIndex(shuffled, site_level="town")

    for query in ("d", "登记", "sq", "yx", "s l", "申领"):
        assert a.search(query) == b.search(query)


def test_len(index: SearchIndex) -> None:
    assert len(index) == len(CATALOG)
    assert len(SearchIndex([])) == 0
    assert SearchIndex([]).search("gtgsh") == []


def test_keys_round_trip_through_json() -> None:
    keys = search_keys("银行")
    assert keys_from_json(keys_to_json(keys)) == keys


def test_search_imports_neither_pypinyin_nor_the_database_nor_textual() -> None:
    """The index is built at start-up; pypinyin costs 0.2 s to import (STYLE.md)."""
    code = (
        "import sys, counter_tui.catalog.search;"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'pypinyin', 'sqlalchemy', 'sqlmodel', 'textual'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_query_gives_at_most_limit_hits_in_score_order(query: str) -> None:
    index = SearchIndex(CATALOG, site_level="village")
    hits = index.search(query, limit=5)

    assert len(hits) <= 5
    assert [h.score for h in hits] == sorted(h.score for h in hits)
    assert len({h.entry.code for h in hits}) == len(hits)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_piece_of_a_name_or_of_its_initials_finds_the_entry(data: st.DataObject) -> None:
    index = SearchIndex(CATALOG)
    target = data.draw(st.sampled_from(CATALOG))
    text = data.draw(st.sampled_from([target.name, target.name_keys.initials[0]]))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))

    hits = index.search(text[start:end], limit=len(CATALOG))

    assert target.code in [h.entry.code for h in hits]


# --- against a plain reference ------------------------------------------------------------------


def reference_pass(e: Entry, term: str) -> int | None:
    """The pass numbers of the module docstring, checked the obvious way."""
    name, code = fold(e.name), e.code.lower()
    aliases = [fold(a) for a in e.aliases]
    initials = [k.lower() for k in e.name_keys.initials]
    full = [k.lower() for k in e.name_keys.full]
    alias_initials = [k.lower() for keys in e.alias_keys for k in keys.initials]
    alias_full = [k.lower() for keys in e.alias_keys for k in keys.full]
    checks = [
        name == term,
        code == term,
        name.startswith(term),
        term in aliases,
        any(k.startswith(term) for k in initials),
        any(term in k for k in initials),
        any(k.startswith(term) for k in full),
        any(term in k for k in full),
        code.startswith(term),
        term in name,
        any(term in a for a in aliases),
        any(k.startswith(term) for k in alias_initials),
        any(k.startswith(term) for k in alias_full),
        any(term in k for k in alias_initials),
        any(term in k for k in alias_full),
    ]
    return next((n for n, ok in enumerate(checks) if ok), None)


def reference_search(
    entries: Sequence[Entry], query: str, usage: dict[str, int], level: str | None, limit: int
) -> list[tuple[str, int, bool]]:
    ranked = []
    for e in entries:
        numbers = [reference_pass(e, t) for t in query_terms(query)]
        if numbers and None not in numbers:
            allowed = level is None or level in e.levels
            best = min(n for n in numbers if n is not None)
            key = (not allowed, best, -usage.get(e.code, 0), len(e.name), e.code)
            ranked.append((key, (e.code, best, allowed)))
    ranked.sort()
    return [hit for _, hit in ranked[:limit]]


POOL = [
    entry(i.code, i.name, i.aliases, levels=i.levels) for i in generate_items(150, seed=5)
] + CATALOG


@st.composite
def queries(draw: st.DrawFn) -> str:
    def piece() -> str:
        e = draw(st.sampled_from(POOL))
        source = draw(
            st.sampled_from(
                [e.name, e.code, e.name_keys.initials[0], e.name_keys.full[0], *e.aliases]
            )
        )
        start = draw(st.integers(0, len(source) - 1))
        return source[start : draw(st.integers(start + 1, min(len(source), start + 8)))]

    pieces = draw(
        st.lists(st.one_of(st.builds(piece), st.text(max_size=3)), min_size=1, max_size=3)
    )
    return " ".join(pieces)


@settings(max_examples=300, deadline=None)
@given(
    query=queries(),
    level=st.sampled_from([None, "county", "town", "village"]),
    usage_seed=st.integers(0, 3),
    limit=st.sampled_from([1, 5, 20, 500]),
    thresholds=st.sampled_from([(REFUSALS, CLASSIFY_MAX), (0, 0), (2, 3), (5, 1000)]),
)
def test_the_index_agrees_with_a_plain_reference(
    query: str, level: str | None, usage_seed: int, limit: int, thresholds: tuple[int, int]
) -> None:
    """Also with thresholds that send several terms down each of their paths."""
    rng = random.Random(usage_seed)
    usage = {e.code: rng.choice([0, 0, 1, 3, 10]) for e in POOL}
    index = SearchIndex(POOL, usage=usage, site_level=level)

    refusals, classify_max = thresholds
    with (
        patch("counter_tui.catalog.search.REFUSALS", refusals),
        patch("counter_tui.catalog.search.CLASSIFY_MAX", classify_max),
    ):
        hits = index.search(query, limit)

    got = [(h.entry.code, h.score[1], h.allowed_here) for h in hits]
    assert got == reference_search(POOL, query, usage, level, limit)
