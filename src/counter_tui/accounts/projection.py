"""Applies user.* events to the user table. Times come from payloads, so replay is exact."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from counter_tui.accounts.models import UnknownLogin, UserAccount
from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES = [UserAccount, UnknownLogin]


def _user(session: Session, payload: dict[str, Any]) -> UserAccount:
    user = session.get(UserAccount, payload["id"])
    if user is None:
        raise LookupError(f"event for unknown user {payload['id']}")
    return user


def _at(payload: dict[str, Any], key: str = "at") -> datetime:
    return datetime.fromisoformat(payload[key])


@handles("user.created")
def _created(session: Session, event: Event, p: dict[str, Any]) -> None:
    session.add(
        UserAccount(
            id=p["id"],
            username=p["username"],
            display_name=p["display_name"],
            role=p["role"],
            department=p.get("department"),
            site=event.site,
            password_hash=p["password_hash"],
            created_at=_at(p),
        )
    )


@handles("user.password_changed")
def _password_changed(session: Session, event: Event, p: dict[str, Any]) -> None:
    user = _user(session, p)
    user.password_hash = p["password_hash"]
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


@handles("user.disabled")
def _disabled(session: Session, event: Event, p: dict[str, Any]) -> None:
    user = _user(session, p)
    user.disabled = True
    session.add(user)


@handles("user.enabled")
def _enabled(session: Session, event: Event, p: dict[str, Any]) -> None:
    user = _user(session, p)
    user.disabled = False
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


@handles("user.login_succeeded")
def _login_succeeded(session: Session, event: Event, p: dict[str, Any]) -> None:
    user = _user(session, p)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = _at(p)
    session.add(user)


@handles("user.login_failed")
def _login_failed(session: Session, event: Event, p: dict[str, Any]) -> None:
    user = _user(session, p)
    user.failed_logins += 1
    session.add(user)


@handles("user.locked")
def _locked(session: Session, event: Event, p: dict[str, Any]) -> None:
    user = _user(session, p)
    user.locked_until = _at(p, "until")
    user.failed_logins = 0
    session.add(user)


@handles("user.login_refused")
def _login_refused(session: Session, event: Event, p: dict[str, Any]) -> None:
    """A login refused while the account is locked or disabled: for the audit only."""


@handles("login.unknown_user")
def _unknown_user(session: Session, event: Event, p: dict[str, Any]) -> None:
    """A sign-in under a name without an account. Counted like a wrong password when the payload
    says `attempt: failed` (events before that field existed are for the audit only)."""
    if p.get("attempt") != "failed":
        return
    probe = session.get(UnknownLogin, p["username"]) or UnknownLogin(username=p["username"])
    probe.failed_logins += 1
    session.add(probe)


@handles("login.unknown_locked")
def _unknown_locked(session: Session, event: Event, p: dict[str, Any]) -> None:
    probe = session.get(UnknownLogin, p["username"]) or UnknownLogin(username=p["username"])
    probe.locked_until = _at(p, "until")
    probe.failed_logins = 0
    session.add(probe)
