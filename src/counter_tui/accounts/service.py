"""Account services: the only code that changes users. Each checks the actor's role first.

An account belongs to a site, and its user name is unique within that site only (a hub holds
every site's accounts): every lookup by name names the site. Sign-in looks within the site the
node serves; an administrator manages their own site's accounts, and the county's administrator
at the hub those of any site the hub knows (rules.site_scope_problem).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from counter_tui.accounts import events as ev
from counter_tui.accounts import rules
from counter_tui.accounts.models import UnknownLogin, UserAccount
from counter_tui.accounts.passwords import hash_password, needs_rehash, verify_password
from counter_tui.actor import Actor
from counter_tui.catalog.service import active_version, departments
from counter_tui.clock import to_local
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.ids import new_id
from counter_tui.journal.service import record
from counter_tui.site.models import Node, Site
from counter_tui.text import clean


def utcnow() -> datetime:
    return datetime.now(UTC)


def require(actor: Actor, action: str) -> None:
    problem = rules.permission_problem(actor.role, action)
    if problem:
        raise PermissionDenied(problem)


def find_user(session: Session, username: str, *, site: str) -> UserAccount | None:
    """The account `username` of `site` (names are unique within a site only)."""
    return session.exec(
        select(UserAccount).where(UserAccount.site == site, UserAccount.username == username)
    ).first()


def display_names(session: Session, people: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(site, user name) → the name on the account, for the accounts this node knows (timelines
    show people, not logins; an event's actor is a user name of the event's site)."""
    if not people:
        return {}
    rows = session.exec(
        select(UserAccount.site, UserAccount.username, UserAccount.display_name).where(
            col(UserAccount.username).in_(sorted({name for _, name in people})),
            col(UserAccount.site).in_(sorted({site for site, _ in people})),
        )
    ).all()
    return {(site, name): shown for site, name, shown in rows if (site, name) in people}


def _existing(session: Session, actor: Actor, username: str, site: str) -> UserAccount:
    user = find_user(session, username, site=site)
    if user is None:
        where = "" if site == actor.site else f"（站点 {site}）"
        raise UserError(f"没有这个用户：{username}{where}")
    return user


def require_site(session: Session, actor: Actor, site: str) -> None:
    """Refuse unless `actor` may manage the accounts of `site` (rules.site_scope_problem)."""
    if site == actor.site:
        return
    node = session.get(Node, 1)
    problem = rules.site_scope_problem(
        actor.site,
        site,
        node_site=node.site if node else "",
        node_level=node.level if node else "",
        known=session.get(Site, site) is not None,
    )
    if problem:
        raise PermissionDenied(problem)


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    department: str | None = None,
    site: str | None = None,
    now: datetime | None = None,
) -> UserAccount:
    """A new account of `site` (default: the actor's own)."""
    require(actor, "users.manage")
    site = site or actor.site
    require_site(session, actor, site)
    username = username.strip()
    display_name = clean(display_name)
    department = clean(department) if department else None
    for problem in (
        rules.username_problem(username),
        rules.role_problem(role, department),
        rules.password_problem(password),
        None if display_name else "姓名不能为空",
    ):
        if problem:
            raise UserError(problem)
    if role == "approver" and department:
        problem = department_problem(session, department)
        if problem:
            raise UserError(problem)
    if find_user(session, username, site=site) is not None:
        raise UserError(f"用户名已存在：{username}")
    user_id = new_id()
    record(
        session,
        actor,
        ev.USER_CREATED,
        ev.UserCreated(
            id=user_id,
            username=username,
            display_name=display_name,
            role=role,
            department=department if role == "approver" else None,
            password_hash=hash_password(password),
            at=(now or utcnow()).isoformat(),
            site=site,
        ),
    )
    created = session.get(UserAccount, user_id)
    assert created is not None
    return created


