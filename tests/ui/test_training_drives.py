"""The drives of tests/ui/drives.py on a plain demo database (the shipped catalog, the
trainer and one account per role, a morning's tickets): each workflow pressed key by key, then
the journal and the database read back. The training scenarios' tests put the same drives
together; these show that each drive does the real work, whatever a scenario checks."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from counter_tui.actor import Actor
from counter_tui.settings import Settings
from counter_tui.ui.app import make_app
from tests.conftest import HALL
from tests.ui import drives
from tests.ui.conftest import FIXED_NOW, NodeDatabase
from tests.ui.helpers import Clock, Keys, cases_in, payloads

SITE = "000000-DEMO"
PASSWORD = "demo1234"
#: username → (display name, role, department), added to the plain demo database.
ROLES = {
    "clerk": ("窗口小李", "clerk", None),
    "scjg": ("市监审批", "approver", "SCJG"),
    "super": ("督查老赵", "supervisor", None),
}
FOOD = "11420610MB1584263B40100106000"  # 食品经营许可（新办）: 容缺 food_safety_rules
BIRTH = "YJS-CS"  # 新生儿出生一件事
APPLICANT = ("42060219900307123X", "张三", "13812345678")
APPOINTMENT_ID = "420602198503151231"
NOW = FIXED_NOW.replace(tzinfo=HALL)


def build_plain_demo(folder: Path) -> NodeDatabase:
    """The demo database as setup.py builds it, plus the role accounts and, at 09:00-09:15 of
    the fixed day, A001, A002 绿色通道·老年人 and B001, and 张三's appointment at 10:00."""
    from counter_tui.accounts.service import create_user
    from counter_tui.db import make_engine, write_session
    from counter_tui.demo.setup import build_demo_database, demo_settings
    from counter_tui.queue import appointments, commands, config

    build_demo_database(folder)
    settings = demo_settings(folder)
    engine = make_engine(settings.db_url)
    kiosk = Actor(username="kiosk", role="clerk", site=SITE)
    operator = Actor.local_operator(SITE)
    setup = config.to_dict(config.DEFAULT)
    setup["categories"]["A"] |= {"slots": ["10:00-10:30"], "capacity": 4}
    with write_session(engine) as session:
        commands.configure(session, operator, config.from_dict(setup), now=NOW - timedelta(hours=2))
        for username, (name, role, department) in ROLES.items():
            create_user(
                session,
                operator,
                username=username,
                display_name=name,
                role=role,
                department=department,
                password=PASSWORD,
            )
        for category, minute, reason in (("A", 0, ""), ("A", 10, "老年人"), ("B", 15, "")):
            at = NOW.replace(hour=9, minute=minute)
            commands.issue(session, kiosk, category, priority_reason=reason, now=at)
        appointments.book(
            session,
            kiosk,
            "A",
            NOW.date(),
            "10:00-10:30",
            name="张三",
            id_number=APPOINTMENT_ID,
            now=NOW - timedelta(days=1),
        )
    engine.dispose()
    return NodeDatabase(path=folder / "demo.db", settings=settings)


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory: pytest.TempPathFactory) -> NodeDatabase:
    return build_plain_demo(tmp_path_factory.mktemp("plain-demo"))


@pytest.fixture
def demo_node(plain_demo: NodeDatabase, tmp_path: Path) -> NodeDatabase:
    """A private copy (its notices under tmp_path)."""
    from counter_tui.demo.setup import demo_settings

    (tmp_path / "demo.db").write_bytes(plain_demo.path.read_bytes())
    settings: Settings = demo_settings(tmp_path)
    return NodeDatabase(path=tmp_path / "demo.db", settings=settings)


