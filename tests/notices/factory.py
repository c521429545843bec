"""A small catalog and cases built in code, so each notice test states what it depends on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from counter_tui.cases.intake import (
    DEFERRED,
    EXEMPT,
    MISSING,
    ORGANISATION,
    RECEIVED,
    Agent,
    Intake,
    Mark,
    Party,
)
from counter_tui.cases.record import ACCEPTED, CaseRecord
from counter_tui.catalog.model import Item, Material
from counter_tui.catalog.rules import ChecklistLine, checklist
from counter_tui.notices.facts import NoticeFacts

ISSUER = "襄城区政务服务中心"
DEPARTMENTS = {"SCJG": "襄城区市场监督管理局", "MZJ": "襄城区民政局"}
ISSUED_AT = datetime(2026, 11, 23, 10, 5)
ID_NUMBER = "420602199001011234"
PHONE = "13812345678"


def material(mid: str, name: str, kind: str, mode: str = "required", **kw: object) -> Material:
    values: dict[str, object] = {"originals": 1, "copies": 1, "issuer": ""} | kw
    return Material(id=mid, name=name, kind=kind, mode=mode, **values)  # type: ignore[arg-type]


def item(code: str = "GTGSH", **changes: object) -> Item:
    base = Item(
        code=code,
        name="个体工商户设立登记",
        department="SCJG",
        type="01",
        service_objects=("1",),
        levels=("county", "town"),
        legal_basis="《促进个体工商户发展条例》第八条",
        conditions="有经营能力的自然人",
        legal_limit_days=15,
        committed_limit_days=3,
        trips=1,
        fee="不收费",
        steps=("申请", "受理", "审查", "决定"),
        location="襄城区政务服务中心一楼 3 号窗口",
        hours="工作日 9:00—17:00",
        phone="0710-3512345",
        supervision_phone="0710-12345",
        materials=(
            material("id", "经营者身份证明", "居民身份证", issuer="公安机关"),
            material("form", "个体工商户登记申请书", "申请书", originals=1, copies=0),
            material("place", "经营场所使用证明", "场所证明", mode="deferrable", copies=2),
            material("photo", "经营者近期免冠照片", "照片", copies=0),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def lines(*items: Item) -> list[ChecklistLine]:
    return checklist(list(items))


def case(intake: Intake | None = None, **changes: object) -> CaseRecord:
    base = CaseRecord(
        id="0190-case",
        number="421202-XA-BYQ-261123-0007",
        site="421202-XA-BYQ",
        state=ACCEPTED,
        intake=intake or person_intake(),
        entry_code="GTGSH",
        entry_name="个体工商户设立登记",
        entry_kind="item",
        item_codes=("GTGSH",),
        department="SCJG",
        clerk="李窗口",
        created_at=ISSUED_AT,
        accepted_at=ISSUED_AT,
        committed_days=3,
        due=date(2026, 11, 26),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def person_intake(**marks: Mark) -> Intake:
    return Intake(
        entry_code="GTGSH",
        applicant=Party(name="张小三", id_number=ID_NUMBER, phone=PHONE),
        marks=marks,
    )


def organisation_intake() -> Intake:
    return Intake(
        entry_code="GTGSH",
        applicant=Party(
            kind=ORGANISATION,
            name="襄阳市小三商贸有限公司",
            id_type="",
            uscc="91420600MA4F123456",
            legal_rep="张小三",
        ),
        agent=Agent(
            name="王代办",
            id_number="420602198802024321",
            phone="13900001111",
            authorisation="授权委托书（2026年11月20日）",
        ),
    )


RECEIVED_ID = Mark(RECEIVED, original_seen=True, copies_kept=1)
DEFERRED_PLACE = Mark(DEFERRED, until=date(2026, 11, 25))
MISSING_PHOTO = Mark(MISSING, note="照片为彩色打印件，不符合要求")
EXEMPT_MARK = Mark(EXEMPT)


def facts(
    record: CaseRecord,
    checklist: list[ChecklistLine] | None = None,
    **changes: object,
) -> NoticeFacts:
    """The facts of a notice for `record`: the one item's checklist, issued at ISSUED_AT."""
    base = NoticeFacts(
        case=record,
        checklist=lines(item()) if checklist is None else checklist,
        items={"GTGSH": item()},
        issuer=ISSUER,
        departments=DEPARTMENTS,
        issued_at=ISSUED_AT,
    )
    return replace(base, **changes)  # type: ignore[arg-type]
