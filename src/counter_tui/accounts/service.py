"""Account services: the only code that changes users. Each checks the actor's role first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from counter_tui.accounts import rules
from counter_tui.accounts.models import UserAccount
from counter_tui.accounts.passwords import hash_password, needs_rehash, verify_password
from counter_tui.actor import Actor
from counter_tui.clock import to_local
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.ids import new_id
from counter_tui.journal.service import record
from counter_tui.text import clean


def utcnow() -> datetime:
    return datetime.now(UTC)


def require(actor: Actor, action: str) -> None:
    problem = rules.permission_problem(actor.role, action)
    if problem:
        raise PermissionDenied(problem)


def find_user(session: Session, username: str) -> UserAccount | None:
    return session.exec(select(UserAccount).where(UserAccount.username == username)).first()


def display_names(session: Session, usernames: set[str]) -> dict[str, str]:
    """user name → the name on the account, for the accounts this node knows (timelines show
    people, not logins)."""
    if not usernames:
        return {}
    rows = session.exec(
        select(UserAccount.username, UserAccount.display_name).where(
            col(UserAccount.username).in_(sorted(usernames))
        )
    ).all()
    return dict(rows)


def _existing(session: Session, username: str) -> UserAccount:
    user = find_user(session, username)
    if user is None:
        raise UserError(f"没有这个用户：{username}")
    return user


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    department: str | None = None,
    now: datetime | None = None,
) -> UserAccount:
    require(actor, "users.manage")
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
    if find_user(session, username) is not None:
        raise UserError(f"用户名已存在：{username}")
    user_id = new_id()
    record(
        session,
        actor,
        "user.created",
        {
            "id": user_id,
            "username": username,
            "display_name": display_name,
            "role": role,
            "department": department if role == "approver" else None,
            "password_hash": hash_password(password),
            "at": (now or utcnow()).isoformat(),
        },
    )
    created = session.get(UserAccount, user_id)
    assert created is not None
    return created


def change_password(
    session: Session, actor: Actor, username: str, password: str, now: datetime | None = None
) -> None:
    """Set a new password; also lifts a lockout. Users may change their own, admins anyone's."""
    user = _existing(session, username)
    if actor.user_id != user.id:
        require(actor, "users.manage")
    problem = rules.password_problem(password)
    if problem:
        raise UserError(problem)
    record(
        session,
        actor,
        "user.password_changed",
        {
            "id": user.id,
            "password_hash": hash_password(password),
            "at": (now or utcnow()).isoformat(),
        },
    )


def set_disabled(session: Session, actor: Actor, username: str, disabled: bool) -> None:
    require(actor, "users.manage")
    user = _existing(session, username)
    if user.disabled == disabled:
        return
    kind = "user.disabled" if disabled else "user.enabled"
    record(session, actor, kind, {"id": user.id, "at": utcnow().isoformat()})


def list_users(session: Session) -> list[UserAccount]:
    return list(session.exec(select(UserAccount).order_by(col(UserAccount.username))).all())


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
    """Check a login; record success, failure, refusal and lockout in the journal (in the
    caller's transaction).

    Failures are recorded under the node's site by the would-be user, so the audit trail shows
    who tried what from which window.
    """
    now = now or utcnow()
    # What was typed goes into the journal (as the actor of a failed attempt): data, never markup.
    username = clean(username)
    user = find_user(session, username)
    at = now.isoformat()
    if user is None:
        verify_password(None, password)  # same time as a real check
        anonymous = Actor(username=username[:64] or "?", role="anonymous", site=site, window=window)
        record(
            session,
            anonymous,
            "login.unknown_user",
            {"username": username[:64], "at": at, "window": window},
        )
        return LoginResult(message="用户名或密码错误")
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
        refused = {"id": user.id, "at": at, "window": window, "reason": "locked"}
        record(session, subject, "user.login_refused", refused)
        return LoginResult(
            message=f"账号已锁定，请于 {_local_hhmm(user.locked_until)} 后再试，或请管理员重设密码"
        )
    if not verify_password(user.password_hash, password):
        record(session, subject, "user.login_failed", {"id": user.id, "at": at, "window": window})
        if user.failed_logins >= rules.MAX_FAILED_LOGINS:
            until = now + rules.LOCKOUT
            record(
                session,
                subject,
                "user.locked",
                {"id": user.id, "at": at, "until": until.isoformat()},
            )
            return LoginResult(
                message=f"密码连续错误 {rules.MAX_FAILED_LOGINS} 次，"
                f"账号已锁定至 {_local_hhmm(until)}"
            )
        left = rules.MAX_FAILED_LOGINS - user.failed_logins
        minutes = int(rules.LOCKOUT.total_seconds() // 60)
        return LoginResult(message=f"用户名或密码错误（再错 {left} 次将锁定 {minutes} 分钟）")
    if user.disabled:
        refused = {"id": user.id, "at": at, "window": window, "reason": "disabled"}
        record(session, subject, "user.login_refused", refused)
        return LoginResult(message="账号已停用，请联系管理员")
    record(session, subject, "user.login_succeeded", {"id": user.id, "at": at, "window": window})
    if needs_rehash(user.password_hash):  # hashing parameters changed since this password was set
        rehashed = {"id": user.id, "password_hash": hash_password(password), "at": at}
        record(session, subject, "user.password_changed", rehashed)
    return LoginResult(actor=subject, display_name=user.display_name)


def _local_hhmm(moment: datetime) -> str:
    return to_local(moment).strftime("%H:%M")
