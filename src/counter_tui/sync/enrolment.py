"""Enrolment at the hub: a one-time code for a site, redeemed once for a device token.

The hub keeps SHA-256 hashes of both, never the secrets: a token is 256 random bits, so a plain
hash is as good as a slow one and costs nothing per request; a code is short-lived and usable
once. `revoke` ends a site's access at once (its token no longer matches anything).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from counter_tui.actor import Actor
from counter_tui.errors import UserError
from counter_tui.journal.service import record
from counter_tui.site.events import SITE_CREATED, SiteCreated
from counter_tui.site.models import Site
from counter_tui.site.rules import level_problem, site_code_problem
from counter_tui.sync.devices import retire, token_digest
from counter_tui.sync.models import HubEnrolment, HubSite
from counter_tui.text import clean

#: How long an enrolment code can be used.
CODE_LIFETIME = timedelta(hours=24)
#: Letters and digits that cannot be misread on a phone call (no 0/O, 1/I/L).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class NotEnrolled(Exception):
    """A code or token the hub does not accept (HTTP 401). The reason is for the caller."""


def digest(secret: str) -> str:
    """The hash kept of an enrolment code: read as typed, without case, dashes or spaces."""
    plain = "".join(secret.split()).replace("-", "").upper()
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def enrol(session: Session, hub: Actor, site: str, name: str, level: str, now: datetime) -> str:
    """Enrol `site` (or enrol it again: a new code, the old token still valid until the new one
    is redeemed) and return a one-time code. The site is recorded as a `site.created` event the
    first time, so every node learns its name."""
    problem_text = site_code_problem(site) or level_problem(level)
    if problem_text:
        raise UserError(problem_text)
    if site == hub.site:
        raise UserError("这是中心自己的站点编码，不能登记为下属站点")
    name = clean(name)
    if not name:
        raise UserError("站点名称不能为空")
    row = session.get(HubSite, site)
    if row is None:
        row = HubSite(site=site, name=name, level=level, enrolled_at=now)
    row.name, row.level = name, level
    session.add(row)
    if session.get(Site, site) is None:
        record(session, hub, SITE_CREATED, SiteCreated(code=site, name=name))
    code = new_code()
    session.add(
        HubEnrolment(
            code_hash=digest(code), site=site, created_at=now, expires_at=now + CODE_LIFETIME
        )
    )
    return code


def redeem(
    session: Session, site: str, code: str, now: datetime, public_key: str | None = None
) -> str:
    """The device token for `site`, in exchange for its unused, unexpired code; `site` "": the
    code's own site (`sync restore` on a fresh PC learns its site from the code). `public_key`
    (the new device's, for its bundles: sync/keys.py) replaces the one the hub held: the device
    the site had is kept as replaced (sync/devices.py), with its key, and its next request or
    bundle is told of the fork."""

    enrolment = session.get(HubEnrolment, digest(code), with_for_update=True)
    if enrolment is None or enrolment.site != (site or enrolment.site):
        raise NotEnrolled("登记码不对，或不是这个站点的登记码")
    if enrolment.used_at is not None:
        raise NotEnrolled("登记码已经用过（每个登记码只能用一次）")
    if enrolment.expires_at <= now:
        raise NotEnrolled("登记码已过期，请中心管理员重新生成")
    row = session.get(HubSite, enrolment.site)
    if row is None:
        raise NotEnrolled("该站点未在中心登记")
    token = secrets.token_urlsafe(32)
    retire(session, row, now)
    enrolment.used_at = now
    row.token_hash = token_digest(token)
    row.registered_at = now
    row.revoked_at = None
    row.public_key = public_key or ""
    session.add(enrolment)
    session.add(row)
    return token


def authenticate(session: Session, token: str) -> HubSite:
    """The enrolled site a device token belongs to; NotEnrolled for any other token."""
    if not token:
        raise NotEnrolled("缺少设备凭证")
    found = session.exec(select(HubSite).where(HubSite.token_hash == token_digest(token))).first()
    if found is None:
        raise NotEnrolled("设备凭证无效")
    if found.revoked_at is not None:
        raise NotEnrolled("该站点的访问已被中心撤销")
    return found


def revoke(session: Session, site: str, now: datetime) -> HubSite:
    row = session.get(HubSite, site)
    if row is None:
        raise UserError(f"中心没有登记站点 {site}")
    # The hash stays, so the revoked token is told it was revoked; a new code replaces it.
    row.revoked_at = now
    session.add(row)
    return row
