"""What every door shares: the node's engine, who the node is, and its settings."""

from __future__ import annotations

from sqlalchemy import Engine

from counter_tui.desk.records import NodeInfo
from counter_tui.settings import Settings
from counter_tui.workdays.sla import SupervisionPolicy


class Door:
    """One group of calls on one node. Each call opens its own short session."""

    def __init__(self, engine: Engine, node: NodeInfo, settings: Settings) -> None:
        self.engine = engine
        self.node = node
        self.settings = settings

    def policy(self) -> SupervisionPolicy:
        """When a case is 提醒 or 黄牌, from the settings."""
        supervision = self.settings.supervision
        return SupervisionPolicy(supervision.reminder_days, supervision.yellow_grace_days)
