"""The bodies of the sync API (docs/sync.md, "The protocol"), as pydantic models: FastAPI
validates requests with them and publishes them in /openapi.json.

Requests refuse unknown fields (422), and their strings are bounded and shaped like what they
name (an event id is a UUID, a hash 64 hex digits), so nothing a client sends can reach the
database in a form a column cannot hold. Answers are plain: they describe what the hub holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

UUID_PATTERN = r"^[0-9a-fA-F-]{36}$"
HASH_PATTERN = r"^[0-9a-f]{64}$"
HLC_PATTERN = r"^\d{13}\.\d{5}$"
#: A site code (site/rules.py SITE_CODE); an unknown one is still refused by the rules.
SITE_PATTERN = r"^[0-9A-Za-z-]{1,64}$"
#: A site code, or "" (sync restore: the enrolment code names the site).
SITE_OR_EMPTY = r"^[0-9A-Za-z-]{0,64}$"
#: No control characters: a name, an event type.
PLAIN_PATTERN = r"^[^\x00-\x1f\x7f]*$"
#: An Ed25519 public key as it travels (sync/keys.py).
PUBLIC_KEY_PATTERN = r"^[A-Za-z0-9+/]{43}=$"


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollRequest(Request):
    protocol: int = Field(description="同步协议版本（本中心：1）")
    site: str = Field(
        default="",
        pattern=SITE_OR_EMPTY,
        description="本站点编码，须与登记码所属站点一致；留空：登记码所属的站点（sync restore）",
    )
    code: str = Field(
        min_length=1, max_length=64, pattern=PLAIN_PATTERN, description="一次性登记码"
    )
    public_key: str | None = Field(
        default=None,
        pattern=PUBLIC_KEY_PATTERN,
        description="本站点的 Ed25519 公钥（原始 32 字节的 base64），用于校验其同步文件的签名",
    )


class KeyRequest(Request):
    protocol: int = Field(description="同步协议版本（本中心：1）")
    public_key: str = Field(
        pattern=PUBLIC_KEY_PATTERN,
        description="本站点的 Ed25519 公钥（原始 32 字节的 base64）；中心已有他钥时拒绝（409）",
    )


class WireEventIn(Request):
    """One event as it travels: the fields its hash covers (docs/events.md)."""

    id: str = Field(pattern=UUID_PATTERN)
    site: str = Field(pattern=SITE_PATTERN)
    actor: str = Field(min_length=1, max_length=128, pattern=PLAIN_PATTERN)
    hlc: str = Field(pattern=HLC_PATTERN)
    type: str = Field(min_length=1, max_length=64, pattern=PLAIN_PATTERN)
    payload: dict[str, Any]
    prev_hash: str = Field(pattern=HASH_PATTERN)
    hash: str = Field(pattern=HASH_PATTERN)


class PushRequest(Request):
    protocol: int = Field(description="同步协议版本（本中心：1）")
    site: str = Field(pattern=SITE_PATTERN, description="推送方站点编码（须为凭证所属站点）")
    events: list[WireEventIn] = Field(description="本站点尚未推送的事件，按链的顺序，至多 500 条")


class Answer(BaseModel):
    #: The hub's clock when it answered (UTC): the node keeps the offset and warns past 5 min.
    hub_time: datetime


class EnrollAnswer(Answer):
    token: str = Field(description="设备凭证：之后每个请求的 Authorization: Bearer")
    hub_site: str
    hub_name: str
    hub_public_key: str = Field(description="中心的 Ed25519 公钥：用于校验中心回执文件的签名")
    # The site the code was for, as the hub enrolled it (a fresh PC learns who it is: restore).
    site: str = Field(default="", description="登记码所属的站点编码")
    site_name: str = Field(default="", description="该站点的名称")
    level: str = Field(default="", description="该站点的级别")


class KeyAnswer(Answer):
    hub_public_key: str = Field(description="中心的 Ed25519 公钥：用于校验中心回执文件的签名")


class HeadAnswer(Answer):
    site: str
    count: int = Field(description="中心保存的本站点事件条数")
    hash: str = Field(description="其中最后一条的哈希（尚无事件时为创世值）")


class PushAnswer(Answer):
    stored: int
    repeated: int
    count: int
    hash: str


class WireEvent(BaseModel):
    id: str
    site: str
    actor: str
    hlc: str
    type: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class Pulled(BaseModel):
    seq: int
    event: WireEvent


class PullAnswer(Answer):
    events: list[Pulled]
    next: int = Field(description="下次拉取时的 after")
    more: bool = Field(description="之后还有事件")


class Owned(BaseModel):
    position: int = Field(description="在本站点事件链中的位置（从 1 起）")
    event: WireEvent


class OwnAnswer(Answer):
    """A page of the caller's own chain as the hub holds it (sync restore, recovery)."""

    events: list[Owned]
    next: int = Field(description="下次请求时的 after（链中位置）")
    more: bool = Field(description="之后还有本站点的事件")
    count: int = Field(description="中心保存的本站点事件条数")
    hash: str = Field(description="其中最后一条的哈希（尚无事件时为创世值）")


class ReferenceAnswer(Answer):
    catalog: str = Field(description="事项目录的摘要（节点的当前版本摘要与之不同时下载）")
    calendar: dict[str, str] = Field(description="各年份工作日历的摘要")


class CatalogAnswer(Answer):
    """The active catalog as a document (sync/reference.py)."""

    name: str
    version: str
    departments: list[dict[str, Any]]
    kinds: list[dict[str, Any]]
    items: list[dict[str, Any]]
    bundles: list[dict[str, Any]]


class CalendarAnswer(Answer):
    years: list[dict[str, Any]]


class HealthAnswer(Answer):
    status: str
    protocol: int
    hub_site: str
    hub_name: str


class ErrorAnswer(Answer):
    detail: str = Field(description="原因（中文）")
