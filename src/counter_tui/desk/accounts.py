"""The accounts door: signing in at this node's window, and the node's accounts as an
administrator manages them (the command line's `users …`).

Sign-in looks the name up among the accounts of the node's own site. Managing names a site,
the node's own by default; the county's administrator at the hub may name any site the hub knows
(accounts.service.require_site)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_tui.accounts.service import (
    LoginResult,
    authenticate,
    change_password,
    create_user,
    department_problem,
    find_user,
    list_users,
    recover_admin,
    require_site,
    set_disabled,
    utcnow,
)
from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.recovery import recovery_actor, recovery_problem
from counter_tui.errors import UserError


@dataclass(frozen=True)
class Account:
    """One account as a list shows it."""

    site: str
    username: str
    name: str
    role: str
    department: str | None
    disabled: bool
    #: Locked now, after too many wrong passwords.
    locked: bool
    last_login_at: datetime | None


class AccountsDoor(Door):
    def login(self, username: str, password: str) -> LoginResult:
        """Check a password at this window; failures count towards the lockout (journal)."""
        with write_session(self.engine) as session:
            return authenticate(
                session, username, password, site=self.node.site, window=self.settings.window
            )

    def sign_in_admin(self, username: str, password: str) -> Actor:
        """An administrator signing in for one command (no window): their actor, or a refusal
        in one Chinese line. The attempt is committed whatever the outcome, so a wrong password
        counts towards the lockout even though the command then stops."""
        with write_session(self.engine) as session:
            result = authenticate(session, username, password, site=self.node.site)
        if result.actor is None:
            raise UserError(f"管理员登录失败：{result.message}")
        if result.actor.role != "admin":
            raise UserError(
                f"{username} 不是管理员账号：此命令需要管理员登录（--admin 管理员用户名）"
            )
        return result.actor

    def only_admin(self) -> str:
        """The user name of the node's one enabled administrator (of its own site); refuses
        when there are none or several (then the administrator must be named)."""
        with read_session(self.engine) as session:
            users = list_users(session, site=self.node.site)
        admins = [u.username for u in users if u.role == "admin" and not u.disabled]
        if len(admins) == 1:
            return admins[0]
        if not admins:
            raise UserError(
                "本机没有可用的管理员账号："
                "请由数据库文件的所有者运行 counter-tui users reset-admin 用户名"
            )
        raise UserError(f"本机有多个管理员，请用 --admin 指定：{'、'.join(admins)}")

    def accounts(self, site: str | None = None) -> list[Account]:
        """The accounts of `site`, or of every site the node holds (a hub holds many)."""
        with read_session(self.engine) as session:
            users = list_users(session, site=site)
        now = utcnow()
        return [
            Account(
                site=u.site,
                username=u.username,
                name=u.display_name,
                role=u.role,
                department=u.department,
                disabled=u.disabled,
                locked=u.locked_until is not None and u.locked_until > now,
                last_login_at=u.last_login_at,
            )
            for u in users
        ]

    def exists(self, username: str, site: str | None = None) -> bool:
        """Whether `site` (default: the node's own) has an account `username`."""
        with read_session(self.engine) as session:
            return find_user(session, username, site=site or self.node.site) is not None

    def require_site(self, actor: Actor, site: str) -> None:
        """Refuse (PermissionDenied) unless `actor` may manage the accounts of `site`: checked
        before a password is typed for nothing; the services check it again."""
        with read_session(self.engine) as session:
            require_site(session, actor, site)

    def department_problem(self, department: str) -> str | None:
        """None when `department` is one of the active catalog's (an approver's must be)."""
        with read_session(self.engine) as session:
            return department_problem(session, department)

    def add(
        self,
        actor: Actor,
        *,
        username: str,
        name: str,
        role: str,
        password: str,
        department: str | None,
        site: str | None = None,
    ) -> None:
        """A new account of `site` (default: the actor's, which is the node's)."""
        with write_session(self.engine) as session:
            create_user(
                session,
                actor,
                username=username,
                display_name=name,
                role=role,
                password=password,
                department=department,
                site=site,
            )

    def change_password(
        self, actor: Actor, username: str, password: str, site: str | None = None
    ) -> None:
        """A new password; also lifts a lockout."""
        with write_session(self.engine) as session:
            change_password(session, actor, username, password, site=site)

    def set_disabled(
        self, actor: Actor, username: str, disabled: bool, site: str | None = None
    ) -> None:
        with write_session(self.engine) as session:
            set_disabled(session, actor, username, disabled, site=site)

    def recovery_problem(self) -> str | None:
        """None when this process may reset an administrator without signing in (recovery)."""
        return recovery_problem(self.engine, self.settings.sqlite_path)

    def recover_admin(self, username: str, password: str) -> bool:
        """Reset (or create) administrator `username`, enabled and unlocked, as the system
        user (`recovery:<os user>` in the journal); True when the account was created. The
        caller has checked `recovery_problem` first."""
        with write_session(self.engine) as session:
            return recover_admin(session, recovery_actor(self.node.site), username, password)
