"""Masked personal data (DESIGN §4.8) for every place except the case detail. Pure.

Each hidden character becomes one `*`, so a masked value keeps its length and shape. The rules
never reveal more than the shape below, however short or odd the input (stored values from older
versions, typos): anything a rule does not recognise falls back to showing at most a quarter.

- Name, Chinese: the first and the last character (张*三, 欧**明); two characters keep the first
  (张*); one is hidden. Separators (· - ' . space) stay: 阿***·**提.
- Name written in an alphabet (Latin, Cyrillic…): the first letter of each word (J*** S****).
- ID number, by length: 18 → first 4 and last 4 (4202**********1234, the birth date hidden);
  15–17 → 3 and 3; 11–14 → 2 and 2; 8–10 → 1 and 2 (H******78); 6–7 → 1 and 1; shorter → all.
- Phone: mobile 138****5678; landline keeps the area code and the last half of the local number
  (0710-****567, 010-****5678), the extension hidden; 400/800 numbers are an organisation's, shown
  as they are; abroad, + and 3 digits and up to the last 4.
"""

from __future__ import annotations

import unicodedata

from counter_tui.applicants.rules import INTERNATIONAL, LANDLINE, MOBILE, SERVICE, parse_phone
from counter_tui.text import clean

_SEPARATORS = frozenset(" ·-'.")


def _hide(text: str, head: int, tail: int) -> str:
    if head + tail >= len(text):
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


def _is_alphabetic(ch: str) -> bool:
    """A letter of an alphabet (Latin, Cyrillic…), as opposed to a Han character."""
    if "\u4e00" <= ch <= "\u9fff":  # the common Han block, first: nearly every name (a worklist
        return False  # masks hundreds, and unicodedata.name costs microseconds each)
    return ch.isalpha() and ch != "〇" and not unicodedata.name(ch, "").startswith("CJK")


def mask_name(name: str) -> str:
    """`张三` → `张*`, `张小三` → `张*三`, `欧阳小明` → `欧**明`, `John Smith` → `J*** S****`."""
    # Stored names were cleaned on the way in; only a name with a control character pays again.
    text = " ".join((name if name.isprintable() else clean(name)).split())
    if any(_is_alphabetic(ch) for ch in text):
        out = []
        word_start = True
        for ch in text:
            if ch in _SEPARATORS:
                out.append(ch)
                word_start = True
            else:
                out.append(ch if word_start else "*")
                word_start = False
        return "".join(out)
    positions = [i for i, ch in enumerate(text) if ch not in _SEPARATORS]
    if len(positions) >= 3:
        shown = {positions[0], positions[-1]}
    elif len(positions) == 2:
        shown = {positions[0]}
    else:
        shown = set()
    return "".join(ch if i in shown or ch in _SEPARATORS else "*" for i, ch in enumerate(text))


_ID_KEEP = ((18, 4, 4), (15, 3, 3), (11, 2, 2), (8, 1, 2), (6, 1, 1))


def mask_id(number: str) -> str:
    """`420202199001011234` → `4202**********1234`; shorter numbers by the table in the module
    docstring (a 9-character 港澳 pass `H12345678` → `H******78`)."""
    text = "".join(clean(number).split())
    for length, head, tail in _ID_KEEP:
        if len(text) >= length:
            return _hide(text, head, tail)
    return "*" * len(text)


def _mask_fallback(text: str) -> str:
    return _hide(text, 0, min(4, len(text) // 4))


def mask_phone(phone: str) -> str:
    """`13812345678` → `138****5678`, `0710-1234567` → `0710-****567`."""
    kind, checked = parse_phone(phone)
    if checked.value is None:
        return _mask_fallback("".join(clean(phone).split()))
    if kind == SERVICE:
        return checked.value
    number, _, extension = checked.value.partition("转")
    hidden_extension = "转" + "*" * len(extension) if extension else ""
    if kind == MOBILE:
        return _hide(number, 3, 4)
    if kind == LANDLINE:
        area, _, local = number.partition("-")
        return f"{area}-{_hide(local, 0, len(local) // 2)}" + hidden_extension
    assert kind == INTERNATIONAL
    return _hide(number, 4, min(4, (len(number) - 4) // 2)) + hidden_extension
