"""`Desk`: one node opened from the settings, with its doors."""

from __future__ import annotations

from counter_tui.db import make_engine, read_session, translated
from counter_tui.desk.accounts import AccountsDoor
from counter_tui.desk.calendar import CalendarDoor
from counter_tui.desk.cases import CasesDoor
from counter_tui.desk.catalog import CatalogDoor
from counter_tui.desk.feedback import FeedbackDoor
from counter_tui.desk.files import FileSyncDoor
from counter_tui.desk.hard_cases import HardCasesDoor
from counter_tui.desk.hub import HubDoor
from counter_tui.desk.intake import IntakeDoor
from counter_tui.desk.pad import PadDoor
from counter_tui.desk.queue import QueueDoor
from counter_tui.desk.records import NodeInfo
from counter_tui.desk.reports import ReportsDoor
from counter_tui.desk.statistics import StatisticsDoor
from counter_tui.desk.sync import SyncDoor
from counter_tui.schema import require_head
from counter_tui.settings import Settings
from counter_tui.site.service import node, site_name


class Desk:
    """The application layer of one node, for one process (the app, a CLI command, the hub).

    Opening checks the schema is current and reads who the node is; a locked, full or missing
    database says so in Chinese (`DatabaseUnavailable`) instead of a driver's traceback.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.db_url)
        try:
            with translated(self.engine):
                require_head(self.engine)
            with read_session(self.engine) as session:
                me = node(session)
                self.node = NodeInfo(
                    site=me.site,
                    site_name=site_name(session, me.site),
                    demo=me.demo,
                    level=me.level,
                )
        except BaseException:
            self.engine.dispose()
            raise
        doors = (self.engine, self.node, settings)
        self.accounts = AccountsDoor(*doors)
        self.catalog = CatalogDoor(*doors)
        self.intake = IntakeDoor(*doors)
        self.cases = CasesDoor(*doors)
        self.queue = QueueDoor(*doors)
        self.calendar = CalendarDoor(*doors)
        self.reports = ReportsDoor(*doors)
        self.statistics = StatisticsDoor(*doors)
        self.sync = SyncDoor(*doors)
        self.files = FileSyncDoor(*doors)
        self.hub = HubDoor(*doors)
        self.feedback = FeedbackDoor(*doors)
        self.pad = PadDoor(*doors)
        self.hard_cases = HardCasesDoor(*doors)

    def close(self) -> None:
        self.engine.dispose()


def open_desk(settings: Settings) -> Desk:
    return Desk(settings)
