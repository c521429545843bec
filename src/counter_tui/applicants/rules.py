"""Applicant fields at intake: the result every check returns, names, addresses and phone numbers.

Pure: no I/O. Identity numbers are in `identity`, masking in `masking`; the package re-exports all.

Every check takes the text as typed and returns a `Checked`: the normalised value, or one specific
problem in Chinese for the field. The form keeps what was typed; it stores `value` only when the
check passed. A blank field is a problem ("请填写…"): a form whose field is optional does not call
the check for a blank one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from counter_tui.text import clean

PERSON_NAME_MAX = 50
ORGANISATION_NAME_MAX = 100
ADDRESS_MAX = 200

#: Sex codes of GB/T 2261.1, as derived from the 17th digit of an ID number.
SEXES: dict[str, str] = {"1": "男", "2": "女"}


@dataclass(frozen=True, slots=True)
class Checked:
    """What a check found: `value` (normalised, to store) when fine, else `problem`.

    `note` is a remark for a value that passed (e.g. an old-format number). `warning` is for a
    value that passed but is unusual enough that the clerk must confirm it against the document
    (a birth date before 1900: records of the deceased exist). `birth_date` and `sex` (a key of
    SEXES) are filled for a 居民身份证 number, to prefill the intake form.
    """

    value: str | None = None
    problem: str | None = None
    note: str | None = None
    warning: str | None = None
    birth_date: date | None = None
    sex: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @classmethod
    def bad(cls, problem: str) -> Checked:
        return cls(problem=problem)


# --------------------------------------------------------------------------- normalisation

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３, the ideographic space) to half-width; nothing else changes.

    Deliberately not NFKC: that would also rewrite CJK compatibility ideographs in names.
    """
    return text.translate(_FULL_WIDTH)


def _one_line(raw: str) -> str:
    """Cleaned (DESIGN §4.6), line breaks and runs of whitespace collapsed to one space."""
    return " ".join(clean(raw, multiline=True).split())


# --------------------------------------------------------------------------- names and address

#: Look-alikes of the middle dot people type between the parts of a minority or foreign name.
_DOTS = str.maketrans(dict.fromkeys("•・･‧∙⋅", "·"))
_NAME_PUNCTUATION = frozenset(" ·-'.")
_HAN = r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_DOT_BETWEEN_HAN = re.compile(rf"(?<={_HAN})\s*[.。]\s*(?={_HAN})")
_SPACES_AROUND_DOT = re.compile(r"\s*·\s*")


def _is_letter(ch: str) -> bool:
    """A letter of any script (Han, Latin, Cyrillic, Tibetan…) or a combining mark; 〇 counts."""
    return ch == "〇" or unicodedata.category(ch)[0] in ("L", "M")


def check_name(raw: str, *, organisation: bool = False, label: str | None = None) -> Checked:
    """A person's name (applicant, agent, legal representative) or an organisation's name.

    Person: letters of any script (Han, also 〇; Latin and others for foreigners) with the
    separators · - ' . and spaces; look-alike dots become ·, and a full stop between Han
    characters (阿依古丽.买买提) becomes ·. At most PERSON_NAME_MAX characters.
    Organisation: any cleaned text (digits and （）are normal in names) with at least one letter,
    at most ORGANISATION_NAME_MAX characters.
    """
    what = label or ("单位名称" if organisation else "姓名")
    if organisation:
        value = _one_line(raw)
        limit = ORGANISATION_NAME_MAX
    else:
        value = _one_line(fold_width(raw).translate(_DOTS).replace("’", "'"))
        value = _SPACES_AROUND_DOT.sub("·", _DOT_BETWEEN_HAN.sub("·", value))
        limit = PERSON_NAME_MAX
    if not value:
        return Checked.bad(f"请填写{what}")
    if len(value) > limit:
        return Checked.bad(f"{what}不能超过 {limit} 个字，现在是 {len(value)} 个")
    if not organisation:
        odd = next((ch for ch in value if not _is_letter(ch) and ch not in _NAME_PUNCTUATION), None)
        if odd is not None:
            return Checked.bad(f"{what}里不能有“{odd}”（可用汉字、字母和间隔号 ·）")
    if not any(_is_letter(ch) for ch in value):
        return Checked.bad(f"{what}里至少要有一个汉字或字母")
    return Checked(value=value)


def check_address(raw: str, *, label: str = "地址") -> Checked:
    """An address: one cleaned line, at most ADDRESS_MAX characters. Not checked against places."""
    value = _one_line(raw)
    if not value:
        return Checked.bad(f"请填写{label}")
    if len(value) > ADDRESS_MAX:
        return Checked.bad(f"{label}不能超过 {ADDRESS_MAX} 个字，现在是 {len(value)} 个")
    return Checked(value=value)


