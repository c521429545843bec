"""What the hub keeps of each site's last contact: when, how (online or by file), the site's
clock against the hub's, and the app version it runs — what the county's sync desk shows
(`hub sites`), so a village silent for weeks, a PC clock an hour off, or a room still on an old
version is seen before it causes trouble.

The node says its version in `User-Agent: counter-tui/VERSION` and its clock in
`X-Counter-Time` (ISO 8601, UTC) on every request (sync/client.py); a bundle carries the same
two facts (sync by file). The offset is the node's time minus the hub's, in milliseconds: a
positive offset is a village clock running ahead.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from counter_tui.sync.models import HubSite

#: The header that carries the node's clock when it sent the request.
TIME_HEADER = "X-Counter-Time"
#: The product name in the User-Agent header.
AGENT = "counter-tui"
ONLINE = "online"
FILE = "file"
#: An offset beyond this is nonsense (a clock years off, a forged header): kept as the bound.
OFFSET_BOUND_MS = 10 * 365 * 24 * 3600 * 1000


def user_agent(version: str) -> str:
    return f"{AGENT}/{version}"


def version_of(agent: str | None) -> str:
    """The counter-tui version in a User-Agent header ("" when it is not counter-tui's)."""
    if not agent:
        return ""
    for part in agent.split():
        name, _, version = part.partition("/")
        if name == AGENT and version:
            return "".join(ch for ch in version if ch.isprintable())[:64]
    return ""


def node_time_of(header: str | None) -> datetime | None:
    """The node's clock from its X-Counter-Time header (None when missing or unreadable)."""
    if not header:
        return None
    try:
        moment = datetime.fromisoformat(header.strip()[:64])
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def note_contact(
    session: Session,
    site: str,
    *,
    version: str,
    node_time: datetime | None,
    now: datetime,
    via: str,
) -> None:
    """Record that `site` reached the hub at `now` by `via` ("online" or "file"), running
    `version`, with its clock at `node_time` (None: unknown, the offset kept as it was). An
    unknown site is left alone: the caller has authenticated it already, or refuses it."""
    row = session.get(HubSite, site)
    if row is None:
        return
    row.last_seen_at = now
    row.contact_via = via
    if version:
        row.app_version = version
    if node_time is not None:
        offset = int((_aware(node_time) - _aware(now)).total_seconds() * 1000)
        row.clock_offset_ms = max(-OFFSET_BOUND_MS, min(OFFSET_BOUND_MS, offset))
    session.add(row)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