async def test_a_walk_in_accepted_with_a_deferred_material_then_handed_off(
    demo_node: NodeDatabase,
) -> None:
    app = make_app(demo_node.settings, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await drives.sign_in(keys, "clerk", PASSWORD)
        assert await drives.call_next(keys) == "A002"  # 绿色通道 first
        await drives.start_serving(keys)
        await drives.choose_item(keys, "食品经营许可", FOOD)
        await drives.identify(keys, *APPLICANT)
        await drives.answer(keys, FOOD, "online", "否")
        await drives.answer(keys, FOOD, "agent", "本人办理")
        await drives.all_received(keys)
        await drives.mark(keys, {"food_safety_rules": "deferred"})
        number = await drives.accept(keys)
        await drives.hand_off(keys, number)
        await drives.finish_ticket(keys)
    (case,) = cases_in(demo_node)
    assert (case.number, case.state) == (number, "handed_off")
    marks = json.loads(case.intake)["marks"]
    assert marks["food_safety_rules"]["status"] == "deferred"
    (finished,) = payloads(demo_node, "queue.ticket_finished")
    assert finished["outcome"] == "accepted"


PENSION = "11420610MB1620375F40500402000"  # 城乡居民基本养老保险待遇申领


async def test_a_one_time_notice_then_the_return_and_a_refusal_naming_the_agency(
    demo_node: NodeDatabase,
) -> None:
    app = make_app(demo_node.settings, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await drives.sign_in(keys, "clerk", PASSWORD)
        await drives.choose_item(keys, "养老保险待遇", PENSION)
        await drives.identify(keys, *APPLICANT)
        await drives.answer(keys, PENSION, "agent", "本人办理")
        await drives.mark(keys, {"social_security_card": "missing"})
        await drives.all_received(keys)
        notified = await drives.notify(keys)
        await drives.resume(keys, notified)
        await drives.mark(keys, {"social_security_card": "received"})
        assert await drives.accept(keys) == notified
        await drives.choose_item(keys, "食品经营许可", FOOD)
        await drives.identify(keys, "110101199003074514", "李四", "13912345678")
        refused = await drives.refuse(keys, "申请事项不属于本中心受理范围", "襄阳市市场监督管理局")
    states = {case.number: case.state for case in cases_in(demo_node)}
    assert states == {notified: "accepted", refused: "refused"}
    (notice,) = payloads(demo_node, "case.notified")
    assert notice["intake"]["marks"]["social_security_card"]["status"] == "missing"
    (refusal,) = payloads(demo_node, "case.refused")
    assert refusal["competent_agency"] == "襄阳市市场监督管理局"


async def test_a_birth_bundle_accepted_in_one_intake(demo_node: NodeDatabase) -> None:
    app = make_app(demo_node.settings, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await drives.sign_in(keys, "clerk", PASSWORD)
        await drives.choose_item(keys, "新生儿", BIRTH)
        await drives.identify(keys, *APPLICANT)
        await drives.answer_all(keys)
        await drives.all_received(keys)
        number = await drives.accept(keys)
    (accepted,) = payloads(demo_node, "case.accepted")
    assert accepted["number"] == number
    assert (accepted["entry"]["kind"], accepted["entry"]["code"]) == ("bundle", BIRTH)
    assert len(accepted["entry"]["items"]) == 6


async def test_hand_off_claim_correction_papers_approval_and_delivery_by_mail(
    demo_node: NodeDatabase,
) -> None:
    app = make_app(demo_node.settings, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await drives.sign_in(keys, "clerk", PASSWORD)
        await drives.choose_item(keys, "食品经营许可", FOOD)
        await drives.identify(keys, *APPLICANT)
        await drives.answer(keys, FOOD, "online", "否")
        await drives.all_received(keys)
        number = await drives.accept(keys)
        await drives.hand_off(keys, number)
        await drives.sign_in(keys, "scjg", PASSWORD)
        await drives.claim(keys, number)
        await drives.request_correction(keys, "缺少经营者签字")
        await drives.sign_in(keys, "clerk", PASSWORD)
        await drives.corrected_papers(keys, number)
        await drives.sign_in(keys, "scjg", PASSWORD)
        await drives.open_in_worklist(keys, number)
        await drives.approve(keys)
        await drives.sign_in(keys, "clerk", PASSWORD)
        await drives.deliver_by_mail(keys, number, "1234567890123", "襄阳市岘山区长虹路1号")
    (case,) = cases_in(demo_node)
    assert case.state == "delivered"
    (delivered,) = payloads(demo_node, "case.delivered")
    assert delivered["delivery"]["method"] == "mail"
    assert delivered["delivery"]["tracking"] == "1234567890123"
    (correction,) = payloads(demo_node, "case.correction_requested")
    assert correction["corrections"][0][1] == "缺少经营者签字"


async def test_an_appointment_checks_in_and_a_no_show(demo_node: NodeDatabase) -> None:
    app = make_app(demo_node.settings, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await drives.sign_in(keys, "clerk", PASSWORD)
        await drives.check_in(keys, APPOINTMENT_ID)
        assert await drives.call_next(keys) == "A002"
        assert await drives.no_show(keys) == "A002"
    (checked_in,) = payloads(demo_node, "queue.appointment_checked_in")
    (no_show,) = payloads(demo_node, "queue.ticket_no_show")
    assert checked_in["ticket_id"] and no_show["ticket_id"]


async def test_a_bad_ratings_follow_up_closed_by_the_supervisor(demo_node: NodeDatabase) -> None:
    from counter_tui.cases import commands
    from counter_tui.cases.intake import Intake, Party
    from counter_tui.db import make_engine, write_session
    from counter_tui.feedback import ratings

    engine = make_engine(demo_node.settings.db_url)
    clerk = Actor(username="clerk", role="clerk", site=SITE)
    with write_session(engine) as session:
        id_number, name, phone = APPLICANT
        party = Party(name=name, id_number=id_number, phone=phone)
        intake = Intake(entry_code=PENSION, applicant=party)
        case = commands.notify(session, clerk, intake, now=NOW - timedelta(days=3)).case
        ratings.record_rating(
            session, clerk, kind="case", channel="phone", level=5, case=case.number,
            reasons=["slow"], now=NOW - timedelta(days=2),
        )  # fmt: skip
    engine.dispose()
    app = make_app(demo_node.settings, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await drives.sign_in(keys, "super", PASSWORD)
        await drives.follow_up_rating(
            keys, case.number, ("电话回访：属实", "增开窗口", "已电话告知申请人")
        )
    assert [p["note"] for p in payloads(demo_node, "rating.followup_closed")] == [
        "已电话告知申请人"
    ]
