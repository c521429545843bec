"""The file-sync door: sync by USB stick when a village has no usable line (docs/sync.md,
"Sync by file").

On the node, `export` writes a signed bundle of the site's events the hub may not hold and
`take_reply` applies the hub's reply; on the hub, `import_bundle` takes a node's export and
writes the reply. The same protocol as online sync underneath (receive_push, pull_for,
take_page), so the two alternate in any order and a repeat changes nothing. Every refusal is a
`BundleRefused`: one Chinese line, nothing applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from counter_tui.actor import Actor
from counter_tui.db import read_session
from counter_tui.desk.door import Door
from counter_tui.desk.hub import not_a_hub
from counter_tui.desk.records import Rejection
from counter_tui.desk.sync import Progress, _rejections, adopt_reference
from counter_tui.errors import PermissionDenied
from counter_tui.sync import files_hub, files_node
from counter_tui.sync.bundle import BundleRefused

__all__ = ["BundleRefused", "Exported", "FileSyncDoor", "Imported", "TakenReply"]


@dataclass(frozen=True)
class Exported:
    """An export bundle written: where, how many events it carries, its size."""

    path: Path
    events: int
    size_bytes: int


@dataclass(frozen=True)
class TakenReply:
    """What a reply bundle did on the node."""

    #: The hub's events applied, already held (a repeat), stored but not applied.
    applied: int
    repeated: int
    flagged: int
    #: This site's own events taken back from the hub (a node restored from an old backup).
    recovered: int
    #: Steps of this site's clerks the hub's order turned down.
    rejections: list[Rejection]
    #: Reference data adopted (事项目录, 工作日历 2027), in Chinese.
    reference: list[str]
    #: This site's events the hub lacked, re-chained after those taken back, and the case
    #: numbers changed because the hub's events used them (old, new).
    rechained: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    """An export taken at the hub, and the reply written for its site."""

    site: str
    #: The export's events stored now, and those the hub held already.
    stored: int
    repeated: int
    #: Events the reply carries for the site.
    sent: int
    reply: Path
    #: The site's own events the reply gives back (a node back from an old backup), whose
    #: export was then not taken: its next export carries its events re-chained after them.
    given_back: int = 0


class FileSyncDoor(Door):
    def export(self, path: Path, progress: Progress | None = None) -> Exported:
        """Write this node's export bundle to `path`. Nothing is marked pushed: a lost stick
        loses nothing (the next export or online round carries the same events)."""
        self._refuse_demo()
        _writable(path)
        written = files_node.write_export(self.engine, self.node.site, path, progress)
        return Exported(path, written.events, written.size_bytes)

    def take_reply(self, path: Path, progress: Progress | None = None) -> TakenReply:
        """Apply the hub's reply bundle at `path` on this node."""
        self._refuse_demo()
        site = self.node.site
        opened = files_node.open_reply(self.engine, site, path)
        newest = files_node.reply_is_newest(self.engine, opened)
        taken = files_node.take_events(self.engine, site, opened, progress)
        reference: list[str] = []
        if newest:
            given = opened.body.get("reference") or {}
            reference = adopt_reference(
                self.engine, site, given.get("digests") or {}, lambda what: given.get(what)
            )
        files_node.take_head(self.engine, site, opened)
        with read_session(self.engine) as session:
            rejections = _rejections(session, taken.rejections)
        return TakenReply(
            applied=taken.applied,
            repeated=taken.repeated,
            flagged=taken.flagged,
            recovered=taken.recovered,
            rejections=rejections,
            reference=reference,
            rechained=taken.rechained,
            renumbered=taken.renumbered,
        )

    def import_bundle(
        self, actor: Actor, path: Path, reply: Path, progress: Progress | None = None
    ) -> Imported:
        """Take a site's export at this hub and write its reply to `reply`."""
        self._require_hub(actor)
        _writable(reply)
        opened = files_hub.open_export(self.engine, self.node.site, path)
        stored = files_hub.store_events(self.engine, self.node.site, opened, progress)
        files_hub.apply_and_note(self.engine, actor, opened)
        sent, own, _size = files_hub.write_reply(
            self.engine, self.node.site, opened, reply, progress
        )
        return Imported(stored.site, stored.stored, stored.repeated, sent, reply, own)

    def _refuse_demo(self) -> None:
        if self.node.demo or self.settings.demo:
            raise BundleRefused("演示（培训）数据库不能同步：其中的数据都是虚构的")

    def _require_hub(self, actor: Actor) -> None:
        if actor.role != "admin":
            raise PermissionDenied("只有管理员可以导入站点的同步文件")
        problem = not_a_hub(self.node.site, self.node.level)
        if problem:
            raise BundleRefused(problem)
        if self.node.demo or self.settings.demo:
            raise BundleRefused("演示（培训）数据库不能作为中心")


def _writable(path: Path) -> None:
    """Refuse, before anything is done, a file that cannot be written where it is asked for."""
    if path.is_dir():
        raise BundleRefused(f"{path} 是文件夹：请给出要写入的文件名")
    if not path.parent.is_dir():
        raise BundleRefused(f"文件夹 {path.parent} 不存在（U 盘是否已插好？）")