def department_problem(session: Session, department: str) -> str | None:
    """None when `department` is a department of the active catalog, else the refusal (an
    approver's worklist is their department's cases: a typo would leave it empty for good)."""
    if active_version(session) is None:
        return (
            "本机还没有事项目录，无法核对部门：请先导入目录"
            "（counter-tui catalog import 目录文件夹），再新增后台审批人员"
        )
    known = departments(session)
    if department in known:
        return None
    options = "、".join(f"{code}（{name}）" for code, name in sorted(known.items()))
    return f"目录中没有这个部门：{department}（可用：{options}）"


def change_password(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    now: datetime | None = None,
    *,
    site: str | None = None,
    reason: str | None = None,
) -> None:
    """Set a new password of user `username` of `site` (default: the actor's own); also lifts a
    lockout. Users may change their own, admins those of the sites they manage. `reason`
    ("recovery") travels in the event for the audit."""
    site = site or actor.site
    if site != actor.site:
        require(actor, "users.manage")
        require_site(session, actor, site)
    user = _existing(session, actor, username, site)
    if actor.user_id != user.id:
        require(actor, "users.manage")
    problem = rules.password_problem(password)
    if problem:
        raise UserError(problem)
    payload = ev.PasswordChanged(
        id=user.id,
        password_hash=hash_password(password),
        at=(now or utcnow()).isoformat(),
        reason=reason,
    )
    record(session, actor, ev.USER_PASSWORD_CHANGED, payload)


def recover_admin(
    session: Session, actor: Actor, username: str, password: str, now: datetime | None = None
) -> bool:
    """Give an administrator of the actor's site (the node's) a new password, enabled and
    unlocked; create the account when there is none of that name. Returns True when it was
    created.

    The caller has checked that whoever runs this owns the database
    (desk.recovery.recovery_problem); `actor` names them (`recovery:<os user>`)."""
    require(actor, "users.manage")
    user = find_user(session, username, site=actor.site)
    if user is None:
        create_user(
            session,
            actor,
            username=username,
            display_name="管理员",
            role="admin",
            password=password,
            now=now,
        )
        return True
    if user.role != "admin":
        raise UserError(
            f"{username} 不是管理员账号（{rules.role_label(user.role)}）：找回只用于管理员"
        )
    change_password(session, actor, username, password, now, reason="recovery")
    if user.disabled:
        set_disabled(session, actor, username, False)
    return False


def set_disabled(
    session: Session, actor: Actor, username: str, disabled: bool, *, site: str | None = None
) -> None:
    """Disable or enable user `username` of `site` (default: the actor's own)."""
    require(actor, "users.manage")
    site = site or actor.site
    require_site(session, actor, site)
    user = _existing(session, actor, username, site)
    if user.disabled == disabled:
        return
    at = utcnow().isoformat()
    if disabled:
        record(session, actor, ev.USER_DISABLED, ev.UserDisabled(id=user.id, at=at))
    else:
        record(session, actor, ev.USER_ENABLED, ev.UserEnabled(id=user.id, at=at))


def list_users(session: Session, *, site: str | None = None) -> list[UserAccount]:
    """The accounts of `site`, or of every site this node holds (a hub holds many)."""
    query = select(UserAccount)
    if site is not None:
        query = query.where(UserAccount.site == site)
    return list(session.exec(query.order_by(col(UserAccount.site), col(UserAccount.username))))


