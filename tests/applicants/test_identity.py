"""Applicant checks: ID numbers of every type, 统一社会信用代码, phones, names and addresses.

Valid numbers are built here with small reference implementations of GB 11643's ISO 7064
MOD 11-2 and GB 32100's MOD 31, written from the standards and independent of python-stdnum.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric

from counter_tui.applicants import (
    DEFAULT_ID_TYPE,
    ID_TYPES,
    SEXES,
    check_address,
    check_id_number,
    check_name,
    check_phone,
    check_uscc,
    id_type_label,
)
from counter_tui.applicants.identity import (
    HK_MACAO_PERMIT,
    PASSPORT,
    PERMANENT_RESIDENCE_CARD,
    RESIDENT_ID_CARD,
    TAIWAN_PERMIT,
    normalise_number,
)

TODAY = date(2026, 3, 1)


def gb11643_check(body: str) -> str:
    """ISO 7064 MOD 11-2 over 17 digits: weights 2^(18-i) mod 11, result 10 written as X."""
    total = sum(int(d) * pow(2, 18 - i, 11) for i, d in enumerate(body, start=1))
    return "10X98765432"[total % 11]


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def gb32100_check(body: str) -> str:
    """GB 32100: weights 3^(i-1) mod 31, check = 31 - (sum mod 31), 31 written as 0."""
    total = sum(USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    return USCC_CHARS[(31 - total % 31) % 31]


def resident_id(region: str, born: str, sequence: str = "123") -> str:
    body = region + born + sequence
    return body + gb11643_check(body)


def check(raw: str, id_type: str = RESIDENT_ID_CARD) -> str | None:
    """The problem for `raw`, None if it passes."""
    return check_id_number(id_type, raw, today=TODAY).problem


# --------------------------------------------------------------------------- the references


def test_the_reference_implementations_agree_with_published_samples() -> None:
    assert gb11643_check("11010519491231002") == "X"  # GB 11643-1999's own example
    assert gb32100_check("91110000600037341") == "L"  # python-stdnum's documented sample


# --------------------------------------------------------------------------- the code set


def test_the_id_types_are_the_customary_codes_with_chinese_labels() -> None:
    assert ID_TYPES == {
        "111": "居民身份证",
        "516": "港澳居民来往内地通行证",
        "511": "台湾居民来往大陆通行证",
        "553": "外国人永久居留身份证",
        "414": "护照",
    }
    assert DEFAULT_ID_TYPE == "111"
    assert id_type_label("516") == "港澳居民来往内地通行证"
    assert id_type_label("999") == "999"


def test_an_unknown_id_type_is_a_problem_not_a_crash() -> None:
    assert check("12345678", "999") == "未知的证件类型代码：999"


# --------------------------------------------------------------------------- 居民身份证


def test_a_valid_resident_id_gives_its_birth_date_and_sex() -> None:
    result = check_id_number(RESIDENT_ID_CARD, "11010519491231002X", today=TODAY)

    assert result.ok
    assert result.value == "11010519491231002X"
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex == "2"
    assert SEXES[result.sex] == "女"
    assert check_id_number(RESIDENT_ID_CARD, resident_id("420202", "19900101", "011")).sex == "1"


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",  # lower-case x
        "１１０１０５１９４９１２３１００２Ｘ",  # full width, as some input methods type it
        " 110105 19491231 002x ",
        "110105\u300019491231002X",  # ideographic space
        "1101051949\u200b1231002X",  # a zero-width space pasted from a web page
    ],
)
def test_a_resident_id_is_normalised(raw: str) -> None:
    assert check_id_number(RESIDENT_ID_CARD, raw, today=TODAY).value == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "请填写居民身份证号码"),
        ("   ", "请填写居民身份证号码"),
        ("11010519491231002", "身份证号码应为 18 位，现在是 17 位"),
        ("1101051949123100211", "身份证号码应为 18 位，现在是 19 位"),
        ("1101051949123100X", "身份证号码应为 18 位，现在是 17 位"),
        ("A1010519491231002X", "身份证号码只能包含数字，最后一位可以是 X"),
        ("110105194912310X2X", "身份证号码只能包含数字，最后一位可以是 X"),
        ("11010519491231002Y", "身份证号码只能包含数字，最后一位可以是 X"),
        ("110105-19491231-002X", "身份证号码只能包含数字，最后一位可以是 X"),
        ("张三", "身份证号码只能包含数字，最后一位可以是 X"),
        ("110105491231002", "这是 15 位的旧身份证号码，请录入 18 位公民身份号码（见二代身份证）"),
        (resident_id("110105", "20230230"), "出生日期 2023-02-30 不存在"),
        (resident_id("110105", "19901301"), "出生日期 1990-13-01 不存在"),
        (resident_id("110105", "19900100"), "出生日期 1990-01-00 不存在"),
        (resident_id("110105", "20260302"), "出生日期 2026-03-02 在未来"),
        (
            "110105194912310021",
            "身份证号码校验位不对（按前 17 位算，最后一位应为 X），请逐位核对",
        ),
        (
            "420202199001011234",
            "身份证号码校验位不对（按前 17 位算，最后一位应为 1），请逐位核对",
        ),
        (resident_id("110199", "19900101"), "前 6 位 110199 不是已知的行政区划代码，请核对"),
        (resident_id("720000", "19900101"), "前 6 位 720000 不是已知的行政区划代码，请核对"),
        (
            resident_id("911000", "19900101"),
            "9 开头的 18 位号码是外国人永久居留身份证号码，请改选证件类型",
        ),
        (
            resident_id("810000", "19900101"),
            "81、82、83 开头的是港澳台居民居住证号码，不是居民身份证；"
            "请改选港澳或台湾居民的通行证，录入通行证号码",
        ),
    ],
)
def test_a_bad_resident_id_says_what_is_wrong(raw: str, problem: str) -> None:
    assert check(raw) == problem


def test_the_birth_date_may_be_today_but_not_tomorrow() -> None:
    assert check(resident_id("110105", TODAY.strftime("%Y%m%d"))) is None
    tomorrow = (TODAY + timedelta(days=1)).strftime("%Y%m%d")
    assert check(resident_id("110105", tomorrow)) is not None


def test_without_a_date_given_the_check_uses_the_system_date() -> None:
    result = check_id_number(RESIDENT_ID_CARD, resident_id("110105", "29990101"))
    assert result.problem == "出生日期 2999-01-01 在未来"


def test_a_county_created_after_the_birth_year_is_accepted() -> None:
    """python-stdnum refuses 通州区 (110112, created 1997) for someone born in 1990, but a person
    born then whose first card was issued there has exactly this number."""
    number = resident_id("110112", "19900101")
    assert not ric.is_valid(number)
    assert check(number) is None
    assert check(resident_id("110103", "19800101")) is None  # 崇文区, abolished 2010


# --------------------------------------------------------------------------- other documents


@pytest.mark.parametrize(
    ("id_type", "raw", "value"),
    [
        (HK_MACAO_PERMIT, "H12345678", "H12345678"),
        (HK_MACAO_PERMIT, "m 1234 5678", "M12345678"),
        (TAIWAN_PERMIT, "01234567", "01234567"),
        (TAIWAN_PERMIT, "０１２３４５６７", "01234567"),
        (PERMANENT_RESIDENCE_CARD, "usa110074110419", "USA110074110419"),
        (PASSPORT, "e12345678", "E12345678"),
        (PASSPORT, "EA1234567", "EA1234567"),
        (PASSPORT, "G1234", "G1234"),
        (PASSPORT, "A" * 17, "A" * 17),
    ],
)
def test_other_documents_accept_their_formats(id_type: str, raw: str, value: str) -> None:
    result = check_id_number(id_type, raw, today=TODAY)
    assert (result.value, result.problem, result.note) == (value, None, None)


def test_the_new_permanent_residence_card_is_checked_like_a_resident_id() -> None:
    body = "91560019900101012"
    number = body + gb11643_check(body)
    assert check(number.lower(), PERMANENT_RESIDENCE_CARD) is None
    wrong = "0" if number[-1] != "0" else "1"
    assert check(body + wrong, PERMANENT_RESIDENCE_CARD) == (
        f"永居证号码校验位不对（按前 17 位算，最后一位应为 {number[-1]}），请逐位核对"
    )


def test_an_old_hong_kong_macao_pass_number_is_accepted_with_a_note() -> None:
    result = check_id_number(HK_MACAO_PERMIT, "h1234567801", today=TODAY)
    assert result.value == "H1234567801"
    assert result.note == (
        "这是 1999 年版通行证的 11 位号码（末 2 位为换证次数）；如持新版证件，请录入新证号码"
    )


HK_FORMAT = "港澳居民来往内地通行证号码应为 H（香港）或 M（澳门）加 8 位数字"


@pytest.mark.parametrize(
    ("id_type", "raw", "problem"),
    [
        (HK_MACAO_PERMIT, "", "请填写港澳居民来往内地通行证号码"),
        (HK_MACAO_PERMIT, "H1234567", f"{HK_FORMAT}，现在字母后是 7 位"),
        (HK_MACAO_PERMIT, "12345678", f"{HK_FORMAT}：开头缺少字母 H 或 M"),
        (HK_MACAO_PERMIT, "K12345678", HK_FORMAT),
        (HK_MACAO_PERMIT, "H1234567X", HK_FORMAT),
        (
            TAIWAN_PERMIT,
            "1234567801(B)",
            "这是 2008 年以前的旧台胞证号码；现行号码是 8 位终身号，即前 8 位 12345678",
        ),
        (
            TAIWAN_PERMIT,
            "1234567801",
            "这是 2008 年以前的旧台胞证号码；现行号码是 8 位终身号，即前 8 位 12345678",
        ),
        (TAIWAN_PERMIT, "1234567", "台湾居民来往大陆通行证号码应为 8 位数字，现在是 7 位"),
        (TAIWAN_PERMIT, "T1234567", "台湾居民来往大陆通行证号码只能是 8 位数字"),
        (
            PERMANENT_RESIDENCE_CARD,
            resident_id("110105", "19900101"),
            "新版永居证号码以 9 开头；1–8 开头的是居民身份证号码，请改选证件类型",
        ),
        (
            PERMANENT_RESIDENCE_CARD,
            "US1110074110419",
            "永居证号码格式不对：新版为 9 开头的 18 位（最后一位可以是 X），"
            "旧版为 3 个字母加 12 位数字",
        ),
        (
            PERMANENT_RESIDENCE_CARD,
            "USA11007411041",
            "永居证号码应为 18 位（新版，9 开头）或 15 位（旧版，3 个字母加 12 位数字），"
            "现在是 14 位",
        ),
        (PASSPORT, "E1234", None),
        (PASSPORT, "E123", "护照号码应为 5–17 位字母或数字，现在是 4 位"),
        (PASSPORT, "A" * 18, "护照号码应为 5–17 位字母或数字，现在是 18 位"),
        (PASSPORT, "E1234-5678", "护照号码只能包含字母和数字，不能有“-”"),
    ],
)
def test_a_bad_document_number_says_what_is_wrong(
    id_type: str, raw: str, problem: str | None
) -> None:
    assert check(raw, id_type) == problem


def test_a_birth_date_before_1900_passes_with_a_warning_to_confirm() -> None:
    # A valid number (records of the deceased exist): not refused, but the clerk must confirm.
    checked = check_id_number(RESIDENT_ID_CARD, "440524188001010014", today=TODAY)
    assert checked.ok and checked.value == "440524188001010014"
    assert checked.birth_date == date(1880, 1, 1)
    assert checked.warning == "出生日期 1880-01-01 早于 1900 年：请核对证件，无误后确认"
    # A bad check digit is still a problem, whatever the year.
    bad = check_id_number(RESIDENT_ID_CARD, "440524188001010015", today=TODAY)
    assert bad.problem is not None and "校验位" in bad.problem
    assert check_id_number(RESIDENT_ID_CARD, resident_id("110105", "19000101")).warning is None


# --------------------------------------------------------------------------- properties

REGIONS = ["110105", "110112", "420202", "421202", "650102", "440305", "110103", "330106"]
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
valid_ids = st.builds(
    lambda region, born, sequence: resident_id(region, born.strftime("%Y%m%d"), f"{sequence:03}"),
    st.sampled_from(REGIONS),
    birth_dates,
    st.integers(min_value=0, max_value=999),
)


@given(number=valid_ids)
def test_any_well_formed_resident_id_passes(number: str) -> None:
    result = check_id_number(RESIDENT_ID_CARD, number.lower(), today=TODAY)

    assert result.value == number
    assert result.birth_date is not None
    assert result.birth_date.strftime("%Y%m%d") == number[6:14]
    assert result.sex == ("1" if int(number[16]) % 2 else "2")


@given(
    number=valid_ids,
    position=st.integers(min_value=0, max_value=16),
    digit=st.text("0123456789", min_size=1, max_size=1),
)
def test_one_wrong_digit_is_always_caught(number: str, position: int, digit: str) -> None:
    assume(number[position] != digit)
    typo = number[:position] + digit + number[position + 1 :]
    assert check(typo) is not None


@given(
    number=st.sampled_from(REGIONS).flatmap(
        lambda r: st.builds(
            lambda born, seq: r + born.strftime("%Y%m%d") + f"{seq:03}",
            birth_dates,
            st.integers(0, 999),
        )
    )
)
def test_what_python_stdnum_accepts_is_accepted(number: str) -> None:
    for last in "0123456789X":
        if ric.is_valid(number + last):
            assert check(number + last) is None


@given(id_type=st.sampled_from([*ID_TYPES, "", "999"]), raw=st.text())
def test_a_check_never_raises_and_normalising_twice_changes_nothing(id_type: str, raw: str) -> None:
    result = check_id_number(id_type, raw, today=TODAY)

    assert (result.value is None) != (result.problem is None)
    if result.value is not None:
        assert check_id_number(id_type, result.value, today=TODAY).value == result.value
    assert normalise_number(normalise_number(raw)) == normalise_number(raw)


# --------------------------------------------------------------------------- 统一社会信用代码


def uscc(body: str) -> str:
    return body + gb32100_check(body)


@pytest.mark.parametrize(
    "raw",
    [
        "91110000600037341L",
        "91110000600037341l",
        "9111 0000 6000 3734 1L",
        "91110000-600037341-L",
        "９１１１００００６０００３７３４１Ｌ",
    ],
)
def test_a_valid_uscc_is_normalised(raw: str) -> None:
    assert check_uscc(raw).value == "91110000600037341L"


@pytest.mark.parametrize(
    "body",
    [
        "N2370883MA1234567",  # 村级集体经济组织 (登记管理部门 N 农业): python-stdnum refuses these
        "Y1110000MA0012345",  # 登记管理部门 Y 其他
        "A1110000MA0012345",  # 军队事业单位
        "12420202MB1234567",  # 机关
        "52420202MJ1234567",  # 民办非企业单位
        "92420202MA4ABCDE1",  # 个体工商户
    ],
)
def test_codes_of_every_registering_department_pass(body: str) -> None:
    assert check_uscc(uscc(body)).value == uscc(body)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "请填写统一社会信用代码"),
        ("91110000600037341", "统一社会信用代码应为 18 位，现在是 17 位"),
        ("91110000600037341LL", "统一社会信用代码应为 18 位，现在是 19 位"),
        (
            "420202000012345",
            "15 位是旧的工商注册号；请录入 18 位统一社会信用代码（见营业执照）",
        ),
        (
            "9111000060003734OL",
            "第 17 位是字母 O：统一社会信用代码不用 I、O、Z、S、V（是数字 0 吗？）",
        ),
        (
            "9I110000600037341L",
            "第 2 位是字母 I：统一社会信用代码不用 I、O、Z、S、V（是数字 1 吗？）",
        ),
        (
            "91110000600037341V",
            "统一社会信用代码只能包含数字和大写字母（不用 I、O、Z、S、V），第 18 位是“V”",
        ),
        (
            "9111000060003734*L",
            "统一社会信用代码只能包含数字和大写字母（不用 I、O、Z、S、V），第 17 位是“*”",
        ),
        (
            "91110A00600037341L",
            "第 3–8 位是登记机关的行政区划代码，只能是数字，第 6 位是 A",
        ),
        (
            "91110000600037341A",
            "统一社会信用代码校验位不对（按前 17 位算，最后一位应为 L），请逐位核对",
        ),
    ],
)
def test_a_bad_uscc_says_what_is_wrong(raw: str, problem: str) -> None:
    assert check_uscc(raw).problem == problem


valid_usccs = st.builds(
    lambda head, area, org: uscc(head + area + org),
    st.text(USCC_CHARS, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_CHARS, min_size=9, max_size=9),
)


@given(code=valid_usccs, position=st.integers(0, 17), char=st.sampled_from(USCC_CHARS))
def test_a_valid_uscc_passes_and_one_wrong_character_is_caught(
    code: str, position: int, char: str
) -> None:
    assert check_uscc(code.lower()).value == code
    assume(code[position] != char)
    assert not check_uscc(code[:position] + char + code[position + 1 :]).ok


@given(raw=st.text())
def test_the_uscc_check_never_raises_and_is_idempotent(raw: str) -> None:
    result = check_uscc(raw)
    if result.value is not None:
        assert check_uscc(result.value).value == result.value


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("0710-1234567", "0710-1234567"),
        ("07103456789", "0710-3456789"),
        ("(0710) 3456789", "0710-3456789"),
        ("010-88888888", "010-88888888"),
        ("02188888888", "021-88888888"),
        ("0755 8888 8888", "0755-88888888"),
        ("+86 10 8888 8888", "010-88888888"),
        ("+86 710 3456789", "0710-3456789"),
        ("0710-3456789 转 123", "0710-3456789转123"),
        ("0710-3456789分机12", "0710-3456789转12"),
        ("0710-3456789 ext. 8", "0710-3456789转8"),
        ("0710-3456789#8", "0710-3456789转8"),
        ("0710-3456789-123", "0710-3456789转123"),
        ("400-123-4567", "400-123-4567"),
        ("8001234567", "800-123-4567"),
        ("400 123 4567 转 2", "400-123-4567转2"),
    ],
)
def test_phone_numbers_are_recognised_and_normalised(raw: str, value: str) -> None:
    result = check_phone(raw)
    assert (result.value, result.problem) == (value, None)


def test_a_number_abroad_is_accepted_by_length_with_a_note() -> None:
    result = check_phone("+852 9123 4567")
    assert (result.value, result.note) == ("+85291234567", "境外号码，只核对了位数")
    assert check_phone("00852 9123 4567").value == "+85291234567"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "请填写联系电话"),
        ("1381234567", "手机号应为 11 位，现在是 10 位"),
        ("138123456789", "手机号应为 11 位，现在是 12 位"),
        ("12812345678", "手机号应以 13–19 开头，现在是 12"),
        ("13812345678 转 1", "手机号不能带分机号"),
        ("3456789", "固定电话请带区号，如 0710-1234567"),
        ("88888888", "固定电话请带区号，如 0710-1234567"),
        ("0710-345678", "固定电话区号后应为 7 或 8 位，现在是 6 位"),
        ("0710-345678901", "固定电话区号后应为 7 或 8 位，现在是 9 位"),
        ("0710-0345678", "固定电话号码（区号 0710 之后）不能以 0 开头"),
        ("400-123-456", "400 电话应为 10 位，现在是 9 位"),
        ("12345", "手机号应为 11 位，现在是 5 位"),
        ("56789", "无法识别的电话号码：手机号为 11 位；固定电话请带区号，如 0710-1234567"),
        ("138l2345678", "电话号码里不能有“l”（只写数字，分机可写“转 123”）"),
        ("138+12345678", "“+”只能写在国家代码前，如 +86 138 1234 5678"),
        ("+1 234", "境外电话应为国家或地区代码加号码，共 6–15 位数字"),
    ],
)
def test_a_bad_phone_says_what_is_wrong(raw: str, problem: str) -> None:
    assert check_phone(raw).problem == problem


@given(raw=st.text())
def test_the_phone_check_never_raises_and_is_idempotent(raw: str) -> None:
    result = check_phone(raw)
    if result.value is not None:
        assert check_phone(result.value).value == result.value


@given(raw=st.text("0123456789 -+()转#", max_size=20))
def test_phone_normalisation_is_idempotent_on_phone_like_text(raw: str) -> None:
    result = check_phone(raw)
    if result.value is not None:
        assert check_phone(result.value).value == result.value


# --------------------------------------------------------------------------- names, address


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("张三", "张三"),
        ("  欧阳 小明 ", "欧阳 小明"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("李〇", "李〇"),
        ("John O’Brien-Smith", "John O'Brien-Smith"),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("José Müller", "José Müller"),
        ("Иван Петров", "Иван Петров"),
        ("张\u202e三", "张三"),  # a bidi override, stripped at the boundary
        ("张\x07三", "张三"),
    ],
)
def test_person_names_are_cleaned_and_accepted(raw: str, value: str) -> None:
    assert check_name(raw).value == value


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "请填写姓名"),
        ("\x1b\x07", "请填写姓名"),
        ("张3", "姓名里不能有“3”（可用汉字、字母和间隔号 ·）"),
        ("[b]王五[/b]", "姓名里不能有“[”（可用汉字、字母和间隔号 ·）"),
        ("张三（代办）", "姓名里不能有“(”（可用汉字、字母和间隔号 ·）"),
        ("··", "姓名里至少要有一个汉字或字母"),
        ("张" * 51, "姓名不能超过 50 个字，现在是 51 个"),
    ],
)
def test_a_bad_person_name_says_what_is_wrong(raw: str, problem: str) -> None:
    assert check_name(raw).problem == problem


def test_the_label_names_the_field() -> None:
    assert check_name("", label="法定代表人").problem == "请填写法定代表人"


def test_organisation_names_allow_digits_and_brackets() -> None:
    name = "襄阳市58同城（湖北）信息技术有限公司"
    assert check_name(name, organisation=True).value == name
    assert check_name("", organisation=True).problem == "请填写单位名称"
    assert check_name("123", organisation=True).problem == "单位名称里至少要有一个汉字或字母"
    assert check_name("厂" * 101, organisation=True).problem == (
        "单位名称不能超过 100 个字，现在是 101 个"
    )
    assert check_name("厂" * 100, organisation=True).ok


def test_addresses_are_one_clean_line() -> None:
    assert (
        check_address(" 湖北省襄阳市\n襄城区  檀溪路 1 号 ").value
        == "湖北省襄阳市 襄城区 檀溪路 1 号"
    )
    assert check_address("[red]x[/red]").value == "[red]x[/red]"  # data, rendered literally
    assert check_address("").problem == "请填写地址"
    assert check_address("路" * 201).problem == "地址不能超过 200 个字，现在是 201 个"


@given(raw=st.text(), organisation=st.booleans())
def test_the_name_check_never_raises_and_is_idempotent(raw: str, organisation: bool) -> None:
    result = check_name(raw, organisation=organisation)
    if result.value is not None:
        assert check_name(result.value, organisation=organisation).value == result.value
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in result.value)
