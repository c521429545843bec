"""The body-size limit of the sync API: a request body over BODY_LIMIT is refused with 413
before anything parses it, whether it says its length (Content-Length) or streams it (chunked).

A plain ASGI middleware, because it must see the bytes as they arrive: the body is read into
memory up to the limit (a push of 500 events is far below it) and handed on whole.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The largest request body the hub reads (8 MiB).
BODY_LIMIT = 8 * 1024 * 1024


def error_body(detail: str) -> dict[str, Any]:
    """What every error answer says: the reason, and the hub's clock."""
    # The same form pydantic gives the successful answers' hub_time.
    stamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return {"detail": detail, "hub_time": stamp}


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await _answer(send, 400, "Content-Length 不是数字")
                return
            if length > self.limit:
                await _answer(send, 413, _too_large(self.limit))
                return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.limit:
                await _answer(send, 413, _too_large(self.limit))
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _too_large(limit: int) -> str:
    return f"请求体超过 {limit // (1024 * 1024)} MiB：请分批推送（每批至多 500 条事件）"


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps(error_body(detail), ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