@dataclass(frozen=True)
class LoginResult:
    """Either `actor` (signed in) or `message` (why not, in Chinese, for the login screen)."""

    actor: Actor | None = None
    display_name: str = ""
    message: str = ""


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    site: str,
    window: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check a login for an account of `site` (the site this node serves: the name is looked
    up there and nowhere else); record success, failure, refusal and lockout in the journal (in
    the caller's transaction).

    Failures are recorded under the node's site by the would-be user, so the audit trail shows
    who tried what from which window.
    """
    now = now or utcnow()
    # What was typed goes into the journal (as the actor of a failed attempt): data, never markup.
    username = clean(username)
    user = find_user(session, username, site=site)
    at = now.isoformat()
    if user is None:
        return _unknown_user(session, username[:64], password, site=site, window=window, now=now)
    subject = Actor(
        username=user.username,
        role=user.role,
        site=site,
        user_id=user.id,
        department=user.department,
        window=window,
    )
    if user.locked_until is not None and user.locked_until > now:
        # Attempts on a locked account are part of the audit trail, but do not extend the lockout.
        refused = ev.LoginRefused(id=user.id, at=at, window=window, reason="locked")
        record(session, subject, ev.USER_LOGIN_REFUSED, refused)
        return LoginResult(message=_locked_message(user.locked_until))
    if not verify_password(user.password_hash, password):
        failed = ev.LoginFailed(id=user.id, at=at, window=window)
        record(session, subject, ev.USER_LOGIN_FAILED, failed)
        if user.failed_logins >= rules.MAX_FAILED_LOGINS:
            until = now + rules.LOCKOUT
            locked = ev.UserLocked(id=user.id, at=at, until=until.isoformat())
            record(session, subject, ev.USER_LOCKED, locked)
            return LoginResult(message=_now_locked_message(until))
        return LoginResult(message=_wrong_message(user.failed_logins))
    if user.disabled:
        refused = ev.LoginRefused(id=user.id, at=at, window=window, reason="disabled")
        record(session, subject, ev.USER_LOGIN_REFUSED, refused)
        return LoginResult(message="账号已停用，请联系管理员")
    succeeded = ev.LoginSucceeded(id=user.id, at=at, window=window)
    record(session, subject, ev.USER_LOGIN_SUCCEEDED, succeeded)
    if needs_rehash(user.password_hash):  # hashing parameters changed since this password was set
        rehashed = ev.PasswordChanged(id=user.id, password_hash=hash_password(password), at=at)
        record(session, subject, ev.USER_PASSWORD_CHANGED, rehashed)
    return LoginResult(actor=subject, display_name=user.display_name)


def _unknown_user(
    session: Session, username: str, password: str, *, site: str, window: str | None, now: datetime
) -> LoginResult:
    """A name without an account gets the answers a known name gets, step for step: the same
    count of attempts left, the same lockout, an argon2 check of the same cost (against a dummy
    hash) where a known name is checked. Otherwise the message would tell who has an account."""
    anonymous = Actor(username=username or "?", role="anonymous", site=site, window=window)
    at = now.isoformat()
    probe = session.get(UnknownLogin, (site, username), populate_existing=True)
    if probe is not None and probe.locked_until is not None and probe.locked_until > now:
        refused = ev.UnknownUser(username=username, at=at, window=window, attempt="refused")
        record(session, anonymous, ev.LOGIN_UNKNOWN_USER, refused)
        return LoginResult(message=_locked_message(probe.locked_until))
    verify_password(None, password)  # same time as a real check
    failed = ev.UnknownUser(username=username, at=at, window=window, attempt="failed")
    record(session, anonymous, ev.LOGIN_UNKNOWN_USER, failed)
    probe = session.get(UnknownLogin, (site, username))
    count = probe.failed_logins if probe is not None else 1
    if count >= rules.MAX_FAILED_LOGINS:
        until = now + rules.LOCKOUT
        locked = ev.UnknownLocked(username=username, at=at, until=until.isoformat())
        record(session, anonymous, ev.LOGIN_UNKNOWN_LOCKED, locked)
        return LoginResult(message=_now_locked_message(until))
    return LoginResult(message=_wrong_message(count))


def _wrong_message(failed_logins: int) -> str:
    left = rules.MAX_FAILED_LOGINS - failed_logins
    minutes = int(rules.LOCKOUT.total_seconds() // 60)
    return f"用户名或密码错误（再错 {left} 次将锁定 {minutes} 分钟）"


def _now_locked_message(until: datetime) -> str:
    return f"密码连续错误 {rules.MAX_FAILED_LOGINS} 次，账号已锁定至 {_local_hhmm(until)}"


def _locked_message(until: datetime) -> str:
    return f"账号已锁定，请于 {_local_hhmm(until)} 后再试，或请管理员重设密码"


def _local_hhmm(moment: datetime) -> str:
    return to_local(moment).strftime("%H:%M")
