"""The sync API (FastAPI): the endpoints of docs/sync.md, each one short database transaction.

A worker keeps nothing but its engine and who the hub is: any worker can take any request, and
every ordering decision is a lock in the database (sync/receive.py), so `hub serve --workers N`
scales over one PostgreSQL. `create_app` builds the app for a database; `from_environment` is
what uvicorn imports by name in each worker (`hub serve` sets the database in DB_VARIABLE).

No client input may end in a 500: bodies are validated (422), limited (413), versions checked
(426); a database that cannot answer is a 503 with its Chinese line; anything else unexpected is
logged (failures.py) and answered 500 without details.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from counter_tui import __version__
from counter_tui.actor import Actor, os_user
from counter_tui.db import make_engine, read_session, translated, write_session
from counter_tui.desk.hub import not_a_hub
from counter_tui.errors import DatabaseUnavailable, UserError
from counter_tui.failures import log_failure
from counter_tui.hub.limits import BODY_LIMIT, BodyLimit, error_body
from counter_tui.hub.schemas import (
    CalendarAnswer,
    CatalogAnswer,
    EnrollAnswer,
    EnrollRequest,
    ErrorAnswer,
    HeadAnswer,
    HealthAnswer,
    KeyAnswer,
    KeyRequest,
    OwnAnswer,
    Owned,
    PullAnswer,
    Pulled,
    PushAnswer,
    PushRequest,
    ReferenceAnswer,
    WireEvent,
)
from counter_tui.journal.models import JournalHead
from counter_tui.journal.rules import GENESIS
from counter_tui.schema import require_head
from counter_tui.settings import Settings
from counter_tui.site.service import node, site_name
from counter_tui.sync.applier import drain
from counter_tui.sync.deliver import pull_for
from counter_tui.sync.devices import Forked, refusal, report_fork, retired_device
from counter_tui.sync.enrolment import NotEnrolled, authenticate, redeem
from counter_tui.sync.keys import own_key
from counter_tui.sync.models import HubSite
from counter_tui.sync.own import history_for, own_after, own_head
from counter_tui.sync.receive import PushRefused, receive_push
from counter_tui.sync.reference import calendar_document, catalog_document, digests
from counter_tui.sync.store import problem
from counter_tui.sync.wire import BATCH_LIMIT, PROTOCOL, to_wire

#: The hub's database URL, for the workers uvicorn starts (`hub serve` sets it).
DB_VARIABLE = "COUNTER_TUI_HUB_DB"
#: The largest `seq` a cursor may name (PostgreSQL BIGINT).
MAX_SEQ = 2**63 - 1

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorAnswer, "description": what}
    for code, what in (
        (401, "缺少或无效的设备凭证、登记码"),
        (413, "批次或请求体过大"),
        (422, "请求格式不对"),
        (426, "协议版本不符"),
        (503, "中心数据库暂时不可用"),
    )
}


@dataclass(frozen=True)
class Hub:
    """What a worker knows: its engine, and the hub's own site and actor."""

    engine: Engine
    site: str
    name: str
    #: Who records what the hub itself decides (a push's rejected steps).
    actor: Actor


def open_hub(db_url: str) -> Hub:
    """The hub on `db_url`; a UserError in Chinese when that database cannot serve as one."""
    engine = make_engine(db_url)
    try:
        with translated(engine):
            require_head(engine)
        with read_session(engine) as session:
            me = node(session)
            name = site_name(session, me.site)
        refusal = not_a_hub(me.site, me.level)
        if refusal:
            raise UserError(refusal)
        if me.demo:
            raise UserError("演示（培训）数据库不能作为中心：其中的数据都是虚构的")
    except BaseException:
        engine.dispose()
        raise
    actor = Actor(username=f"hub:{os_user()}", role="operator", site=me.site)
    return Hub(engine, me.site, name, actor)


def now() -> datetime:
    return datetime.now(UTC)


#: Seconds between a worker's looks for pending events nobody applied yet.
APPLY_INTERVAL = 2.0
#: A push is applied once no other came for APPLY_QUIET seconds, or APPLY_DELAY at the latest.
APPLY_QUIET = 0.3
APPLY_DELAY = 2.0


def apply_pending_events(hub: Hub) -> None:
    """Apply what sites pushed (sync/applier.py): after every push, once its answer is sent,
    and every APPLY_INTERVAL seconds. A database that cannot answer now is tried next time."""
    try:
        drain(hub.engine, hub.actor)
    except DatabaseUnavailable:
        pass
    except Exception as exc:  # logged; the next look tries again
        log_failure(exc, "hub applier")


