"""Pinyin search keys of item names and aliases, made at catalog import and stored with the
catalog. Importing pypinyin costs about 0.2 s (STYLE.md): only the import command loads this
module; the app's search (`counter_tui.catalog.search`) reads the stored keys.

Polyphones (多音字): the first reading is pypinyin's phrase-aware one (银行 yinhang, 重新
chongxin, 生长 shengzhang); then come variants where polyphonic characters take their other
readings, so that a clerk who reads 银行 as yinxing or 长期 as zhangqi still finds the item.
Only characters whose several readings are in everyday use vary (`COMMON`, a hand-checked subset
of pypinyin's heteronyms). Variants with one changed character come before those with two, and
so on, up to `MAX_VARIANTS`.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator
from typing import Any

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from counter_tui.catalog.search import SearchKeys, keys_from_json, keys_to_json

#: At most this many full-pinyin keys per text (initials may coincide, so they are at most as
#: many): keeps the index small when a long name is full of polyphones.
MAX_VARIANTS = 16

#: Everyday polyphones (多音字) and the readings a clerk may give them: the characters that
#: pypinyin's phrase dictionary reads two ways in at least 10 phrases (and 5 % of them), checked
#: by hand, plus a few common in catalog names (单, 会, 解, 识, 数 …). Only these characters vary:
#: pypinyin's full heteronym lists also hold archaic readings (个 gan, 体 ben, 食 yi, 房 pang)
#: that nobody types and that would fill `MAX_VARIANTS` with noise.
COMMON: dict[str, tuple[str, ...]] = {
    "行": ("xing", "hang"),
    "长": ("chang", "zhang"),
    "重": ("zhong", "chong"),
    "血": ("xue", "xie"),
    "乐": ("le", "yue"),
    "恶": ("e", "wu"),
    "度": ("du", "duo"),
    "调": ("diao", "tiao"),
    "角": ("jiao", "jue"),
    "和": ("he", "huo", "hu"),
    "传": ("chuan", "zhuan"),
    "朝": ("chao", "zhao"),
    "折": ("zhe", "she"),
    "露": ("lu", "lou"),
    "着": ("zhe", "zhuo", "zhao"),
    "没": ("mei", "mo"),
    "差": ("cha", "chai", "ci"),
    "弹": ("dan", "tan"),
    "藏": ("cang", "zang"),
    "称": ("cheng", "chen"),
    "薄": ("bo", "bao"),
    "还": ("hai", "huan"),
    "了": ("le", "liao"),
    "系": ("xi", "ji"),
    "参": ("can", "shen", "cen"),
    "便": ("bian", "pian"),
    "塞": ("sai", "se"),
    "阿": ("a", "e"),
    "率": ("lv", "shuai"),
    "校": ("xiao", "jiao"),
    "降": ("jiang", "xiang"),
    "劲": ("jin", "jing"),
    "省": ("sheng", "xing"),
    "的": ("de", "di"),
    "宿": ("su", "xiu"),
    "属": ("shu", "zhu"),
    "给": ("gei", "ji"),
    "都": ("dou", "du"),
    "著": ("zhu", "zhuo"),
    "模": ("mo", "mu"),
    "削": ("xiao", "xue"),
    "朴": ("pu", "piao"),
    "屏": ("ping", "bing"),
    "卡": ("ka", "qia"),
    "否": ("fou", "pi"),
    "剥": ("bo", "bao"),
    "大": ("da", "dai"),
    "会": ("hui", "kuai"),
    "单": ("dan", "shan", "chan"),
    "解": ("jie", "xie"),
    "强": ("qiang", "jiang"),
    "识": ("shi", "zhi"),
    "数": ("shu", "shuo"),
    "说": ("shuo", "shui"),
    "似": ("si", "shi"),
    "提": ("ti", "di"),
    "仔": ("zai", "zi"),
    "查": ("cha", "zha"),
    "盛": ("sheng", "cheng"),
    "地": ("di", "de"),
    "合": ("he", "ge"),
    "奇": ("qi", "ji"),
    "扎": ("zha", "za"),
    "择": ("ze", "zhai"),
    "落": ("luo", "la", "lao"),
    "曾": ("ceng", "zeng"),
    "厦": ("sha", "xia"),
    "车": ("che", "ju"),
    "殖": ("zhi", "shi"),
    "泊": ("bo", "po"),
    "圈": ("quan", "juan"),
    "番": ("fan", "pan"),
    "拓": ("tuo", "ta"),
    "秘": ("mi", "bi"),
    "柏": ("bai", "bo"),
    "堡": ("bao", "pu"),
}


def search_keys(text: str) -> SearchKeys:
    """The pinyin keys of `text`: lower-case ascii, no tones or spaces; digits and latin letters
    kept (lower-cased), punctuation dropped."""
    tokens = _tokens(text)
    variants: list[str] = []
    initials: list[str] = []
    for readings in _readings(tokens):
        full = "".join(readings)
        if full and full not in variants:
            variants.append(full)
            first = "".join(
                r if alnum else r[:1] for r, (_, alnum) in zip(readings, tokens, strict=True)
            )
            if first not in initials:
                initials.append(first)
        if len(variants) >= MAX_VARIANTS:
            break
    return SearchKeys(full=tuple(variants), initials=tuple(initials))


def to_json(keys: SearchKeys) -> dict[str, list[str]]:
    """The keys as JSON lists (what the catalog import stores)."""
    return keys_to_json(keys)


def from_json(data: dict[str, Any]) -> SearchKeys:
    """The inverse of `to_json`."""
    return keys_from_json(data)


# A token is (text, is_alnum): a Chinese character, or a run of ascii letters and digits.
_Token = tuple[str, bool]


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    run: list[str] = []
    for char in unicodedata.normalize("NFKC", text).lower():
        if char.isascii() and char.isalnum():
            run.append(char)
            continue
        if run:
            tokens.append(("".join(run), True))
            run = []
        if ord(char) in pinyin_dict:
            tokens.append((char, False))
        # anything else (punctuation, spaces, symbols) is not typed in a search: dropped
    if run:
        tokens.append(("".join(run), True))
    return tokens


def _readings(tokens: list[_Token]) -> Iterator[list[str]]:
    """Reading combinations: the phrase-aware default first, then by number of changed
    characters, earlier characters first."""
    default = _default_readings(tokens)
    yield default
    options: list[tuple[int, tuple[str, ...]]] = []  # (position, its other readings)
    for position, (token, alnum) in enumerate(tokens):
        others = () if alnum else COMMON.get(token, ())
        others = tuple(r for r in others if r != default[position])
        if others:
            options.append((position, others))
    for changed in range(1, len(options) + 1):
        for chosen in itertools.combinations(options, changed):
            for replacement in itertools.product(*(others for _, others in chosen)):
                readings = list(default)
                for (position, _), reading in zip(chosen, replacement, strict=True):
                    readings[position] = reading
                yield readings


def _default_readings(tokens: list[_Token]) -> list[str]:
    """pypinyin's phrase-aware reading of each token; runs of Chinese characters are read
    together so that phrases (银行, 重新) get their reading."""
    readings: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        text = "".join(run)
        read = lazy_pinyin(text, style=Style.NORMAL)
        if len(read) != len(run):  # not expected (every token has a reading): go one by one
            read = [lazy_pinyin(c, style=Style.NORMAL)[0] for c in run]
        readings.extend(r.lower() if r.isascii() else "" for r in read)
        run.clear()

    for token, alnum in tokens:
        if alnum:
            flush()
            readings.append(token)
        else:
            run.append(token)
    flush()
    return readings
