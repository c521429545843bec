"""Pure rules of the journal: the hybrid logical clock and the hash chain."""

from __future__ import annotations

import hashlib
import json
from typing import Any

#: prev_hash of a site's first event.
GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """The one serialisation hashed and stored: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(
    *, id: str, site: str, actor: str, hlc: str, type: str, payload: str, prev_hash: str
) -> str:
    body = canonical_json(
        {
            "id": id,
            "site": site,
            "actor": actor,
            "hlc": hlc,
            "type": type,
            "payload": payload,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# A hybrid logical clock stamp is "<wall ms, 13 digits>.<counter, 5 digits>": it sorts as text,
# never goes backwards, and keeps a site's order even when the PC's clock is set back.


def format_hlc(wall_ms: int, counter: int) -> str:
    return f"{wall_ms:013d}.{counter:05d}"


def parse_hlc(stamp: str) -> tuple[int, int]:
    wall, counter = stamp.split(".")
    return int(wall), int(counter)


def next_hlc(last: str | None, now_ms: int) -> str:
    """The stamp for a new local event, after `last` (the site's previous stamp)."""
    if last is None:
        return format_hlc(now_ms, 0)
    last_wall, last_counter = parse_hlc(last)
    if now_ms > last_wall:
        return format_hlc(now_ms, 0)
    return format_hlc(last_wall, last_counter + 1)


def hlc_wall_ms(stamp: str) -> int:
    return parse_hlc(stamp)[0]