class Applier:
    """A worker's applier thread: it applies what is pending when a push nudges it, and every
    APPLY_INTERVAL seconds whatever is left (a killed worker's pushes, a busy moment). Apart
    from the requests, so a push's answer never waits on applying, nor does the next request
    on the same connection."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (again, for an app whose lifespan runs twice: tests)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="hub-applier", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.is_set():
            apply_pending_events(self.hub)
            woken = self._wake.wait(APPLY_INTERVAL)
            # A burst of pushes (a village catching up) is stored first and applied after it,
            # within APPLY_DELAY: applying between its batches would slow every one of them.
            deadline = time.monotonic() + APPLY_DELAY
            while woken and not self._stop.is_set() and time.monotonic() < deadline:
                self._wake.clear()
                woken = self._wake.wait(APPLY_QUIET)
            self._wake.clear()


def create_app(target: Settings | str, *, apply_inline: bool = False) -> FastAPI:
    """The sync API on the hub database of `target` (settings, or a database URL).

    `apply_inline`: a push applies what it stored before it answers (in-process tests, which
    read the hub's state right after); served, a worker's applier thread does it after."""
    hub = open_hub(target.db_url if isinstance(target, Settings) else target)

    applier = Applier(hub)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        applier.start()
        try:
            yield
        finally:
            applier.close()
            hub.engine.dispose()

    app = FastAPI(
        title="counter-tui 县级中心同步接口",
        version=__version__,
        description="村、镇站点与县级中心之间的事件同步（协议版本 1，见 docs/sync.md）。",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.hub = hub
    app.add_middleware(BodyLimit, limit=BODY_LIMIT)
    _handle_errors(app)
    _routes(app, hub, applier.nudge if not apply_inline else partial(apply_pending_events, hub))
    _publish(app, PushRequest)
    return app


def from_environment() -> FastAPI:
    """The app for uvicorn's `--factory` in each worker: the database named by DB_VARIABLE."""
    url = os.environ.get(DB_VARIABLE, "")
    if not url:
        raise UserError(f"未指定中心数据库（环境变量 {DB_VARIABLE}）")
    return create_app(url)


bearer = HTTPBearer(auto_error=False, description="设备凭证（counter-tui sync register 取得）")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _routes(app: FastAPI, hub: Hub, applied: Callable[[], None]) -> None:
    """The endpoints; `applied` is called after every push that stored something."""

    @app.post("/v1/enroll", responses=_ERRORS, summary="以一次性登记码换取设备凭证")
    def enroll(body: EnrollRequest) -> EnrollAnswer:
        _protocol(body.protocol)
        at = now()
        with write_session(hub.engine) as session:
            try:
                token = redeem(session, body.site, body.code, at, body.public_key)
            except NotEnrolled as exc:
                raise _unauthorised(exc) from None
            hub_key = own_key(session, at).public_key
            site = authenticate(session, token)
            return EnrollAnswer(
                token=token,
                hub_site=hub.site,
                hub_name=hub.name,
                hub_public_key=hub_key,
                hub_time=at,
                site=site.site,
                site_name=site.name,
                level=site.level,
            )

    @app.put(
        "/v1/sync/key",
        responses={**_ERRORS, 409: _ERRORS[401] | {"description": "中心已有该站点的另一公钥"}},
        summary="登记本站点的签名公钥（登记时未带公钥的站点）",
    )
    def put_key(body: KeyRequest, credentials: Credentials) -> KeyAnswer:
        _protocol(body.protocol)
        at = now()
        with _as_site(hub, credentials, at) as (session, site):
            if site.public_key and site.public_key != body.public_key:
                raise HTTPException(
                    409, "中心已有本站点的另一把公钥：请中心管理员重新生成登记码后重新登记"
                )
            site.public_key = body.public_key
            session.add(site)
            return KeyAnswer(hub_public_key=own_key(session, at).public_key, hub_time=at)

    @app.get("/v1/sync/head", responses=_ERRORS, summary="中心保存的本站点事件链")
    def head(credentials: Credentials) -> HeadAnswer:
        at = now()
        with _as_site(hub, credentials, at) as (session, site):
            tip = session.get(JournalHead, site.site)
            return HeadAnswer(
                site=site.site,
                count=tip.count if tip else 0,
                hash=tip.last_hash if tip else GENESIS,
                hub_time=at,
            )

    @app.post(
        "/v1/sync/push",
        responses={
            **_ERRORS,
            403: _ERRORS[401] | {"description": "推送了其他站点的事件"},
            409: _ERRORS[401] | {"description": "不接续中心保存的链，或疑似篡改"},
        },
        summary="推送本站点的事件",
        openapi_extra={"requestBody": _body_of(PushRequest)},
    )
    def push(
        body: Annotated[PushRequest, Depends(push_request)], credentials: Credentials
    ) -> PushAnswer:
        _protocol(body.protocol)
        if len(body.events) > BATCH_LIMIT:
            raise HTTPException(
                413, f"一次最多推送 {BATCH_LIMIT} 条事件，这次有 {len(body.events)} 条"
            )
        at = now()
        # The validated fields as they are (a dict per event; model_dump would copy them again).
        events = [vars(event) for event in body.events]
        caller = ""
        try:
            with _as_site(hub, credentials, at) as (session, site):
                caller = site.site
                if body.site != site.site:
                    raise HTTPException(
                        403, f"凭证属于站点 {site.site}，不能以站点 {body.site} 推送"
                    )
                result = receive_push(session, site.site, events, hub_site=hub.site, now=at)
        except Forked as forked:
            forked.events = len(events)
            raise
        except PushRefused as refused:
            if refused.kind:  # nothing of the push was kept; the county admin must see why
                with write_session(hub.engine) as session:
                    problem(session, caller, refused.kind, refused.reason, at, refused.event_id)
            raise HTTPException(refused.status, refused.reason) from None
        answer = PushAnswer(
            stored=result.stored,
            repeated=result.repeated,
            count=result.count,
            hash=result.hash,
            hub_time=at,
        )
        if result.stored:
            applied()  # docs/sync.md, "Why a push only stores"
        return answer

    @app.get("/v1/sync/pull", responses=_ERRORS, summary="拉取本站点须知的事件")
    def pull(
        credentials: Credentials,
        after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="上次的 next")] = 0,
        limit: Annotated[int, Query(ge=1, le=BATCH_LIMIT)] = BATCH_LIMIT,
    ) -> PullAnswer:
        at = now()
        with read_session(hub.engine) as session:
            site = _authenticated(session, credentials)
            page = pull_for(session, site.site, after, limit)
            events = [
                Pulled(seq=event.seq or 0, event=WireEvent(**to_wire(event)))
                for event in page.events
            ]
        return PullAnswer(events=events, next=page.next, more=page.more, hub_time=at)

    @app.get("/v1/sync/own", responses=_ERRORS, summary="中心保存的本站点事件链（恢复用）")
    def own(
        credentials: Credentials,
        after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="从链中这一位置之后")] = 0,
        limit: Annotated[int, Query(ge=1, le=BATCH_LIMIT)] = BATCH_LIMIT,
    ) -> OwnAnswer:
        at = now()
        with read_session(hub.engine) as session:
            site = _authenticated(session, credentials)
            count, last = own_head(session, site.site)
            page = own_after(session, site.site, after, limit) if after < count else []
            events = [
                Owned(position=after + i, event=WireEvent(**to_wire(event)))
                for i, event in enumerate(page, start=1)
            ]
        nxt = after + len(events)
        return OwnAnswer(
            events=events, next=nxt, more=nxt < count, count=count, hash=last, hub_time=at
        )

    @app.get(
        "/v1/sync/history", responses=_ERRORS, summary="本站点的全部事件与须知的事件（恢复用）"
    )
    def history(
        credentials: Credentials,
        after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="上次的 next")] = 0,
        limit: Annotated[int, Query(ge=1, le=BATCH_LIMIT)] = BATCH_LIMIT,
    ) -> PullAnswer:
        at = now()
        with read_session(hub.engine) as session:
            site = _authenticated(session, credentials)
            page = history_for(session, site.site, after, limit)
            events = [
                Pulled(seq=event.seq or 0, event=WireEvent(**to_wire(event)))
                for event in page.events
            ]
        return PullAnswer(events=events, next=page.next, more=page.more, hub_time=at)

    @app.get("/v1/reference", responses=_ERRORS, summary="中心参考数据（目录、日历）的摘要")
    def reference(credentials: Credentials) -> ReferenceAnswer:
        at = now()
        with read_session(hub.engine) as session:
            _authenticated(session, credentials)
            published = digests(session, published=True)
        return ReferenceAnswer(hub_time=at, **published)

    @app.get(
        "/v1/reference/catalog",
        responses={**_ERRORS, 404: _ERRORS[401] | {"description": "中心还没有事项目录"}},
        summary="中心当前的事项目录",
    )
    def catalog(credentials: Credentials) -> CatalogAnswer:
        at = now()
        with read_session(hub.engine) as session:
            _authenticated(session, credentials)
            document = catalog_document(session)
        if document is None:
            raise HTTPException(404, "中心还没有事项目录")
        return CatalogAnswer(hub_time=at, **document)

    @app.get("/v1/reference/calendar", responses=_ERRORS, summary="中心的工作日历")
    def calendar(credentials: Credentials) -> CalendarAnswer:
        at = now()
        with read_session(hub.engine) as session:
            _authenticated(session, credentials)
            return CalendarAnswer(hub_time=at, **calendar_document(session))

    @app.get("/v1/health", responses={503: _ERRORS[503]}, summary="中心是否在服务")
    def health() -> HealthAnswer:
        with read_session(hub.engine) as session:
            session.connection().execute(text("SELECT 1"))
        return HealthAnswer(
            status="ok", protocol=PROTOCOL, hub_site=hub.site, hub_name=hub.name, hub_time=now()
        )


