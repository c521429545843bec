"""The user table: a projection of user.* events."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class UserAccount(SQLModel, table=True):
    """An account of a site. User names are unique within a site only: a hub holds the accounts
    of every site it serves, and two villages may each have a `li`."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("site", "username", name="uq_user_account_site_username"),)

    id: str = Field(primary_key=True, max_length=36)
    username: str = Field(max_length=64)
    display_name: str = Field(max_length=100)
    role: str = Field(max_length=16)
    #: Department code, for approvers (their worklist is that department's cases).
    department: str | None = Field(default=None, max_length=64)
    site: str = Field(max_length=64)
    password_hash: str = Field(max_length=255)
    disabled: bool = False
    failed_logins: int = 0
    #: The time until which logins are refused after too many wrong passwords.
    locked_until: datetime | None = None
    created_at: datetime
    last_login_at: datetime | None = None


class UnknownLogin(SQLModel, table=True):
    """Failed sign-ins under a name that has no account: a projection of login.unknown_* events.

    Counted and locked exactly like an account (`UserAccount.failed_logins`, `locked_until`), so
    the login screen answers an unknown name as it answers a known one and the names of the
    hall's accounts cannot be found by trying (issue 12, point 9). Keyed by the site the
    sign-in was tried at (the event's site), like the accounts it stands in for.
    """

    __tablename__ = "unknown_login"

    site: str = Field(primary_key=True, max_length=64)
    username: str = Field(primary_key=True, max_length=64)
    failed_logins: int = 0
    locked_until: datetime | None = None
