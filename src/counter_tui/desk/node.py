"""`Desk`: one node opened from the settings, with its doors."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from counter_tui.db import make_engine, read_session, translated
from counter_tui.desk.records import NodeInfo
from counter_tui.errors import UserError
from counter_tui.schema import require_head
from counter_tui.settings import Settings
from counter_tui.site.service import node, site_name
from counter_tui.sync.models import SyncLink

if TYPE_CHECKING:
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
    from counter_tui.desk.reports import ReportsDoor
    from counter_tui.desk.statistics import StatisticsDoor
    from counter_tui.desk.sync import SyncDoor

#: Why a node half rebuilt from its hub is not opened: its own chain is partial, and a step
#: recorded now would chain on the wrong event (desk/restore.py finishes it without a Desk).
RESTORE_UNFINISHED = (
    "本机从中心的恢复尚未完成，暂不能使用：请再次运行 counter-tui sync restore --hub 中心地址 "
    "--code 登记码 完成恢复"
)


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
                link = session.get(SyncLink, 1)
                if link is not None and link.restoring:
                    raise UserError(RESTORE_UNFINISHED)
        except BaseException:
            self.engine.dispose()
            raise

    # Each door is made, and its module imported, when first used: a command such as
    # `users list` opens one door, and importing all fourteen cost it more than half a second
    # of its start. The app opens them all at once (`open_doors`).

    @cached_property
    def accounts(self) -> AccountsDoor:
        from counter_tui.desk.accounts import AccountsDoor

        return AccountsDoor(self.engine, self.node, self.settings)

    @cached_property
    def catalog(self) -> CatalogDoor:
        from counter_tui.desk.catalog import CatalogDoor

        return CatalogDoor(self.engine, self.node, self.settings)

    @cached_property
    def intake(self) -> IntakeDoor:
        from counter_tui.desk.intake import IntakeDoor

        return IntakeDoor(self.engine, self.node, self.settings)

    @cached_property
    def cases(self) -> CasesDoor:
        from counter_tui.desk.cases import CasesDoor

        return CasesDoor(self.engine, self.node, self.settings)

    @cached_property
    def queue(self) -> QueueDoor:
        from counter_tui.desk.queue import QueueDoor

        return QueueDoor(self.engine, self.node, self.settings)

    @cached_property
    def calendar(self) -> CalendarDoor:
        from counter_tui.desk.calendar import CalendarDoor

        return CalendarDoor(self.engine, self.node, self.settings)

    @cached_property
    def reports(self) -> ReportsDoor:
        from counter_tui.desk.reports import ReportsDoor

        return ReportsDoor(self.engine, self.node, self.settings)

    @cached_property
    def statistics(self) -> StatisticsDoor:
        from counter_tui.desk.statistics import StatisticsDoor

        return StatisticsDoor(self.engine, self.node, self.settings)

    @cached_property
    def sync(self) -> SyncDoor:
        from counter_tui.desk.sync import SyncDoor

        return SyncDoor(self.engine, self.node, self.settings)

    @cached_property
    def files(self) -> FileSyncDoor:
        from counter_tui.desk.files import FileSyncDoor

        return FileSyncDoor(self.engine, self.node, self.settings)

    @cached_property
    def hub(self) -> HubDoor:
        from counter_tui.desk.hub import HubDoor

        return HubDoor(self.engine, self.node, self.settings)

    @cached_property
    def feedback(self) -> FeedbackDoor:
        from counter_tui.desk.feedback import FeedbackDoor

        return FeedbackDoor(self.engine, self.node, self.settings)

    @cached_property
    def pad(self) -> PadDoor:
        from counter_tui.desk.pad import PadDoor

        return PadDoor(self.engine, self.node, self.settings)

    @cached_property
    def hard_cases(self) -> HardCasesDoor:
        from counter_tui.desk.hard_cases import HardCasesDoor

        return HardCasesDoor(self.engine, self.node, self.settings)

    def open_doors(self) -> None:
        """Make every door now: the app does so in the worker that opened the node, so that
        no screen pays for an import when the clerk first presses its key."""
        for name, member in vars(Desk).items():
            if isinstance(member, cached_property):
                getattr(self, name)

    def close(self) -> None:
        self.engine.dispose()


def open_desk(settings: Settings) -> Desk:
    return Desk(settings)
