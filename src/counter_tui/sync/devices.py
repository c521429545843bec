"""A site's replaced devices at the hub, and the fork they reveal (docs/sync.md, "Recovery").

A site's chain must be written on one PC. When its device is replaced — `sync restore` on a new
PC after the old one died, or any new registration — the old token stops working. If the old PC
was not dead after all (repaired, or the restore was made while it still ran), what it writes
from then on forks the site's chain: the hub refuses it with a reason a person can act on (409,
"restored on another PC"), not the "invalid token" of a stranger, and the county admin sees the
fork once per device as a sync problem naming it: when it was registered, last seen, and how
many events it tried to push since.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import Session, select

from counter_tui.clock import to_local
from counter_tui.ids import new_id
from counter_tui.sync.models import HubSite, SyncDevice, SyncProblem
from counter_tui.sync.store import problem


def token_digest(token: str) -> str:
    """What the hub keeps of a device token: its SHA-256 (256 random bits need no slow hash)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


FORK = "fork"


class Forked(Exception):
    """A request made with a replaced device's token (HTTP 409). `reason` is for the caller;
    `events` is how many events the request tried to push, if it was a push."""

    def __init__(self, device_id: str, reason: str) -> None:
        super().__init__(reason)
        self.device_id = device_id
        self.reason = reason
        self.events = 0


def retire(session: Session, site: HubSite, now: datetime) -> SyncDevice | None:
    """Keep `site`'s current device as replaced, before a new token takes its place."""
    if not site.token_hash:
        return None
    held = session.exec(select(SyncDevice).where(SyncDevice.token_hash == site.token_hash)).first()
    if held is not None:
        return held
    device = SyncDevice(
        id=new_id(),
        site=site.site,
        token_hash=site.token_hash,
        public_key=str(getattr(site, "public_key", "") or ""),
        registered_at=site.registered_at,
        retired_at=now,
        last_seen_at=site.last_seen_at,
    )
    session.add(device)
    return device


def retired_device(session: Session, token: str) -> SyncDevice | None:
    """The replaced device `token` belonged to, if it is one."""
    if not token:
        return None
    digest = token_digest(token)
    return session.exec(select(SyncDevice).where(SyncDevice.token_hash == digest)).first()


def retired_key(session: Session, site: str, public_key: str) -> SyncDevice | None:
    """The replaced device of `site` whose signing key `public_key` was (a bundle it signed)."""
    if not public_key:
        return None
    query = select(SyncDevice).where(SyncDevice.site == site, SyncDevice.public_key == public_key)
    return session.exec(query).first()


def refusal(session: Session, device: SyncDevice) -> Forked:
    """What a replaced device is told, in one Chinese line."""
    current = session.get(HubSite, device.site)
    since = current.registered_at if current and current.registered_at else device.retired_at
    return Forked(
        device.id,
        f"站点 {device.site} 已于 {_minute(since)} 在另一台电脑上恢复，这台电脑的记录与中心分叉，"
        "不再接受；请联系县级管理员",
    )


def report_fork(session: Session, device_id: str, events: int, now: datetime) -> None:
    """Record that a replaced device knocked: one sync problem per device, its count of refused
    events kept up to date."""
    device = session.get(SyncDevice, device_id, with_for_update=True)
    if device is None:
        return
    device.refused_events += events
    detail = (
        f"站点 {device.site} 已被替换的设备 {device.id}（登记于 {_minute(device.registered_at)}，"
        f"替换前最后联系 {_minute(device.last_seen_at)}，{_minute(device.retired_at)} 被替换）"
        f"仍在请求同步，已拒绝；它尝试推送 {device.refused_events} 条事件。"
        "两台电脑在用同一个站点编码：请确认哪一台在用，停用另一台"
    )
    found = session.get(SyncProblem, device.problem_id) if device.problem_id else None
    if found is None:
        found = problem(session, device.site, FORK, detail, now)
        device.problem_id = found.id
    else:
        found.detail = detail
        session.add(found)
    session.add(device)


def _minute(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else "从未"
