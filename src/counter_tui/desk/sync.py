"""The sync door: register with the hub, run a sync round, say where sync stands.

A round is short transactions around network calls: the hub's head (what it holds of this
site's chain), push pages of up to 500 own events, pull pages of the hub's events and apply each
page with its cursor. No transaction is open while waiting on the network, so a clerk's step
never waits on sync for longer than one page takes to apply. The outcome — success or the
failure in Chinese — is written to `sync_link` for the header and `sync status`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from counter_tui.actor import Actor
from counter_tui.cases.commands import recompute_due_dates
from counter_tui.cases.models import Case, CaseRejection
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.problems import open_problems
from counter_tui.desk.records import HeldAtHub, Problem, Rejection, SyncRound, SyncStatus
from counter_tui.errors import UserError
from counter_tui.sync.keys import own_key
from counter_tui.sync.models import RejectionNotice, SyncLink, SyncProblem
from counter_tui.sync.outbox import chain_event, own_count, unpushed_body
from counter_tui.sync.reference import ReferenceInvalid, adopt_calendar, adopt_catalog, digests
from counter_tui.sync.store import problem
from counter_tui.sync.take import take_page
from counter_tui.sync.wire import BATCH_LIMIT

if TYPE_CHECKING:
    import httpx

    from counter_tui.sync.client import HubClient
    from counter_tui.sync.recover import Recovered

#: Events pulled and applied per transaction: a page applies in well under a second on a hall
#: PC, so a clerk's step waiting on the write lock meanwhile never comes near its timeout.
PULL_PAGE = 100

#: (what is being done, done so far, out of) for a progress bar; out of is None when unknown.
Progress = Callable[[str, int, int | None], None]


class SyncFailed(UserError):
    """A sync round or a registration that did not succeed, said in Chinese."""


class SyncDoor(Door):
    #: For tests: an httpx transport standing in for the network (an ASGI app in process).
    transport: httpx.BaseTransport | None = None
    #: Set by `sync restore` (desk/restore.py) for its closing round: any other round is
    #: refused while a restore is unfinished, since the site's events must come back in the
    #: hub's order first.
    finishing_restore = False

    def status(self) -> SyncStatus:
        with read_session(self.engine) as session:
            return self._status(session)

    def problems(self) -> list[Problem]:
        """This node's unresolved sync problems (what it pulled and could not use), newest
        first."""
        with read_session(self.engine) as session:
            return open_problems(session)

    def register(self, hub_url: str, code: str) -> SyncStatus:
        """Redeem the hub's one-time code for this site's device token and keep it."""
        # The client (httpx) only when the network is used: the app starts without it.
        from counter_tui.sync.client import HubClient, HubRefused, HubUnreachable

        self._refuse_demo()
        hub_url = hub_url.strip().rstrip("/")
        if not hub_url.startswith(("http://", "https://")):
            raise SyncFailed(f"中心地址应以 http:// 或 https:// 开头：{hub_url}")
        # The site's key pair for its bundles, made now (kept even if the code is refused:
        # the next registration sends the same key).
        with write_session(self.engine) as session:
            public_key = own_key(session, datetime.now(UTC)).public_key
        try:
            with HubClient(hub_url, transport=self.transport) as client:
                answer = client.enroll(self.node.site, code.strip(), public_key)
        except HubUnreachable as exc:
            raise SyncFailed(f"登记失败：{exc}") from None
        except HubRefused as exc:
            raise SyncFailed(f"登记失败：{exc.reason}") from None
        body = answer.body
        now = datetime.now(UTC)
        with write_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            same_hub = link is not None and link.hub_site == body["hub_site"]
            if link is None or not same_hub:
                link = SyncLink(
                    hub_url=hub_url,
                    hub_site=str(body["hub_site"]),
                    token=str(body["token"]),
                    registered_at=now,
                )
            link.hub_url, link.token = hub_url, str(body["token"])
            link.hub_name = str(body.get("hub_name", ""))
            link.hub_public_key = str(body.get("hub_public_key", ""))
            link.hub_offset_ms = answer.offset_ms
            link.last_error, link.offline_since = "", None
            session.add(link)
            session.flush()
            return self._status(session)

    def run(self, progress: Progress | None = None) -> SyncRound:
        """One sync round: push everything waiting, pull everything new. SyncFailed says why
        not (and is kept for the header); what was done before the failure stays done."""
        from counter_tui.sync.client import HubClient, HubRefused, HubUnreachable

        self._refuse_demo()
        with read_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            if link is None:
                raise SyncFailed("尚未登记到中心（请先运行 counter-tui sync register）")
            if link.restoring and not self.finishing_restore:
                raise SyncFailed(
                    "本机从中心的恢复尚未完成：请再次运行 counter-tui sync restore 完成恢复"
                )
            url, token = link.hub_url, link.token
            keyless = not link.hub_public_key
        started = datetime.now(UTC)
        tally = _Tally()
        try:
            with HubClient(url, token, transport=self.transport) as client:
                if keyless:
                    self._send_key(client)
                self._push(client, tally, progress)
                self._pull(client, tally, progress)
                # Reference data after the pull: due dates are recounted with every pause the
                # hub has recorded on this site's cases (a node back from weeks away would
                # otherwise recount without them, and its recount, applied at the hub after
                # them, would undo them there only). What adopting recorded goes out now.
                if self._reference(client, tally):
                    self._push(client, tally, progress)
        except HubUnreachable as exc:
            self._failed(started, f"中心无法连接：{exc}", offline=True)
            raise SyncFailed(f"同步失败：{exc}") from None
        except HubRefused as exc:
            self._failed(started, f"中心拒绝：{exc.reason}", offline=False)
            raise SyncFailed(f"同步失败：中心拒绝（{exc.status}）：{exc.reason}") from None
        except SyncFailed as exc:
            self._failed(started, str(exc), offline=False)
            raise
        with write_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            assert link is not None
            link.last_attempt_at = link.last_success_at = started
            link.last_error, link.last_error_at, link.offline_since = "", None, None
            link.hub_offset_ms = tally.offset_ms
            if isinstance(tally.held_at_hub, list):  # a hub that says it (issue 17 on)
                link.hub_quarantine = json.dumps(tally.held_at_hub, ensure_ascii=False)
                link.hub_quarantine_at = started
            session.add(link)
            session.flush()
            rejections = _rejections(session, tally.rejections)
            status = self._status(session)
        back = tally.recovered
        return SyncRound(
            tally.pushed,
            tally.pulled,
            rejections,
            tally.flagged + (back.flagged if back else 0),
            status,
            tally.reference,
            taken_back=back.taken if back else 0,
            rechained=back.rechained if back else 0,
            renumbered=back.renumbered if back else [],
        )

    def held_at_hub(self) -> list[HeldAtHub]:
        """This site's events its hub stored and could not apply, and why, as the hub said at
        the last successful round (kept here, never travelling)."""
        with read_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            return held_at_hub(link.hub_quarantine if link else "[]")

    def rejections_of(self, username: str, *, unread: bool = False) -> list[Rejection]:
        """Steps `username` took here that lost at the hub, the newest first; `unread`: only
        those not yet shown to them (`mark_read`)."""
        with read_session(self.engine) as session:
            query = select(CaseRejection).where(
                CaseRejection.author == username, CaseRejection.author_site == self.node.site
            )
            if unread:
                shown = select(RejectionNotice.event_id)
                query = query.where(col(CaseRejection.event_id).not_in(shown))
            rows = session.exec(query.order_by(col(CaseRejection.at).desc())).all()
            return _rejections(session, [row.event_id for row in rows])

    def mark_read(self, rejections: list[Rejection]) -> None:
        """The clerk has been shown these rejections: not again at their next sign-in."""
        now = datetime.now(UTC)
        with write_session(self.engine) as session:
            for rejection in rejections:
                if session.get(RejectionNotice, rejection.event_id) is None:
                    session.add(RejectionNotice(event_id=rejection.event_id, noticed_at=now))

    # --- the round's halves ----------------------------------------------------------------

    def _push(self, client: HubClient, tally: _Tally, progress: Progress | None) -> None:
        site = self.node.site
        answer = client.head()
        tally.offset_ms = answer.offset_ms
        tally.held_at_hub = answer.body.get("quarantined")
        held = int(answer.body.get("count", 0))
        if not self._holds(held, answer.body.get("hash")):
            # The hub holds own events this node lacks: restored from an old backup.
            tally.recovered = self._recover(client, held, progress)
            if not self._holds(held, answer.body.get("hash")):
                raise SyncFailed("中心保存的本站记录与本机不一致，已停止同步，请联系县级管理员")
        with read_session(self.engine) as session:
            total = own_count(session, site)
            tip = chain_event(session, site, held)
            after = tip.hlc if tip is not None else ""  # the stamp of the last the hub holds
        self._store_pushed(held)
        # The next page is read while the hub takes this one: on a catch-up of thousands the
        # two halves overlap instead of adding up.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-outbox") as reader:
            upcoming = reader.submit(self._unpushed, after)
            while held < total:
                count, last, body = upcoming.result()
                if not count:
                    break
                if held + count < total:
                    upcoming = reader.submit(self._unpushed, last)
                if progress:
                    progress("上传", held, total)
                answer = client.push_body(body)
                tally.offset_ms = answer.offset_ms
                tally.pushed += int(answer.body.get("stored", 0))
                now_held = int(answer.body.get("count", held + count))
                if now_held != held + count:
                    # The hub holds some other number (a repeat): go on from its tip instead.
                    with read_session(self.engine) as session:
                        tip = chain_event(session, site, now_held)
                    upcoming.cancel()
                    upcoming = reader.submit(self._unpushed, tip.hlc if tip is not None else "")
                held = now_held
                self._store_pushed(held)
        if progress:
            progress("上传", total, total)

    def _holds(self, held: int, hub_hash: object) -> bool:
        """Whether this node's chain holds the hub's `held` events of this site, the last of
        them with `hub_hash`: then it only has to push what follows."""
        with read_session(self.engine) as session:
            if held == 0:
                return True
            ours = chain_event(session, self.node.site, held)
            return ours is not None and ours.hash == hub_hash

    def _recover(self, client: HubClient, held: int, progress: Progress | None) -> Recovered:
        """Take back the own events the hub holds and this node lacks (sync/recover.py): fetched
        from the last position the hub acknowledged, then taken in one transaction, so this
        node's events the hub lacks are re-chained once, after all of them."""
        from counter_tui.sync.recover import RecoveryRefused, take_own

        with read_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            known = min(link.pushed_count if link else 0, own_count(session, self.node.site))
        # From the last event the hub acknowledged, included: take_own checks it is the same
        # at both ends (else a fork, never a backup) and finds where the two chains part.
        start = max(0, known - 1)
        events: list[dict[str, Any]] = []
        position = start
        while position < held:
            if progress:
                progress("取回本站记录", position - start, held - start)
            page = client.own(position, BATCH_LIMIT).body
            got = [item["event"] for item in page.get("events", [])]
            if not got:
                break
            events += got
            position += len(got)
        if progress:
            progress("取回本站记录", position - start, held - start)
        try:
            with write_session(self.engine) as session:
                return take_own(session, self.node.site, events, datetime.now(UTC))
        except RecoveryRefused as exc:
            raise SyncFailed(exc.message) from None

    def _pull(self, client: HubClient, tally: _Tally, progress: Progress | None) -> None:
        site = self.node.site
        while True:
            with read_session(self.engine) as session:
                link = session.get(SyncLink, 1)
                assert link is not None
                cursor = link.pull_cursor
            answer = client.pull(cursor, PULL_PAGE)
            tally.offset_ms = answer.offset_ms
            events = answer.body.get("events", [])
            nxt = int(answer.body.get("next", cursor))
            with write_session(self.engine) as session:
                taken = take_page(
                    session, site, [item["event"] for item in events], nxt, datetime.now(UTC)
                )
            tally.pulled += taken.applied
            tally.flagged += taken.flagged
            tally.rejections += taken.rejections
            if progress:
                progress("下载", tally.pulled, None)
            if not answer.body.get("more"):
                return

    def _reference(self, client: HubClient, tally: _Tally) -> bool:
        """Adopt the hub's catalog and calendar where they differ from this node's; True when
        something was adopted (events of this site to push)."""
        published = client.reference().body
        adopted = adopt_reference(
            self.engine, self.node.site, published, lambda what: client.reference(what).body
        )
        tally.reference += adopted
        return bool(adopted)

    def _send_key(self, client: HubClient) -> None:
        """A link registered before sync by file: make this site's key pair, give the hub its
        public key over the authenticated channel and keep the hub's (sync/keys.py)."""
        with write_session(self.engine) as session:
            public_key = own_key(session, datetime.now(UTC)).public_key
        from counter_tui.sync.client import HubRefused

        try:
            answer = client.put_key(public_key)
        except HubRefused as exc:
            if exc.status in (404, 405, 409):
                # A hub without sync by file, or one holding another key for this site: online
                # sync goes on; `sync export`/`import` say what is missing.
                return
            raise
        with write_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            if link is not None:
                link.hub_public_key = str(answer.body.get("hub_public_key", ""))
                session.add(link)

    def _unpushed(self, after: str) -> tuple[int, str, bytes]:
        with read_session(self.engine) as session:
            return unpushed_body(session, self.node.site, after, BATCH_LIMIT)

    def _store_pushed(self, held: int) -> None:
        with write_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            if link is not None and link.pushed_count != held:
                link.pushed_count = held
                session.add(link)

    def _failed(self, started: datetime, message: str, *, offline: bool) -> None:
        with write_session(self.engine) as session:
            link = session.get(SyncLink, 1)
            if link is None:
                return
            link.last_attempt_at = link.last_error_at = started
            link.last_error = message
            if offline and link.offline_since is None:
                link.offline_since = started
            if not offline:
                link.offline_since = None
            session.add(link)

    def _refuse_demo(self) -> None:
        if self.node.demo or self.settings.demo:
            raise SyncFailed("演示（培训）数据库不能登记或同步：其中的数据都是虚构的")

    def _status(self, session: Session) -> SyncStatus:
        link = session.get(SyncLink, 1)
        demo = self.node.demo or self.settings.demo
        problems = session.exec(  # counted, not listed: the header reads this every 10 s
            select(func.count())
            .select_from(SyncProblem)
            .where(col(SyncProblem.resolved_at).is_(None))
        ).one()
        if link is None:
            hub = self.node.level == "county" and not demo
            return SyncStatus(demo, False, "", "", 0, None, None, None, "", 0, problems, is_hub=hub)
        pending = max(0, own_count(session, self.node.site) - link.pushed_count)
        return SyncStatus(
            demo=demo,
            registered=True,
            hub_url=link.hub_url,
            hub_name=link.hub_name,
            pending=pending,
            last_success_at=link.last_success_at,
            last_attempt_at=link.last_attempt_at,
            offline_since=link.offline_since,
            last_error=link.last_error,
            hub_offset_ms=link.hub_offset_ms,
            problems=problems,
            last_file_at=link.reply_made_at,
        )


