"""Tables of the journal: the events themselves, one head row per site, and the sequence."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

#: Event statuses (docs/sync.md, "Tables"): only `applied` events are in the projections.
APPLIED = "applied"
UNKNOWN = "unknown"
QUARANTINED = "quarantined"
REJECTED = "rejected"
#: Stored at a hub, in its site's chain, not yet applied (sync.applier applies it).
PENDING = "pending"


class Event(SQLModel, table=True):
    """One immutable event. `payload` is canonical JSON; `hash` covers the fields from `id` to
    `prev_hash`. The fields after `hash` are this database's own bookkeeping, outside the hash:
    where it stored the event, what it did with it, who else must see it."""

    __tablename__ = "event"

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(index=True, max_length=64)
    actor: str = Field(max_length=128)
    hlc: str = Field(index=True, max_length=32)
    type: str = Field(max_length=64)
    payload: str
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    #: The order in which this database applied (or decided not to apply) its events: commit
    #: order (journal_sequence). None while an event waits at a hub to be applied.
    seq: int | None = Field(default=None, sa_type=BigInteger, unique=True, index=True)
    #: The case the event is about (payload.case_id), for routing and for rebuilding one case.
    subject: str | None = Field(default=None, max_length=36, index=True)
    #: Which site must see it: a site code, "*" for every site, None for none (sync/routing.py).
    audience: str | None = Field(default=None, max_length=64, index=True)
    status: str = Field(default=APPLIED, max_length=12, index=True)
    #: Why an event is not applied (unknown type, the handler's error, the conflict lost).
    note: str = ""
    #: When this database stored an event made elsewhere (None for its own).
    received_at: datetime | None = None


class JournalHead(SQLModel, table=True):
    """The last event of each site: the chain's tip and the site's hybrid logical clock."""

    __tablename__ = "journal_head"

    site: str = Field(primary_key=True, max_length=64)
    last_hlc: str = Field(max_length=32)
    last_hash: str = Field(max_length=64)
    count: int = 0


class JournalSequence(SQLModel, table=True):
    """The last `event.seq` this database gave. Every append takes this row FOR UPDATE
    (PostgreSQL; SQLite's write lock already serialises), so `seq` is commit order: a reader
    that has seen `seq = n` has seen every event stored before it (a hub's pull cursor)."""

    __tablename__ = "journal_sequence"

    id: int = Field(default=1, primary_key=True)
    last_seq: int = 0
