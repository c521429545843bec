"""Identity documents of applicants: the ID-type code set and the checks of their numbers. Pure.

Code set: the customary 证件类型 codes of government-service systems. 111 居民身份证,
414 普通护照 and 511 台湾居民来往大陆通行证 are GA/T 517 常用证件代码; 516 and 553 are the codes
the same systems use for the 港澳 pass and the permanent-residence card (found in published code
lists, not checked against the text of a standard). Here 414 stands for any passport, Chinese
or foreign.

What each check verifies, and what it cannot:
- 居民身份证 (GB 11643-1999): 18 characters, digits with a final X; a real birth date, not in the
  future (one before 1900 passes with a `warning` the clerk confirms: the deceased have records
  too); the ISO 7064 MOD 11-2 check digit; the address code (first 6 digits)
  must be a code that has existed (python-stdnum's table). python-stdnum's `ric.validate` also
  requires the county to exist in the birth year, which rejects real numbers (someone born in 1990
  whose first card came from 通州区, created in 1997), so that year test is not applied.
  Old 15-digit numbers are refused: the 18-digit number is required. Nothing checks that the
  number was ever issued.
- 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) + 8 digits, the holder's lifelong number;
  the 1999 card's 11-character number (+ 2 digits counting renewals, 公安部《港澳居民来往内地通行证
  号码规则》) is accepted with a note. No check digit exists.
- 台湾居民来往大陆通行证: 8 digits, one number for life since 2008-09-25; the old 10-digit
  numbers (+ issue count, maybe an office code in brackets) are refused with the 8 digits to
  enter instead. No check digit exists.
- 外国人永久居留身份证: the card issued since 2023-12-01, 18 characters starting with 9 with a
  GB 11643 check digit (国家移民管理局, 新版永居证机读信息规则); or the older 15 characters, three
  letters (nationality) + 12 digits, format only. The new number's inner fields are not checked.
- 护照: 5–17 letters or digits; no national rule covers every country's passports.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from stdnum import numdb
from stdnum.cn import ric, uscc

from counter_tui.applicants.rules import Checked, fold_width
from counter_tui.clock import today_local
from counter_tui.text import clean

RESIDENT_ID_CARD = "111"
PASSPORT = "414"
TAIWAN_PERMIT = "511"
HK_MACAO_PERMIT = "516"
PERMANENT_RESIDENCE_CARD = "553"

#: code → label, in the order the intake form offers them.
ID_TYPES: dict[str, str] = {
    RESIDENT_ID_CARD: "居民身份证",
    HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    PERMANENT_RESIDENCE_CARD: "外国人永久居留身份证",
    PASSPORT: "护照",
}
DEFAULT_ID_TYPE = RESIDENT_ID_CARD

EARLIEST_BIRTH_YEAR = 1900


def id_type_label(code: str) -> str:
    return ID_TYPES.get(code, code)


def normalise_number(raw: str) -> str:
    """Cleaned, full-width folded, every space removed, upper case (a typed x becomes X)."""
    return "".join(fold_width(clean(raw)).split()).upper()


def check_id_number(id_type: str, raw: str, *, today: date | None = None) -> Checked:
    """The number of an identity document of type `id_type` (a key of ID_TYPES).

    `today` bounds birth dates (default: the system date). See the module docstring for what is
    and is not verified per type.
    """
    number = normalise_number(raw)
    if id_type not in ID_TYPES:
        return Checked.bad(f"未知的证件类型代码：{id_type}")
    if not number:
        return Checked.bad(f"请填写{ID_TYPES[id_type]}号码")
    if id_type == RESIDENT_ID_CARD:
        return _resident_id(number, today or today_local())
    if id_type == HK_MACAO_PERMIT:
        return _hk_macao_permit(number)
    if id_type == TAIWAN_PERMIT:
        return _taiwan_permit(number)
    if id_type == PERMANENT_RESIDENCE_CARD:
        return _permanent_residence_card(number)
    return _passport(number)


def guess_id_type(raw: str) -> str:
    """The document type a number most likely belongs to, by its shape, where a form has no
    type selector (the person collecting a result): H/M + digits 港澳通行证, 8 digits 台胞证,
    18 characters starting with 9 永居证, three letters + 12 digits the old 永居证, other
    letters 护照, everything else 居民身份证 (so a mistyped ID number is checked as one and
    refused, never taken for a passport)."""
    number = normalise_number(raw)
    if re.fullmatch(r"[HM][0-9]+", number):
        return HK_MACAO_PERMIT
    if re.fullmatch(r"[0-9]{8}", number):
        return TAIWAN_PERMIT
    if re.fullmatch(r"9[0-9]{16}[0-9X]|[A-Z]{3}[0-9]{12}", number):
        return PERMANENT_RESIDENCE_CARD
    if re.search(r"[A-WYZ]", number):
        return PASSPORT
    return RESIDENT_ID_CARD


@functools.cache
def known_region(code: str) -> bool:
    """Whether a 6-digit address code has ever been in use, whatever the years (python-stdnum's
    table, taken from Wikipedia's lists of GB/T 2260 codes; loaded on first use, about 0.1 s)."""
    found = numdb.get("cn/loc").info(code)
    return bool(found) and "county" in found[-1][1] and found[-1][0] == code[2:]


def _odd_character(number: str, allowed: str) -> str | None:
    return next((ch for ch in number if ch not in allowed), None)


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts ² and other scripts' digits."""
    return re.fullmatch(r"[0-9]+", text) is not None


def _resident_id(number: str, today: date) -> Checked:
    if not re.fullmatch(r"[0-9]*X?", number):
        return Checked.bad("身份证号码只能包含数字，最后一位可以是 X")
    if len(number) == 15 and _digits(number):
        return Checked.bad("这是 15 位的旧身份证号码，请录入 18 位公民身份号码（见二代身份证）")
    if len(number) != 18:
        return Checked.bad(f"身份证号码应为 18 位，现在是 {len(number)} 位")
    if number[0] == "9":
        return Checked.bad("9 开头的 18 位号码是外国人永久居留身份证号码，请改选证件类型")
    if number[:2] in ("81", "82", "83"):
        return Checked.bad(
            "81、82、83 开头的是港澳台居民居住证号码，不是居民身份证；"
            "请改选港澳或台湾居民的通行证，录入通行证号码"
        )
    shown = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return Checked.bad(f"出生日期 {shown} 不存在")
    if birth > today:
        return Checked.bad(f"出生日期 {shown} 在未来")
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        return Checked.bad(
            f"身份证号码校验位不对（按前 17 位算，最后一位应为 {expected}），请逐位核对"
        )
    if not known_region(number[:6]):
        return Checked.bad(f"前 6 位 {number[:6]} 不是已知的行政区划代码，请核对")
    sex = "1" if int(number[16]) % 2 else "2"
    warning = None
    if birth.year < EARLIEST_BIRTH_YEAR:
        warning = f"出生日期 {shown} 早于 {EARLIEST_BIRTH_YEAR} 年：请核对证件，无误后确认"
    return Checked(value=number, birth_date=birth, sex=sex, warning=warning)


_HK_MACAO_FORMAT = "港澳居民来往内地通行证号码应为 H（香港）或 M（澳门）加 8 位数字"


def _hk_macao_permit(number: str) -> Checked:
    if re.fullmatch(r"[HM][0-9]{8}", number):
        return Checked(value=number)
    if re.fullmatch(r"[HM][0-9]{10}", number):
        note = "这是 1999 年版通行证的 11 位号码（末 2 位为换证次数）；如持新版证件，请录入新证号码"
        return Checked(value=number, note=note)
    if number[0] in "HM" and _digits(number[1:]):
        return Checked.bad(f"{_HK_MACAO_FORMAT}，现在字母后是 {len(number) - 1} 位")
    if _digits(number):
        return Checked.bad(f"{_HK_MACAO_FORMAT}：开头缺少字母 H 或 M")
    return Checked.bad(_HK_MACAO_FORMAT)


def _taiwan_permit(number: str) -> Checked:
    if re.fullmatch(r"[0-9]{8}", number):
        return Checked(value=number)
    if re.fullmatch(r"[0-9]{10}(\([0-9A-Z]\)|[A-Z])?", number):
        return Checked.bad(
            f"这是 2008 年以前的旧台胞证号码；现行号码是 8 位终身号，即前 8 位 {number[:8]}"
        )
    if _digits(number):
        return Checked.bad(f"台湾居民来往大陆通行证号码应为 8 位数字，现在是 {len(number)} 位")
    return Checked.bad("台湾居民来往大陆通行证号码只能是 8 位数字")


def _permanent_residence_card(number: str) -> Checked:
    if len(number) == 18 and _digits(number[:17]) and number[-1] in "0123456789X":
        if number[0] != "9":
            return Checked.bad(
                "新版永居证号码以 9 开头；1–8 开头的是居民身份证号码，请改选证件类型"
            )
        expected = ric.calc_check_digit(number)
        if number[-1] != expected:
            return Checked.bad(
                f"永居证号码校验位不对（按前 17 位算，最后一位应为 {expected}），请逐位核对"
            )
        return Checked(value=number)
    if re.fullmatch(r"[A-Z]{3}[0-9]{12}", number):
        return Checked(value=number)
    if len(number) in (15, 18):
        return Checked.bad(
            "永居证号码格式不对：新版为 9 开头的 18 位（最后一位可以是 X），"
            "旧版为 3 个字母加 12 位数字"
        )
    return Checked.bad(
        f"永居证号码应为 18 位（新版，9 开头）或 15 位（旧版，3 个字母加 12 位数字），"
        f"现在是 {len(number)} 位"
    )


_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _passport(number: str) -> Checked:
    odd = _odd_character(number, _ALNUM)
    if odd is not None:
        return Checked.bad(f"护照号码只能包含字母和数字，不能有“{odd}”")
    if not 5 <= len(number) <= 17:
        return Checked.bad(f"护照号码应为 5–17 位字母或数字，现在是 {len(number)} 位")
    return Checked(value=number)


# --------------------------------------------------------------------------- 统一社会信用代码

#: GB 32100-2015's characters: digits and capitals without I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_LOOKS_LIKE = {"I": "1", "O": "0", "Z": "2", "S": "5"}


def check_uscc(raw: str) -> Checked:
    """A 统一社会信用代码 (GB 32100-2015): 18 characters of USCC_ALPHABET, positions 3–8 digits (the
    registering authority's area code), and the check digit (python-stdnum's
    `uscc.calc_check_digit`). Positions 1–2 may be letters: 登记管理部门 A (军队), N (农业: 村集体
    经济组织, N2…) and Y (其他) exist, which python-stdnum's `uscc.validate` refuses, so it is
    not used for the format. Whether the code was ever issued is not checked.
    """
    number = normalise_number(raw).replace("-", "")
    if not number:
        return Checked.bad("请填写统一社会信用代码")
    if len(number) == 15 and _digits(number):
        return Checked.bad("15 位是旧的工商注册号；请录入 18 位统一社会信用代码（见营业执照）")
    if len(number) != 18:
        return Checked.bad(f"统一社会信用代码应为 18 位，现在是 {len(number)} 位")
    for position, ch in enumerate(number, start=1):
        if ch in _LOOKS_LIKE:
            return Checked.bad(
                f"第 {position} 位是字母 {ch}：统一社会信用代码不用 I、O、Z、S、V"
                f"（是数字 {_LOOKS_LIKE[ch]} 吗？）"
            )
        if ch not in USCC_ALPHABET:
            return Checked.bad(
                "统一社会信用代码只能包含数字和大写字母（不用 I、O、Z、S、V），"
                f"第 {position} 位是“{ch}”"
            )
    letter = next((i for i in range(2, 8) if not number[i].isdigit()), None)
    if letter is not None:
        return Checked.bad(
            f"第 3–8 位是登记机关的行政区划代码，只能是数字，第 {letter + 1} 位是 {number[letter]}"
        )
    expected = uscc.calc_check_digit(number)
    if number[-1] != expected:
        return Checked.bad(
            f"统一社会信用代码校验位不对（按前 17 位算，最后一位应为 {expected}），请逐位核对"
        )
    return Checked(value=number)
