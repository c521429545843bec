"""The tables of sync. None of them is a projection and none of them travels: they describe
this database's link to its hub (a node) or the sites it serves (a hub), like `node` does."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class SyncLink(SQLModel, table=True):
    """A node's link to its hub: written by `sync register`, updated by every sync round. One row.

    The device token is kept here, in the node's own database, because the node must present
    it; the hub keeps only its hash (`HubSite.token_hash`).
    """

    __tablename__ = "sync_link"

    id: int = Field(default=1, primary_key=True)
    hub_url: str = Field(max_length=500)
    #: The hub's own site code and name, as it answered at registration.
    hub_site: str = Field(max_length=64)
    hub_name: str = Field(default="", max_length=200)
    token: str = Field(max_length=128)
    registered_at: datetime
    #: The hub's `seq` of the last event pulled and applied here (stored with those events).
    pull_cursor: int = 0
    #: How many of this site's own events the hub holds, as it last said.
    pushed_count: int = 0
    last_success_at: datetime | None = None
    last_attempt_at: datetime | None = None
    #: The last failure, in Chinese, and when; cleared by a success.
    last_error: str = ""
    last_error_at: datetime | None = None
    #: Since when the hub could not be reached (None while it answers).
    offline_since: datetime | None = None
    #: The hub's clock minus this PC's, in milliseconds, at the last answer.
    hub_offset_ms: int = 0
    #: The hub's Ed25519 public key (base64 of the raw 32 bytes): reply bundles must be signed
    #: with it. Given at registration, or on the first online round of an older link.
    hub_public_key: str = Field(default="", max_length=64)
    #: The hub's clock when the newest reply bundle taken here was made: an older reply's
    #: reference data is not adopted (it would undo newer).
    reply_made_at: datetime | None = None
    #: True from the start of `sync restore` until it has taken back everything: a restore
    #: killed midway is finished by running it again, and no other round runs meanwhile.
    restoring: bool = False


class RejectionNotice(SQLModel, table=True):
    """A rejection by the hub (case.action_rejected) shown to the clerk whose step it turned
    down: each is shown once, whenever it arrives — during their session or at their next
    sign-in, however late the node heard of it. Local like `sync_link`: it never travels, and
    it is not a projection (a replay leaves it alone)."""

    __tablename__ = "rejection_notice"

    #: The case.action_rejected event.
    event_id: str = Field(primary_key=True, max_length=36)
    noticed_at: datetime


class HubSite(SQLModel, table=True):
    """A site enrolled at this hub, and the hash of the device token it registered with."""

    __tablename__ = "hub_site"

    site: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    level: str = Field(max_length=8)
    #: SHA-256 of the device token (the token is 256 random bits: a plain hash is enough).
    token_hash: str = Field(default="", max_length=64, index=True)
    enrolled_at: datetime
    registered_at: datetime | None = None
    revoked_at: datetime | None = None
    last_seen_at: datetime | None = None
    #: The site's Ed25519 public key (base64 of the raw 32 bytes): its export bundles must be
    #: signed with it. Sent at registration, or on the first online round of an older link.
    public_key: str = Field(default="", max_length=64)


class HubEnrolment(SQLModel, table=True):
    """A one-time enrolment code: usable once, until it expires."""

    __tablename__ = "hub_enrolment"

    code_hash: str = Field(primary_key=True, max_length=64)
    site: str = Field(max_length=64, index=True)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class SyncProblem(SQLModel, table=True):
    """Something an administrator must see: tampering, a broken chain, an event that could not be
    applied, a clock far ahead. Kept until resolved; never blocks the events behind it."""

    __tablename__ = "sync_problem"

    id: str = Field(primary_key=True, max_length=36)
    at: datetime
    #: The site whose events it concerns.
    site: str = Field(max_length=64, index=True)
    event_id: str = Field(default="", max_length=36)
    #: tampered, chain, unknown_type, quarantined, clock_ahead.
    kind: str = Field(max_length=16)
    detail: str
    resolved_at: datetime | None = None


class NodeKey(SQLModel, table=True):
    """This database's own Ed25519 key pair, which signs the bundles it writes (a node's export,
    a hub's reply). One row. Local like `sync_link`: the private key never travels, and it is not
    a projection (a replay leaves it alone)."""

    __tablename__ = "node_key"

    id: int = Field(default=1, primary_key=True)
    #: Base64 of the raw 32-byte private key.
    private_key: str = Field(max_length=64)
    #: Base64 of the raw 32-byte public key.
    public_key: str = Field(max_length=64)
    created_at: datetime


class SyncDevice(SQLModel, table=True):
    """A PC a site's chain was written on, replaced at the hub by another (a `sync restore`, or
    any new registration): its token is kept so that its next request is told why it is
    refused — the site now lives on another PC, and what this one writes forks the chain —
    rather than "invalid token" (sync/devices.py). Hub only; never travels."""

    __tablename__ = "sync_device"

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(max_length=64, index=True)
    #: SHA-256 of the replaced device's token.
    token_hash: str = Field(max_length=64, unique=True)
    #: Its signing key (file sync), if it had one.
    public_key: str = Field(default="", max_length=64)
    registered_at: datetime | None = None
    retired_at: datetime
    #: When the hub last heard from it while it was the site's device.
    last_seen_at: datetime | None = None
    #: Events it tried to push after it was replaced (refused).
    refused_events: int = 0
    #: The sync problem (kind "fork") recorded when it first knocked after it was replaced.
    problem_id: str = Field(default="", max_length=36)