def adopt_reference(
    engine: Engine,
    own_site: str,
    published: dict[str, Any],
    document: Callable[[str], dict[str, Any] | None],
) -> list[str]:
    """Adopt the hub's reference data where its digests (`published`: catalog, calendar by
    year) differ from this node's; `document(what)` gives the hub's catalog or calendar (None:
    not at hand). A document that cannot be used is a problem shown to the admin, and the node
    keeps what it has. Shared by an online round and a reply bundle (desk/files.py). Returns
    what was adopted, in Chinese."""
    adopted: list[str] = []
    with read_session(engine) as session:
        mine = digests(session, published=True)
        link = session.get(SyncLink, 1)
        hub = link.hub_site if link else own_site
    actor = Actor(username=f"sync:{hub}", role="admin", site=own_site)
    now = datetime.now(UTC)
    if published.get("catalog") and published["catalog"] != mine["catalog"]:
        doc = document("catalog")
        if doc is not None:
            with write_session(engine) as session:
                try:
                    if adopt_catalog(session, actor, doc):
                        adopted.append("事项目录")
                except ReferenceInvalid as exc:
                    problem(session, hub, "reference", str(exc), now)
    theirs = published.get("calendar") or {}
    if any(mine["calendar"].get(year) != digest for year, digest in theirs.items()):
        doc = document("calendar")
        if doc is not None:
            with write_session(engine) as session:
                try:
                    years = adopt_calendar(session, actor, doc, hub)
                except ReferenceInvalid as exc:
                    problem(session, hub, "reference", str(exc), now)
                    years = []
                if years:
                    recompute_due_dates(session, actor)
                    adopted.append("工作日历 " + "、".join(str(y) for y in years))
    return adopted