# --------------------------------------------------------------------------- phone numbers

MOBILE = "mobile"
LANDLINE = "landline"
SERVICE = "service"
INTERNATIONAL = "international"

_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PHONE_CHARS = frozenset("0123456789 -+()")
_GROUPS = re.compile(r"[\s\-()]+")
_HOW = "固定电话请带区号，如 0710-1234567"


def _area_length(national: str) -> int:
    """Length of a mainland area code with its 0: 010 and 02X have three digits, all others four."""
    return 3 if national[:2] in ("01", "02") else 4


def parse_phone(raw: str) -> tuple[str, Checked]:
    """(kind, Checked) where kind is MOBILE, LANDLINE, SERVICE or INTERNATIONAL ("" if bad).

    Values: mobile `13812345678`; landline `0710-1234567`, with an extension
    `0710-1234567转123`; service `400-123-4567`; international `+85212345678` (E.164 digits).
    """
    text = fold_width(clean(raw)).strip()
    if not text:
        return "", Checked.bad("请填写联系电话")
    extension = None
    if found := _EXTENSION.search(text):
        extension, text = found.group(1), text[: found.start()]
    odd = next((ch for ch in text if ch not in _PHONE_CHARS), None)
    if odd is not None:
        return "", Checked.bad(f"电话号码里不能有“{odd}”（只写数字，分机可写“转 123”）")
    if "+" in text.lstrip()[1:]:
        return "", Checked.bad("“+”只能写在国家代码前，如 +86 138 1234 5678")
    groups = [g for g in _GROUPS.split(text.replace("+", "")) if g]
    digits = "".join(groups)
    national = digits
    if text.startswith("+") or digits.startswith("00"):
        international = digits if text.startswith("+") else digits[2:]
        if not international.startswith("86"):
            if not 6 <= len(international) <= 15 or international.startswith("0"):
                return "", Checked.bad("境外电话应为国家或地区代码加号码，共 6–15 位数字")
            value = "+" + international + _extension(extension)
            return INTERNATIONAL, Checked(value=value, note="境外号码，只核对了位数")
        national = international[2:]
        mobile = national.startswith("1") and not national.startswith("10")  # 10: Beijing
        if national and not mobile and not national.startswith(("0", "400", "800")):
            national = "0" + national  # +86 710 1234567: the trunk 0 is dropped after +86
    elif len(digits) == 13 and digits.startswith("861"):
        national = digits[2:]
    return _national(national, groups, extension)


def _extension(extension: str | None) -> str:
    return f"转{extension}" if extension else ""


def _national(national: str, groups: list[str], extension: str | None) -> tuple[str, Checked]:
    if national.startswith("1"):
        if extension:
            return "", Checked.bad("手机号不能带分机号")
        if len(national) != 11:
            return "", Checked.bad(f"手机号应为 11 位，现在是 {len(national)} 位")
        if national[1] not in "3456789":
            return "", Checked.bad(f"手机号应以 13–19 开头，现在是 {national[:2]}")
        return MOBILE, Checked(value=national)
    if national.startswith(("400", "800")):
        if len(national) != 10:
            kind = national[:3]
            return "", Checked.bad(f"{kind} 电话应为 10 位，现在是 {len(national)} 位")
        value = f"{national[:3]}-{national[3:6]}-{national[6:]}"
        return SERVICE, Checked(value=value + _extension(extension))
    if national.startswith("0"):
        area = _area_length(national)
        local = national[area:]
        if extension is None and len(groups) >= 3 and len(local) - len(groups[-1]) in (7, 8):
            # 0710-1234567-123: a third group after a complete number is the extension.
            extension, local = groups[-1], local[: -len(groups[-1])]
        if len(local) not in (7, 8):
            return "", Checked.bad(f"固定电话区号后应为 7 或 8 位，现在是 {len(local)} 位")
        if local[0] == "0":
            return "", Checked.bad(f"固定电话号码（区号 {national[:area]} 之后）不能以 0 开头")
        value = f"{national[:area]}-{local}" + _extension(extension)
        return LANDLINE, Checked(value=value)
    if len(national) in (7, 8):
        return "", Checked.bad(_HOW)
    return "", Checked.bad(f"无法识别的电话号码：手机号为 11 位；{_HOW}")


def check_phone(raw: str) -> Checked:
    """A mainland mobile (1[3-9] + 9 digits, +86/86/0086 prefix allowed), a landline with its area
    code (0xx(x)-xxxxxxx(x), extension after 转, 分机, ext, # or a third group), a 400/800
    service number, or a number abroad written with + or 00 (only its length is checked).
    Spaces, dashes and brackets are ignored; full-width digits are accepted.
    """
    return parse_phone(raw)[1]