@contextmanager
def _as_site(
    hub: Hub, credentials: HTTPAuthorizationCredentials | None, at: datetime
) -> Iterator[tuple[Session, HubSite]]:
    """One write transaction as the site the credential names (its last-seen time updated)."""
    with write_session(hub.engine) as session:
        site = _authenticated(session, credentials)
        site.last_seen_at = at
        session.add(site)
        yield session, site


def _authenticated(session: Session, credentials: HTTPAuthorizationCredentials | None) -> HubSite:
    token = credentials.credentials if credentials else ""
    try:
        return authenticate(session, token)
    except NotEnrolled as exc:
        device = retired_device(session, token)
        if device is not None:  # the site now lives on another PC: a fork (sync/devices.py)
            raise refusal(session, device) from None
        raise _unauthorised(exc) from None


def _unauthorised(exc: NotEnrolled) -> HTTPException:
    return HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"})


async def push_request(request: Request) -> PushRequest:
    """A push's body, parsed and validated in one pass by pydantic-core: a push carries up to
    500 events, and FastAPI's way (json.loads, then validating the dicts) costs twice as much."""
    raw = await request.body()
    try:
        return PushRequest.model_validate_json(raw)
    except ValidationError as exc:
        errors = [
            error | {"loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)
        ]
        raise RequestValidationError(errors, body=_loose_json(raw)) from None


def _loose_json(raw: bytes) -> Any:
    """The body as JSON if it is any (for the protocol version of a refused request)."""
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _body_of(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an endpoint that parses `model` itself (push_request)."""
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _publish(app: FastAPI, *models: type[BaseModel]) -> None:
    """Put in the published schema the models that endpoints parse themselves (_body_of)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            shapes = document.setdefault("components", {}).setdefault("schemas", {})
            for model in models:
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                shapes.update(schema.pop("$defs", {}))
                shapes[model.__name__] = schema
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _protocol(version: int) -> None:
    if version != PROTOCOL:
        raise HTTPException(426, _protocol_refusal(version))


def _protocol_refusal(version: int) -> str:
    return (
        f"中心使用同步协议版本 {PROTOCOL}，请求的是版本 {version}：请把两端的 counter-tui "
        "升级到同一版本"
    )


def _handle_errors(app: FastAPI) -> None:
    """Every error answer is `{detail, hub_time}` with `detail` one Chinese line."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404:
            detail = "没有这个接口"
        elif exc.status_code == 405:
            detail = "该接口不支持这种请求方法"
        return _error(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        version = exc.body.get("protocol") if isinstance(exc.body, dict) else None
        if isinstance(version, int) and version != PROTOCOL:
            # A newer node's body may well have fields this hub does not know: the version is
            # the reason to give, not the fields.
            return _error(426, _protocol_refusal(version))
        errors = [
            {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg"))}
            for error in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": ""}
        where = ".".join(first["loc"])
        reason = f"请求格式不对：{where}：{first['msg']}" if where else "请求格式不对"
        if any(error.get("type") == "json_invalid" for error in exc.errors()):
            reason = "请求体不是有效的 JSON"
        return _error(422, reason, extra={"errors": errors[:20]})

    @app.exception_handler(Forked)
    async def forked(request: Request, exc: Forked) -> JSONResponse:
        hub: Hub = request.app.state.hub
        await run_in_threadpool(_report_fork, hub, exc)
        return _error(409, exc.reason)

    @app.exception_handler(DatabaseUnavailable)
    async def unavailable(_request: Request, exc: DatabaseUnavailable) -> JSONResponse:
        return _error(503, f"中心数据库暂时不可用：{exc.message}", {"Retry-After": "10"})

    @app.exception_handler(IntegrityError)
    async def raced(_request: Request, exc: IntegrityError) -> JSONResponse:
        log_failure(exc, "hub request (a concurrent write)")
        return _error(409, "与另一个请求同时写入同一内容，没有保存：请重试")

    @app.exception_handler(UserError)
    async def refused(_request: Request, exc: UserError) -> JSONResponse:
        return _error(400, exc.message)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log_failure(exc, "hub request")
        return _error(500, "中心内部出错，已记入中心的错误日志")


def _report_fork(hub: Hub, exc: Forked) -> None:
    """The county admin must see which PC forked: recorded apart from the refused request."""
    try:
        with write_session(hub.engine) as session:
            report_fork(session, exc.device_id, exc.events, now())
    except DatabaseUnavailable:
        pass  # the refusal still stands; the device is reported at its next knock


def _error(
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(detail) | (extra or {}), status_code=status, headers=headers)