class _Tally:
    def __init__(self) -> None:
        self.pushed = 0
        self.pulled = 0
        self.flagged = 0
        self.offset_ms = 0
        self.rejections: list[str] = []
        #: Reference data adopted from the hub in this round (what, in Chinese).
        self.reference: list[str] = []
        #: This site's events the hub holds quarantined, as its head said (None: not said).
        self.held_at_hub: object = None
        #: Own events taken back from the hub (a node restored from an old backup), if any.
        self.recovered: Recovered | None = None


def held_at_hub(stored: str) -> list[HeldAtHub]:
    """The hub's list as kept in sync_link, read leniently: it came over the network."""
    try:
        items = json.loads(stored or "[]")
    except ValueError:
        return []
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        received = item.get("received_at")
        try:
            at = datetime.fromisoformat(received) if isinstance(received, str) else None
        except ValueError:
            at = None
        found.append(
            HeldAtHub(
                event_id=str(item.get("event_id", "")),
                type=str(item.get("type", "")),
                status=str(item.get("status", "")),
                note=str(item.get("note", "")),
                received_at=at,
            )
        )
    return found


def _rejections(session: Session, event_ids: list[str]) -> list[Rejection]:
    from counter_tui.cases.events import ACTION_OF
    from counter_tui.cases.lifecycle import ACTIONS

    found = []
    for event_id in event_ids:
        row = session.get(CaseRejection, event_id)
        if row is None:
            continue
        case = session.get(Case, row.case_id)
        action = ACTIONS.get(ACTION_OF.get(row.rejected_type, ""), row.rejected_type)
        found.append(
            Rejection(
                event_id=row.event_id,
                case_id=row.case_id,
                case_number=case.number if case else "",
                author=row.author,
                action=action,
                reason=row.reason,
                at=row.at,
            )
        )
    return found
