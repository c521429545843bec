"""The node's HTTP client for its hub (httpx): the calls of docs/sync.md, each one request.

Failures come back as two kinds the caller can tell apart: `HubUnreachable` (no answer: the
network, the hub down, a timeout — try again later) and `HubRefused` (the hub answered no, with
its reason). Neither carries a traceback to the clerk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from counter_tui.sync.wire import PROTOCOL

#: Seconds to wait for a connection, and for an answer (a push of 500 events is applied first).
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0


class HubUnreachable(Exception):
    """The hub did not answer."""


class HubRefused(Exception):
    """The hub answered with an error status; `reason` is its own (Chinese) words."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Answer:
    body: dict[str, Any]
    #: The hub's clock minus this PC's, in milliseconds (from the answer's `hub_time`).
    offset_ms: int


class HubClient:
    def __init__(self, url: str, token: str = "", *, transport: httpx.BaseTransport | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(
            base_url=url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def enroll(self, site: str, code: str, public_key: str | None = None) -> Answer:
        body: dict[str, Any] = {"protocol": PROTOCOL, "site": site, "code": code}
        if public_key:
            body["public_key"] = public_key
        return self._call("POST", "/v1/enroll", json=body)

    def put_key(self, public_key: str) -> Answer:
        """Give the hub this site's public key (a link registered before keys existed)."""
        return self._call(
            "PUT", "/v1/sync/key", json={"protocol": PROTOCOL, "public_key": public_key}
        )

    def head(self) -> Answer:
        return self._call("GET", "/v1/sync/head")

    def push_body(self, body: bytes) -> Answer:
        """A push whose JSON body is written already (sync.outbox.unpushed_body)."""
        headers = {"Content-Type": "application/json"}
        return self._call("POST", "/v1/sync/push", content=body, headers=headers)

    def pull(self, after: int, limit: int) -> Answer:
        return self._call("GET", "/v1/sync/pull", params={"after": after, "limit": limit})

    def own(self, after: int, limit: int) -> Answer:
        """This site's own chain as the hub holds it, from chain position `after` (recovery)."""
        return self._call("GET", "/v1/sync/own", params={"after": after, "limit": limit})

    def history(self, after: int, limit: int) -> Answer:
        """This site's own events and those it must see, in the hub's order (sync restore)."""
        return self._call("GET", "/v1/sync/history", params={"after": after, "limit": limit})

    def reference(self, what: str = "") -> Answer:
        """The digests of the hub's reference data, or (`what`: catalog, calendar) a document."""
        return self._call("GET", f"/v1/reference/{what}" if what else "/v1/reference")

    def _call(self, method: str, path: str, **kwargs: Any) -> Answer:
        sent = datetime.now(UTC)
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise HubUnreachable("中心没有在规定时间内应答") from None
        except httpx.HTTPError as exc:
            raise HubUnreachable(f"无法连接中心（{type(exc).__name__}）") from None
        received = datetime.now(UTC)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code >= 400:
            raise HubRefused(response.status_code, _reason(body, response))
        return Answer(body, _offset_ms(body.get("hub_time"), sent, received))


def _reason(body: dict[str, Any], response: httpx.Response) -> str:
    detail = body.get("detail")
    if isinstance(detail, str) and detail:
        return detail
    if isinstance(detail, list) and detail:
        return "请求格式不对：" + "；".join(str(d.get("msg", d)) for d in detail[:3])
    if response.status_code >= 500:
        return "中心内部出错"
    return f"中心拒绝了请求（{response.status_code}）"


def _offset_ms(hub_time: object, sent: datetime, received: datetime) -> int:
    """The hub's clock minus ours, taking the answer's time as the middle of the round trip."""
    if not isinstance(hub_time, str):
        return 0
    try:
        hub = datetime.fromisoformat(hub_time)
    except ValueError:
        return 0
    if hub.tzinfo is None:
        hub = hub.replace(tzinfo=UTC)
    middle = sent + (received - sent) / 2
    return int((hub - middle).total_seconds() * 1000)


def backoff_seconds(
    failures: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """How long to wait after `failures` failed rounds in a row: doubling from `base` up to
    `cap`, with full jitter, so a hall of PCs coming back online do not knock at once."""
    if failures <= 0:
        return base
    ceiling = min(cap, base * 2 ** min(failures, 16))
    return (rng or random).uniform(base, max(base, ceiling))
