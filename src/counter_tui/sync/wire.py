"""An event as it travels: the fields the hash covers, the payload as a JSON object.

The payload travels as an object (its declared form, docs/events.md) and is stored again in its
canonical JSON, which is exactly what was hashed: a payload altered on the way no longer matches
its hash. The receiving database's own columns (seq, status …) never travel.
"""

from __future__ import annotations

import json
from typing import Any

from counter_tui.journal.models import Event
from counter_tui.journal.rules import canonical_json

#: The protocol version both ends must speak (docs/sync.md).
PROTOCOL = 1
#: The most events one push or one pull answer carries.
BATCH_LIMIT = 500
#: Fields of an event on the wire, in order.
FIELDS = ("id", "site", "actor", "hlc", "type", "payload", "prev_hash", "hash")


class WireError(ValueError):
    """A wire event that is not an event (a field missing or of the wrong kind)."""


def to_wire(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "site": event.site,
        "actor": event.actor,
        "hlc": event.hlc,
        "type": event.type,
        "payload": json.loads(event.payload),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def from_wire(data: dict[str, Any]) -> Event:
    """The Event a wire object describes (not yet stored); WireError when it is not one."""
    fields: dict[str, Any] = dict(checked(data))
    return Event(**fields)


def checked(data: dict[str, Any]) -> dict[str, str]:
    """The hashed fields of a wire object as stored (the payload in its canonical JSON), checked
    for shape; WireError when it is not an event. Plain values: a hub checks 500 of these per
    push, and building model objects would cost more than the check."""
    missing = [name for name in FIELDS if name not in data]
    if missing:
        raise WireError(f"事件缺少字段：{'、'.join(missing)}")
    for name in FIELDS:
        if name != "payload" and not isinstance(data[name], str):
            raise WireError(f"事件字段 {name} 应为字符串")
    if not isinstance(data["payload"], dict):
        raise WireError("事件字段 payload 应为对象")
    limits = {"id": 36, "site": 64, "actor": 128, "hlc": 32, "type": 64}
    for name, limit in limits.items():
        if len(data[name]) > limit:
            raise WireError(f"事件字段 {name} 过长")
    return {
        "id": data["id"],
        "site": data["site"],
        "actor": data["actor"],
        "hlc": data["hlc"],
        "type": data["type"],
        "payload": canonical_json(data["payload"]),
        "prev_hash": data["prev_hash"],
        "hash": data["hash"],
    }
