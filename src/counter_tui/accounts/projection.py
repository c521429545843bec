"""Applies user.* events to the user table. Times come from payloads, so replay is exact."""

from datetime import datetime

from sqlmodel import Session

from counter_tui.accounts import events as ev
from counter_tui.accounts.models import UnknownLogin, UserAccount
from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES = [UserAccount, UnknownLogin]


def _user(session: Session, user_id: str) -> UserAccount:
    user = session.get(UserAccount, user_id)
    if user is None:
        raise LookupError(f"event for unknown user {user_id}")
    return user


def _probe(session: Session, site: str, username: str) -> UnknownLogin:
    """The count of failed sign-ins under `username` at `site` (where it was tried: the event's
    site), new if there is none yet."""
    key = (site, username)
    return session.get(UnknownLogin, key) or UnknownLogin(site=site, username=username)


@handles(ev.USER_CREATED)
def _created(session: Session, event: Event, p: ev.UserCreated) -> None:
    session.add(
        UserAccount(
            id=p.id,
            username=p.username,
            display_name=p.display_name,
            role=p.role,
            department=p.department,
            site=p.site or event.site,
            password_hash=p.password_hash,
            created_at=datetime.fromisoformat(p.at),
        )
    )


@handles(ev.USER_PASSWORD_CHANGED)
def _password_changed(session: Session, event: Event, p: ev.PasswordChanged) -> None:
    user = _user(session, p.id)
    user.password_hash = p.password_hash
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


@handles(ev.USER_DISABLED)
def _disabled(session: Session, event: Event, p: ev.UserDisabled) -> None:
    user = _user(session, p.id)
    user.disabled = True
    session.add(user)


@handles(ev.USER_ENABLED)
def _enabled(session: Session, event: Event, p: ev.UserEnabled) -> None:
    user = _user(session, p.id)
    user.disabled = False
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


@handles(ev.USER_LOGIN_SUCCEEDED)
def _login_succeeded(session: Session, event: Event, p: ev.LoginSucceeded) -> None:
    user = _user(session, p.id)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = datetime.fromisoformat(p.at)
    session.add(user)


@handles(ev.USER_LOGIN_FAILED)
def _login_failed(session: Session, event: Event, p: ev.LoginFailed) -> None:
    user = _user(session, p.id)
    user.failed_logins += 1
    session.add(user)


@handles(ev.USER_LOCKED)
def _locked(session: Session, event: Event, p: ev.UserLocked) -> None:
    user = _user(session, p.id)
    user.locked_until = datetime.fromisoformat(p.until)
    user.failed_logins = 0
    session.add(user)


@handles(ev.USER_LOGIN_REFUSED)
def _login_refused(session: Session, event: Event, p: ev.LoginRefused) -> None:
    """A login refused while the account is locked or disabled: for the audit only."""


@handles(ev.LOGIN_UNKNOWN_USER)
def _unknown_user(session: Session, event: Event, p: ev.UnknownUser) -> None:
    """A sign-in under a name without an account. Counted like a wrong password when the payload
    says `attempt: failed` (events before that field existed are for the audit only)."""
    if p.attempt != "failed":
        return
    probe = _probe(session, event.site, p.username)
    probe.failed_logins += 1
    session.add(probe)


@handles(ev.LOGIN_UNKNOWN_LOCKED)
def _unknown_locked(session: Session, event: Event, p: ev.UnknownLocked) -> None:
    probe = _probe(session, event.site, p.username)
    probe.locked_until = datetime.fromisoformat(p.until)
    probe.failed_logins = 0
    session.add(probe)
