"""Each notice says what the law and the clerk need it to say (DOMAIN.md: Acceptance law,
Notices), with personal numbers masked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from counter_tui.cases.intake import DEFERRED, PENDING, Mark
from counter_tui.notices import compose
from counter_tui.notices.content import Fields, Notice, Signatures, Table, from_json, to_json
from counter_tui.notices.text import render_text

from .factory import (
    DEFERRED_PLACE,
    ID_NUMBER,
    ISSUED_AT,
    ISSUER,
    MISSING_PHOTO,
    PHONE,
    RECEIVED_ID,
    case,
    facts,
    item,
    lines,
    material,
    organisation_intake,
    person_intake,
)


def fields(notice: Notice) -> dict[str, str]:
    return {k: v for b in notice.blocks if isinstance(b, Fields) for k, v in b.rows}


def tables(notice: Notice) -> list[Table]:
    return [b for b in notice.blocks if isinstance(b, Table)]


def text_of(notice: Notice) -> str:
    return render_text(notice, 200)


def marked_case(**changes: object):  # type: ignore[no-untyped-def]
    intake = person_intake(居民身份证=RECEIVED_ID, 场所证明=DEFERRED_PLACE, 照片=MISSING_PHOTO)
    return case(intake, **changes)


def test_receipt_names_what_the_law_requires() -> None:
    notice = compose.receipt(facts(marked_case()))

    got = fields(notice)
    assert notice.number == "421202-XA-BYQ-261123-0007-SL" and notice.issuer == ISSUER
    assert got["申请人"] == "张小三"
    assert got["办件编号"] == "421202-XA-BYQ-261123-0007"
    assert got["受理时间"] == "2026年11月23日 10:05"
    assert got["承诺时限"] == "3 个工作日" and got["办结期限"] == "2026年11月26日前"
    assert got["承办部门"] == "襄城区市场监督管理局" and got["受理人"] == "李窗口"
    assert (got["咨询电话"], got["监督投诉电话"]) == ("0710-3512345", "0710-12345")
    assert notice.blocks[-1] == Signatures(("（受理专用章）", "2026年11月23日"))


def test_receipt_masks_numbers_but_prints_the_name() -> None:
    text = text_of(compose.receipt(facts(marked_case())))

    assert "张小三" in text and "4206**********1234" in text and "138****5678" in text
    assert ID_NUMBER not in text and PHONE not in text


def test_receipt_lists_received_and_deferred_materials_apart() -> None:
    notice = compose.receipt(facts(marked_case()))

    received, deferred = tables(notice)
    assert received.rows == (
        ("经营者身份证明", "原件 1 份、复印件 1 份", "原件已核验、留存复印件 1 份"),
    )
    assert deferred.rows[0][:2] == ("经营场所使用证明", "2026年11月25日前")
    assert "原件 1 份、复印件 2 份" in deferred.rows[0][2]


def test_receipt_of_an_instant_item_says_so_and_has_no_due_date() -> None:
    notice = compose.receipt(facts(marked_case(committed_days=0, due=date(2026, 11, 23))))

    assert "即办件：当场办结" in text_of(notice)
    assert "办结期限" not in fields(notice)


def test_receipt_marks_a_provisional_due_date() -> None:
    notice = compose.receipt(facts(marked_case(due=date(2027, 1, 5), due_unofficial_years=(2027,))))

    assert "暂定：2027 年的放假安排尚未正式公布" in text_of(notice)


def test_a_bundle_names_its_items_and_every_phone_once() -> None:
    other = item("JHDJ", name="结婚登记", department="MZJ", phone="0710-3512345")
    bundle = marked_case(
        entry_kind="bundle", entry_name="开办小店一件事", item_codes=("GTGSH", "JHDJ")
    )
    notice = compose.receipt(
        facts(bundle, lines(item(), other), items={"GTGSH": item(), "JHDJ": other})
    )

    assert fields(notice)["包含事项"] == "个体工商户设立登记、结婚登记"
    assert fields(notice)["咨询电话"] == "0710-3512345"


def test_an_organisation_shows_its_code_legal_representative_and_agent() -> None:
    notice = compose.receipt(facts(case(organisation_intake())))

    got = fields(notice)
    assert got["申请人"] == "襄阳市小三商贸有限公司"
    assert got["统一社会信用代码"] == "9142**********3456"
    assert got["法定代表人"] == "张小三"
    assert got["代办人"] == "王代办"
    assert got["代办人证件"] == "居民身份证 4206**********4321"
    assert got["授权委托"] == "授权委托书（2026年11月20日）"


def test_one_time_notice_lists_every_material_and_what_is_missing_once() -> None:
    photo = material("photo", "经营者近期免冠照片", "照片", copies=0, issuer="照相馆")
    shared = material("lic", "营业执照", "营业执照", mode="exempt")
    guide = item(materials=(*item().materials[:3], photo, shared))
    notice = compose.one_time_notice(facts(marked_case(), lines(guide), items={"GTGSH": guide}))

    lacking, every = tables(notice)[:2]
    assert [row[0] for row in every.rows] == [
        "经营者身份证明",
        "个体工商户登记申请书",
        "经营场所使用证明",
        "经营者近期免冠照片",
        "营业执照",
    ]
    assert every.rows[0][:3] == ("经营者身份证明", "原件 1 份、复印件 1 份", "公安机关")
    # Pending and missing, with the clerk's note; an exempt material is never demanded.
    assert lacking.rows == (
        ("个体工商户登记申请书", "原件 1 份", "", "未提交"),
        ("经营者近期免冠照片", "原件 1 份", "照相馆", "照片为彩色打印件，不符合要求"),
    )
    text = text_of(notice)
    for expected in ("第三十二条", "一次性告知", "《促进个体工商户发展条例》第八条", "1. 申请"):
        assert expected in text
    assert fields(notice)["收费标准"] == "不收费"
    assert fields(notice)["办理地点"] == "襄城区政务服务中心一楼 3 号窗口"
    assert "申请人（签字）：" in notice.blocks[-1].lines  # type: ignore[union-attr]


def test_refusal_gives_reasons_competent_agency_and_rights() -> None:
    refused = marked_case(
        refusal_reasons="申请人不具备经营资格\n经营范围属于禁止类",
        competent_agency="襄阳市市场监督管理局",
    )
    notice = compose.refusal(facts(refused))

    text = text_of(notice)
    assert notice.number.endswith("-BY")
    assert "申请人不具备经营资格" in text and "经营范围属于禁止类" in text
    assert "本事项不属于本机关职权范围，请向 襄阳市市场监督管理局 申请" in text
    assert "六十日内依法申请行政复议" in text and "六个月内依法向人民法院提起行政诉讼" in text
    assert "（受理专用章）" in text


def test_refusal_without_another_agency_does_not_send_the_applicant_away() -> None:
    notice = compose.refusal(facts(marked_case(refusal_reasons="材料虚假")))

    assert "职权范围" not in text_of(notice)


def test_deferral_is_two_copies_with_deadline_way_and_consequence() -> None:
    intake = organisation_intake().with_mark("场所证明", DEFERRED_PLACE)
    notice = compose.deferral(facts(case(intake)))

    assert notice.copies == 2 and notice.number.endswith("-RQ")
    (deferred,) = tables(notice)
    name, until, how = deferred.rows[0]
    assert (name, until) == ("经营场所使用证明", "2026年11月25日前")
    assert ISSUER in how and "原件 1 份、复印件 2 份" in how
    text = text_of(notice)
    assert "承诺" in text and "终止办理" in text
    signatures = notice.blocks[-1]
    assert isinstance(signatures, Signatures)
    assert signatures.lines[:3] == ("申请人（签字）：", "代办人（签字）：", "窗口人员（签字）：")


def test_deferral_without_an_agent_has_no_agent_signature() -> None:
    notice = compose.deferral(facts(marked_case()))

    assert "代办人（签字）：" not in notice.blocks[-1].lines  # type: ignore[union-attr]


def test_termination_lists_only_lapsed_deferred_materials() -> None:
    later = Mark(DEFERRED, until=date(2026, 12, 20))
    intake = person_intake(场所证明=DEFERRED_PLACE, 照片=later, 居民身份证=RECEIVED_ID)
    ended = case(intake, termination_reason="容缺材料逾期未补交：经营场所使用证明")
    notice = compose.termination(facts(ended, issued_at=ISSUED_AT.replace(day=27)))

    (lapsed,) = tables(notice)
    assert lapsed.rows == (("经营场所使用证明", "2026年11月25日前"),)
    text = text_of(notice)
    assert notice.number == "421202-XA-BYQ-261123-0007-ZZ"
    assert "容缺材料逾期未补交：经营场所使用证明" in text
    assert "行政复议" in text and "行政诉讼" in text


def test_a_composed_notice_survives_storage_unchanged() -> None:
    for make in (compose.receipt, compose.one_time_notice, compose.refusal, compose.deferral):
        notice = make(facts(marked_case()))
        assert from_json(to_json(notice)) == notice


def test_a_pending_mark_is_the_same_as_no_mark() -> None:
    unmarked = compose.one_time_notice(facts(case(person_intake())))
    pending = compose.one_time_notice(
        facts(case(replace(person_intake(), marks={"照片": Mark(PENDING)})))
    )

    assert unmarked == pending


CORRECTIONS = [
    ("场所证明", "租赁合同已过期，请提供有效期内的合同"),
    ("居民身份证", "复印件不清晰"),
    ("食品经营许可证", "须提供许可证副本"),
]


def corrected(clock_stops: bool = True, **changes: object) -> Notice:
    return compose.correction(
        facts(marked_case(**changes)),
        corrections=CORRECTIONS,
        deadline=date(2026, 12, 4),
        clock_stops=clock_stops,
    )


def test_correction_lists_every_material_with_its_form_issuer_and_reason() -> None:
    notice = corrected()

    (table,) = tables(notice)
    assert table.headers == ("材料名称", "形式及份数", "出具单位", "补正内容")
    assert table.rows == (
        ("经营场所使用证明", "原件 1 份、复印件 2 份", "", "租赁合同已过期，请提供有效期内的合同"),
        ("经营者身份证明", "原件 1 份、复印件 1 份", "公安机关", "复印件不清晰"),
        # Not on the checklist: listed by its kind, never dropped.
        ("食品经营许可证", "—", "", "须提供许可证副本"),
    )


def test_correction_names_case_deadline_consequence_and_number() -> None:
    notice = corrected()

    got = fields(notice)
    assert notice.number == "421202-XA-BYQ-261123-0007-BZ"
    assert notice.title == "补正材料通知书" and notice.issuer == ISSUER
    assert got["申请人"] == "张小三" and got["办理事项"] == "个体工商户设立登记"
    assert got["办件编号"] == "421202-XA-BYQ-261123-0007"
    assert got["承办部门"] == "襄城区市场监督管理局"
    assert got["补正期限"] == "2026年12月4日前"
    text = text_of(notice)
    assert f"请于2026年12月4日前将上列补正材料提交至{ISSUER}本窗口" in text
    assert "逾期未补正的，本机关将依法作出处理" in text
    assert ID_NUMBER not in text and PHONE not in text


def test_correction_says_whether_the_clock_stops() -> None:
    stopped, running = text_of(corrected(True)), text_of(corrected(False))

    assert "补正期间不计入办理时限，自补正材料提交之日起继续计算" in stopped
    assert "照常计算" not in stopped
    assert "补正期间照常计算办理时限" in running
    assert "不计入办理时限" not in running


def test_correction_is_signed_for_with_the_delivery_time_left_blank() -> None:
    notice = corrected()

    signatures = notice.blocks[-1]
    assert isinstance(signatures, Signatures)
    assert signatures.lines == (
        "申请人（签收）：",
        "窗口人员（签字）：",
        "送达时间：",
        "（受理专用章）",
        "2026年11月23日",
    )
    assert from_json(to_json(notice)) == notice


def test_correction_for_an_organisation_lets_the_agent_sign_for_it() -> None:
    notice = compose.correction(
        facts(case(organisation_intake())),
        corrections=[("照片", "背景须为白色")],
        deadline=date(2026, 12, 4),
        clock_stops=False,
    )

    assert notice.blocks[-1].lines[:2] == ("申请人（签收）：", "代办人（签收）：")  # type: ignore[union-attr]
    assert tables(notice)[0].rows == (("经营者近期免冠照片", "原件 1 份", "", "背景须为白色"),)
