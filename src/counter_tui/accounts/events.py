"""Accounts' event types and their payloads (the catalogue: docs/events.md).

Times are ISO 8601 strings with their offset, so replay never reads the clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from counter_tui.journal.events import declare

USER_CREATED = "user.created"
USER_PASSWORD_CHANGED = "user.password_changed"
USER_DISABLED = "user.disabled"
USER_ENABLED = "user.enabled"
USER_LOGIN_SUCCEEDED = "user.login_succeeded"
USER_LOGIN_FAILED = "user.login_failed"
USER_LOCKED = "user.locked"
USER_LOGIN_REFUSED = "user.login_refused"
LOGIN_UNKNOWN_USER = "login.unknown_user"
LOGIN_UNKNOWN_LOCKED = "login.unknown_locked"


@declare(USER_CREATED)
@dataclass(frozen=True)
class UserCreated:
    """A new account. `site` is the user's site: the county's administrator creates accounts
    for other sites at the hub, so it may differ from the event's; None (events written before
    the field existed) means the event's site."""

    id: str
    username: str
    display_name: str
    role: str
    password_hash: str
    at: str
    #: An approver's department; None for every other role.
    department: str | None = None
    site: str | None = None


@declare(USER_PASSWORD_CHANGED)
@dataclass(frozen=True)
class PasswordChanged:
    """A new password (also lifts a lockout); `reason` "recovery" for `users reset-admin`."""

    id: str
    password_hash: str
    at: str
    reason: str | None = None


@declare(USER_DISABLED)
@dataclass(frozen=True)
class UserDisabled:
    id: str
    at: str


@declare(USER_ENABLED)
@dataclass(frozen=True)
class UserEnabled:
    """Enabled again: also lifts a lockout."""

    id: str
    at: str


@declare(USER_LOGIN_SUCCEEDED)
@dataclass(frozen=True)
class LoginSucceeded:
    id: str
    at: str
    window: str | None = None


@declare(USER_LOGIN_FAILED)
@dataclass(frozen=True)
class LoginFailed:
    """A wrong password: counts towards the lockout."""

    id: str
    at: str
    window: str | None = None


@declare(USER_LOCKED)
@dataclass(frozen=True)
class UserLocked:
    id: str
    at: str
    until: str


@declare(USER_LOGIN_REFUSED)
@dataclass(frozen=True)
class LoginRefused:
    """A sign-in refused on a locked or disabled account: for the audit only."""

    id: str
    at: str
    reason: str
    window: str | None = None


@declare(LOGIN_UNKNOWN_USER)
@dataclass(frozen=True)
class UnknownUser:
    """A sign-in under a name without an account. `attempt` "failed" counts like a wrong
    password, "refused" was made while the name was locked; events written before the field
    existed (None) are for the audit only (docs/architecture.md, Deviations)."""

    username: str
    at: str
    window: str | None = None
    attempt: Literal["failed", "refused"] | None = None


@declare(LOGIN_UNKNOWN_LOCKED)
@dataclass(frozen=True)
class UnknownLocked:
    username: str
    at: str
    until: str
