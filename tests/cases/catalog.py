"""A test catalog for intake: the small catalog of tests/catalog/helpers.py plus F-5
食品经营许可证核发, whose five materials cover every material mode the checklist knows.

The intake service tests and the intake screen tests both use `write_intake_catalog`; keep the
codes, names and limits stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from counter_tui.accounts.service import create_user
from counter_tui.actor import Actor
from counter_tui.catalog.loader import load_catalog
from counter_tui.catalog.service import import_catalog
from counter_tui.db import write_session
from counter_tui.workdays.service import ensure_seeded
from tests.catalog.helpers import KINDS, write_catalog
from tests.conftest import Node

F5 = "F-5"
F5_NAME = "食品经营许可证核发"
#: F-5's committed limit in working days.
F5_COMMITTED_DAYS = 10
F5_LEGAL_DAYS = 20

#: F-5's materials, by kind: (name, mode).
F5_MATERIALS = {
    "application": ("申请书", "required"),
    "resident_id": ("法定代表人身份证", "required"),
    "business_licence": ("营业执照", "exempt"),
    "floor_plan": ("经营场所平面图", "deferrable"),
    "health_certificate": ("从业人员健康证明", "deferrable"),
}

INTAKE_KINDS = (
    KINDS
    + """
[[kind]]
code = "floor_plan"
name = "经营场所平面图"

[[kind]]
code = "health_certificate"
name = "健康证明"
"""
)

F5_ITEM = """\
code = "F-5"
name = "食品经营许可证核发"
aliases = ["食品经营许可", "餐饮许可"]
department = "SCJG"
type = "01"
service_objects = ["2"]
levels = ["county", "town"]
legal_basis = "《中华人民共和国食品安全法》第三十五条"
conditions = "具有与经营的食品品种、数量相适应的经营场所"
legal_limit_days = 20
committed_limit_days = 10
trips = 1
fee = "不收费"
steps = ["受理", "审查", "决定", "制证"]
location = "区政务服务中心市场监管窗口"
hours = "工作日 9:00-17:00"
phone = "0710-1234568"
supervision_phone = "0710-12345"

[[materials]]
id = "form"
name = "申请书"
kind = "application"
originals = 1
copies = 0
mode = "required"

[[materials]]
id = "rep_id"
name = "法定代表人身份证"
kind = "resident_id"
originals = 1
copies = 1
mode = "required"

[[materials]]
id = "licence"
name = "营业执照"
kind = "business_licence"
originals = 0
copies = 0
electronic = true
mode = "exempt"
source = "电子证照库"

[[materials]]
id = "plan"
name = "经营场所平面图"
kind = "floor_plan"
originals = 1
copies = 0
mode = "deferrable"

[[materials]]
id = "health"
name = "从业人员健康证明"
kind = "health_certificate"
originals = 0
copies = 1
mode = "deferrable"
issuer = "疾病预防控制中心"
"""


def write_intake_catalog(root: Path) -> Path:
    """The test catalog (S-1, T-1, YJS-KB) with F-5 added; returns `root`."""
    return write_catalog(
        root,
        **{"material_kinds.toml": INTAKE_KINDS, "items/SCJG/F-5.toml": F5_ITEM},
    )


@dataclass(frozen=True)
class Hall:
    """A node ready for intake: the intake catalog, the calendar, a clerk and an approver."""

    node: Node
    #: 李四, role clerk.
    clerk: Actor
    #: 王审批, role approver of SCJG.
    approver: Actor

    @property
    def engine(self) -> Engine:
        return self.node.engine


def open_hall(node: Node, root: Path, *, catalog: Path | None = None) -> Hall:
    """Import a catalog (the intake catalog, written under `root`, unless `catalog` names the
    folder of another), seed the working-day calendar and create the clerk 李四 and the approver
    王审批 of SCJG (password secret123)."""
    catalog = load_catalog(catalog or write_intake_catalog(root))
    with write_session(node.engine) as session:
        import_catalog(session, node.operator, catalog)
        ensure_seeded(session, node.operator)
        clerk = create_user(
            session,
            node.operator,
            username="li",
            display_name="李四",
            role="clerk",
            password="secret123",
        )
        approver = create_user(
            session,
            node.operator,
            username="wang",
            display_name="王审批",
            role="approver",
            password="secret123",
            department="SCJG",
        )
    return Hall(
        node,
        Actor(username="li", role="clerk", site=node.site, user_id=clerk.id),
        Actor(
            username="wang",
            role="approver",
            site=node.site,
            user_id=approver.id,
            department="SCJG",
        ),
    )
