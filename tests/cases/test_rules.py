"""Intake rules, pure: case numbers, what each material may be marked, what blocks acceptance,
deferral deadlines, and the applicant's fields checked with a message at each field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.cases import rules
from counter_tui.cases.intake import (
    COMMITTED,
    DEFERRED,
    EXEMPT,
    MISSING,
    ORGANISATION,
    PENDING,
    RECEIVED,
    Agent,
    Intake,
    Mark,
    Party,
)
from counter_tui.catalog.loader import load_catalog
from counter_tui.catalog.model import Catalog, Material
from counter_tui.catalog.rules import checklist
from counter_tui.site.rules import site_code_problem
from tests.cases.catalog import F5, write_intake_catalog

TODAY = date(2026, 9, 30)
DUE = date(2026, 10, 23)

#: Valid numbers (check digits computed; regions of Xiangyang).
ID_ZHANG = "420602198503151231"
USCC_OK = "91420600MA4F123453"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return load_catalog(write_intake_catalog(tmp_path_factory.mktemp("catalog")))


def f5_material(catalog: Catalog, kind: str) -> Material:
    return next(m for m in catalog.items[F5].materials if m.kind == kind)


def f5_lines(catalog: Catalog, intake: Intake) -> list[rules.MarkedLine]:
    return rules.marked(checklist([catalog.items[F5]]), intake)


def person(**change: str) -> Party:
    fields = {"name": "张三", "id_number": ID_ZHANG, "phone": "13812345678"}
    return Party(**(fields | change))


# --- case numbers --------------------------------------------------------------------------


def test_a_case_number_is_the_site_code_the_day_and_a_four_digit_sequence() -> None:
    assert rules.case_number("421202-XA-BYQ", date(2026, 11, 22), 7) == "421202-XA-BYQ-261122-0007"
    assert rules.case_number("421202-XA-BYQ", date(2026, 1, 2), 123) == "421202-XA-BYQ-260102-0123"
    assert rules.case_number("421202", date(2026, 11, 22), 1) == "421202-261122-0001"


def test_two_counties_sites_with_the_same_letters_number_apart() -> None:
    """Before issue 14 both were XA-BYQ-20261122-0001: one province hub held two such cases."""
    day = date(2026, 11, 22)
    assert rules.case_number("421202-XA-BYQ", day, 1) != rules.case_number("420606-XA-BYQ", day, 1)


def test_the_number_stem_is_the_number_without_its_sequence() -> None:
    stem = rules.number_stem("421202-XA-BYQ", date(2026, 11, 22))
    assert stem == "421202-XA-BYQ-261122-"
    assert rules.case_number("421202-XA-BYQ", date(2026, 11, 22), 42).startswith(stem)


def old_number(site: str, day: date, sequence: int) -> str:
    """How numbers were given before issue 14: the site code less its division code."""
    head, _, rest = site.partition("-")
    return f"{rest or head}-{day:%Y%m%d}-{sequence:04d}"


site_codes = st.from_regex(r"\A\d{6}(-[A-Z0-9]{1,12}){0,4}\Z").filter(
    lambda code: site_code_problem(code) is None
)
days = st.dates(date(2000, 1, 1), date(2099, 12, 31))
sequences = st.integers(1, 9999)


@given(site_codes, days, sequences, site_codes, days, sequences)
def test_new_numbers_are_unique_and_never_equal_an_old_one(
    site: str, day: date, n: int, other: str, other_day: date, m: int
) -> None:
    new = rules.case_number(site, day, n)
    assert new != old_number(other, other_day, m)
    assert len(new) <= 64  # cases.number
    if (site, day, n) != (other, other_day, m):
        assert new != rules.case_number(other, other_day, m)


# --- what each material may be marked ------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("application", {RECEIVED, MISSING}),
        ("resident_id", {RECEIVED, MISSING}),
        ("business_licence", {RECEIVED, MISSING, EXEMPT}),
        ("floor_plan", {RECEIVED, MISSING, DEFERRED}),
        ("health_certificate", {RECEIVED, MISSING, DEFERRED}),
    ],
)
def test_each_material_allows_only_what_its_mode_permits(
    catalog: Catalog, kind: str, allowed: set[str]
) -> None:
    assert set(rules.allowed_statuses(f5_material(catalog, kind))) == allowed


def test_commitment_is_allowed_only_for_a_commitment_material(catalog: Catalog) -> None:
    required = f5_material(catalog, "application")
    promised = Material(
        id="x", name="无犯罪记录证明", kind="x", originals=1, copies=0, mode="commitment"
    )

    assert COMMITTED in rules.allowed_statuses(promised)
    assert rules.status_refusal(promised, COMMITTED) is None
    assert rules.status_refusal(required, COMMITTED) == "“申请书”不适用告知承诺"


def test_a_status_outside_the_mode_is_refused_with_the_materials_name(catalog: Catalog) -> None:
    form = f5_material(catalog, "application")
    plan = f5_material(catalog, "floor_plan")

    assert rules.status_refusal(form, DEFERRED) == "“申请书”不可容缺：目录未将其列为可容缺材料"
    assert rules.status_refusal(plan, EXEMPT) == "“经营场所平面图”不可免提交：目录未列共享数据来源"
    assert rules.status_refusal(plan, DEFERRED) is None
    assert rules.status_refusal(plan, PENDING) is None
    assert rules.status_refusal(plan, "lost") == "未知的材料状态：lost"


def test_an_exempt_material_is_exempt_until_marked_and_the_rest_pending(catalog: Catalog) -> None:
    lines = {line.material.kind: line for line in f5_lines(catalog, Intake(entry_code=F5))}

    assert lines["business_licence"].status == EXEMPT
    assert lines["business_licence"].label == "免提交"
    assert lines["business_licence"].settled
    assert {k for k, line in lines.items() if line.status == PENDING} == {
        "application",
        "resident_id",
        "floor_plan",
        "health_certificate",
    }
    assert lines["application"].label == "未核"


def test_settle_marks_writes_the_default_exempt_mark_into_the_intake(catalog: Catalog) -> None:
    intake = Intake(entry_code=F5).with_mark("application", Mark(RECEIVED, original_seen=True))
    settled = rules.settle_marks(intake, f5_lines(catalog, intake))

    assert settled.marks["business_licence"].status == EXEMPT
    assert settled.marks["application"] == Mark(RECEIVED, original_seen=True)
    assert settled.marks["floor_plan"].status == PENDING


# --- what blocks acceptance ----------------------------------------------------------------


def complete(**marks: Mark) -> Intake:
    intake = Intake(entry_code=F5, applicant=person())
    base = {
        "application": Mark(RECEIVED, original_seen=True),
        "resident_id": Mark(RECEIVED, original_seen=True, copies_kept=1),
        "floor_plan": Mark(RECEIVED),
        "health_certificate": Mark(RECEIVED, copies_kept=1),
    }
    for kind, mark in (base | marks).items():
        intake = intake.with_mark(kind, mark)
    return intake


def test_a_complete_intake_has_no_acceptance_problem(catalog: Catalog) -> None:
    assert rules.acceptance_problems(f5_lines(catalog, complete()), DUE, TODAY) == []


def test_every_unsettled_material_is_named_in_one_problem(catalog: Catalog) -> None:
    intake = complete(application=Mark(PENDING), health_certificate=Mark(MISSING, note="过期"))
    lines = f5_lines(catalog, intake)

    problems = rules.acceptance_problems(lines, DUE, TODAY)

    assert problems == ["材料未齐，不能受理：申请书、从业人员健康证明（可出具一次性告知书）"]
    assert [line.material.name for line in rules.unsettled(lines)] == [
        "申请书",
        "从业人员健康证明",
    ]


def test_a_deferred_and_an_exempt_material_do_not_block_acceptance(catalog: Catalog) -> None:
    intake = complete(floor_plan=Mark(DEFERRED, until=date(2026, 10, 15)))
    assert rules.acceptance_problems(f5_lines(catalog, intake), DUE, TODAY) == []


def test_a_material_marked_against_its_mode_blocks_acceptance(catalog: Catalog) -> None:
    intake = complete(application=Mark(DEFERRED, until=date(2026, 10, 15)))

    problems = rules.acceptance_problems(f5_lines(catalog, intake), DUE, TODAY)

    assert "“申请书”不可容缺：目录未将其列为可容缺材料" in problems


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (None, "“经营场所平面图”容缺：请填写补交期限"),
        (TODAY, "“经营场所平面图”容缺：补交期限应晚于今天"),
        (date(2026, 9, 1), "“经营场所平面图”容缺：补交期限应晚于今天"),
        (
            date(2026, 10, 24),
            "“经营场所平面图”容缺：补交期限不得晚于承诺办结日期 2026-10-23",
        ),
    ],
)
def test_a_deferral_needs_a_deadline_after_today_and_by_the_due_date(
    catalog: Catalog, until: date | None, message: str
) -> None:
    plan = f5_material(catalog, "floor_plan")
    assert rules.deferral_problem(plan, until, due=DUE, today=TODAY) == message

    intake = complete(floor_plan=Mark(DEFERRED, until=until))
    assert rules.acceptance_problems(f5_lines(catalog, intake), DUE, TODAY) == [message]


@pytest.mark.parametrize("until", [date(2026, 10, 1), DUE])
def test_a_deferral_deadline_from_tomorrow_to_the_due_date_is_fine(
    catalog: Catalog, until: date
) -> None:
    plan = f5_material(catalog, "floor_plan")
    assert rules.deferral_problem(plan, until, due=DUE, today=TODAY) is None


def test_the_situation_answer_adds_the_authorisation_to_what_must_be_settled(
    catalog: Catalog,
) -> None:
    item = catalog.items["S-1"]
    intake = (
        Intake(entry_code="S-1", applicant=person())
        .with_mark("application", Mark(RECEIVED))
        .with_mark("resident_id", Mark(RECEIVED))
    )
    plain = rules.marked(checklist([item], intake.answer_map()), intake)
    agent = intake.with_answer("S-1", "agent", "委托代理人")
    with_agent = rules.marked(checklist([item], agent.answer_map()), agent)

    assert rules.acceptance_problems(plain, None, TODAY) == []
    assert rules.acceptance_problems(with_agent, None, TODAY) == [
        "材料未齐，不能受理：授权委托书（可出具一次性告知书）"
    ]


# --- the applicant's fields ----------------------------------------------------------------


def check(applicant: Party, agent: Agent | None = None) -> rules.CheckedParties:
    return rules.check_parties(applicant, agent, today=TODAY)


def test_good_parties_pass_and_are_normalised() -> None:
    checked = check(
        person(name=" 张三 ", id_number="420602 1985 0315 1231", phone="138 1234 5678"),
        Agent(
            name="李四",
            id_number="420606199001010025",
            phone="0710-1234567",
            authorisation=" 授权委托书 ",
        ),
    )

    assert checked.problems == {}
    assert checked.applicant.name == "张三"
    assert checked.applicant.id_number == ID_ZHANG
    assert checked.applicant.phone == "13812345678"
    assert checked.agent is not None
    assert checked.agent.authorisation == "授权委托书"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("420602198503151230", "身份证号码校验位不对（按前 17 位算，最后一位应为 1），请逐位核对"),
        ("420602198502301234", "出生日期 1985-02-30 不存在"),
        ("42060219850315123", "身份证号码应为 18 位，现在是 17 位"),
        ("42060219850315AB31", "身份证号码只能包含数字，最后一位可以是 X"),
        ("", "请填写居民身份证号码"),
    ],
)
def test_a_bad_id_number_is_reported_at_its_field_and_kept_as_typed(
    number: str, message: str
) -> None:
    checked = check(person(id_number=number))

    assert checked.problems == {"applicant.id_number": message}
    assert checked.applicant.id_number == number


def test_a_bad_agent_id_is_reported_at_the_agents_field() -> None:
    agent = Agent(
        name="李四", id_number="420606199001010026", phone="13912345678", authorisation="委托书"
    )
    checked = check(person(), agent)

    assert set(checked.problems) == {"agent.id_number"}
    assert "校验位不对" in checked.problems["agent.id_number"]
    assert checked.agent is not None and checked.agent.id_number == "420606199001010026"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("1381234567", "手机号应为 11 位，现在是 10 位"),
        ("12812345678", "手机号应以 13–19 开头，现在是 12"),
        ("138-1234-567a", "电话号码里不能有“a”（只写数字，分机可写“转 123”）"),
        ("", "请填写联系电话"),
    ],
)
def test_a_bad_phone_is_reported_and_kept_as_typed(phone: str, message: str) -> None:
    checked = check(person(phone=phone))

    assert checked.problems == {"applicant.phone": message}
    assert checked.applicant.phone == phone


def test_a_missing_name_is_reported_at_the_name() -> None:
    checked = check(person(name="  "))
    assert checked.problems == {"applicant.name": "请填写姓名"}


def test_every_bad_field_is_reported_at_once() -> None:
    checked = check(person(name="", id_number="123", phone="1"))
    assert set(checked.problems) == {"applicant.name", "applicant.id_number", "applicant.phone"}


def organisation(**change: str) -> Party:
    fields = {
        "kind": ORGANISATION,
        "name": "襄阳市好味道餐饮有限公司",
        "uscc": USCC_OK,
        "legal_rep": "王五",
        "legal_rep_id_number": "420606199001010025",
        "phone": "0710-3456789",
        "id_number": "stale",
    }
    return Party(**(fields | change))


def test_a_good_organisation_passes_and_is_found_by_its_code() -> None:
    checked = check(organisation())

    assert checked.problems == {}
    assert checked.applicant.key == ("uscc", USCC_OK)
    assert checked.applicant.id_number == ""


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "91420600MA4F123454",
            "统一社会信用代码校验位不对（按前 17 位算，最后一位应为 3），请逐位核对",
        ),
        ("91420600MA4F1234", "统一社会信用代码应为 18 位，现在是 16 位"),
        ("", "请填写统一社会信用代码"),
    ],
)
def test_an_organisation_with_a_bad_code_is_reported_at_the_code(code: str, message: str) -> None:
    checked = check(organisation(uscc=code))

    assert checked.problems == {"applicant.uscc": message}
    assert checked.applicant.uscc == code


def test_an_organisation_needs_its_legal_representative() -> None:
    checked = check(organisation(legal_rep=""))
    assert checked.problems == {"applicant.legal_rep": "请填写法定代表人"}


def test_an_organisation_needs_its_representatives_document_checked_like_a_persons() -> None:
    checked = check(organisation(legal_rep_id_number=""))
    assert checked.problems == {"applicant.legal_rep_id_number": "请填写法定代表人的居民身份证号码"}
    checked = check(organisation(legal_rep_id_type="516", legal_rep_id_number="h12345678"))
    assert checked.problems == {}
    assert checked.applicant.legal_rep_id_number == "H12345678"
    # A person's form never keeps a representative's number.
    assert check(person(legal_rep_id_number="x")).applicant.legal_rep_id_number == ""


def test_an_agent_without_an_authorisation_is_refused_at_that_field() -> None:
    agent = Agent(name="李四", id_number="420606199001010025", phone="13912345678")
    checked = check(person(), agent)

    assert checked.problems == {"agent.authorisation": "代办须有授权：请填写授权委托书等授权材料"}


def test_an_agent_needs_a_name_and_a_phone() -> None:
    agent = Agent(id_number="420606199001010025", phone="12", authorisation="授权委托书")
    checked = check(person(), agent)

    assert checked.problems["agent.name"] == "请填写代办人姓名"
    assert set(checked.problems) == {"agent.name", "agent.phone"}
    assert checked.agent is not None and checked.agent.phone == "12"


def test_every_problem_is_at_a_field_the_form_knows() -> None:
    agent = Agent(name="", id_number="1", phone="", authorisation="")
    person_problems = check(person(name="", id_number="1", phone="", address=" "), agent)
    org_problems = check(organisation(name="", uscc="1", legal_rep=""))

    fields = set(person_problems.problems) | set(org_problems.problems)
    assert fields <= set(rules.APPLICANT_FIELDS)
    assert len(fields) >= 8


# --- the clerk's keys on the checklist -----------------------------------------------------


def f5_line(catalog: Catalog, kind: str, intake: Intake | None = None) -> rules.MarkedLine:
    return next(
        line for line in f5_lines(catalog, intake or Intake()) if line.material.kind == kind
    )


def test_received_means_the_original_seen_and_the_guides_copies_kept(catalog: Catalog) -> None:
    # 法定代表人身份证: one original to see, one copy to keep.
    rep_id = rules.mark_as(f5_line(catalog, "resident_id"), RECEIVED, due=DUE)
    assert rep_id == Mark(RECEIVED, original_seen=True, copies_kept=1)
    # 从业人员健康证明: a copy only, no original to see.
    health = rules.mark_as(f5_line(catalog, "health_certificate"), RECEIVED, due=DUE)
    assert health == Mark(RECEIVED, original_seen=False, copies_kept=1)


def test_a_deferral_runs_to_the_due_date_unless_a_deadline_was_set(catalog: Catalog) -> None:
    fresh = rules.mark_as(f5_line(catalog, "floor_plan"), DEFERRED, due=DUE)
    assert fresh == Mark(DEFERRED, until=DUE)

    earlier = date(2026, 10, 9)
    intake = Intake().with_mark("floor_plan", Mark(DEFERRED, until=earlier))
    again = rules.mark_as(f5_line(catalog, "floor_plan", intake), DEFERRED, due=DUE)
    assert again.until == earlier


def test_a_mark_keeps_the_note_and_drops_what_belongs_to_another_status(
    catalog: Catalog,
) -> None:
    intake = Intake().with_mark("floor_plan", Mark(DEFERRED, until=DUE, note="复印件不清"))
    line = f5_line(catalog, "floor_plan", intake)

    received = rules.mark_as(line, RECEIVED, due=DUE)
    missing = rules.mark_as(line, MISSING, due=DUE)

    assert received == Mark(RECEIVED, original_seen=True, note="复印件不清")
    assert missing == Mark(MISSING, note="复印件不清")


def test_all_received_marks_only_what_is_not_yet_checked(catalog: Catalog) -> None:
    intake = (
        Intake()
        .with_mark("floor_plan", Mark(DEFERRED, until=DUE))
        .with_mark("application", Mark(MISSING, note="未签字"))
    )
    marks = rules.all_received(f5_lines(catalog, intake))

    # The 营业执照 is exempt by default, the floor plan deferred, the application marked 缺.
    assert set(marks) == {"resident_id", "health_certificate"}
    assert marks["resident_id"] == Mark(RECEIVED, original_seen=True, copies_kept=1)


def test_the_answer_key_goes_round_the_options_from_the_one_in_force(catalog: Catalog) -> None:
    (situation,) = catalog.items["S-1"].situations
    # No answer and no default: the first option.
    assert rules.next_answer(situation, None) == "本人办理"
    assert rules.next_answer(situation, "本人办理") == "委托代理人"
    assert rules.next_answer(situation, "委托代理人") == "本人办理"
    # An answer that is no option starts again at the first.
    assert rules.next_answer(situation, "不知道") == "本人办理"
    # With a default, the key moves on from the default.
    with_default = replace(situation, default="本人办理")
    assert rules.next_answer(with_default, None) == "委托代理人"


def test_the_marked_checklist_follows_the_situation_answers(catalog: Catalog) -> None:
    item = catalog.items["S-1"]
    alone = Intake(entry_code="S-1").with_answer("S-1", "agent", "本人办理")
    agent = Intake(entry_code="S-1").with_answer("S-1", "agent", "委托代理人")

    def kinds(intake: Intake) -> set[str]:
        return {line.material.kind for line in rules.marked_checklist([item], intake)}

    assert kinds(agent) - kinds(alone) == {"power_of_attorney"}
