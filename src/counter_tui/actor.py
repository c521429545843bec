"""Who does something, and where: every service call and every event names its actor (DESIGN §5)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """A signed-in user, or the local operator running the CLI on the node's own machine."""

    username: str
    role: str
    site: str
    user_id: str | None = None
    department: str | None = None
    window: str | None = None

    @property
    def label(self) -> str:
        """How the journal names this actor."""
        return self.username

    @classmethod
    def local_operator(cls, site: str) -> Actor:
        """The administrator that `init` acts as while it creates the node and its first
        administrator (there is nobody to sign in yet); the demo and the benches, which build
        their own databases, use it too. No command acts as it on an existing node: those that
        change accounts or reference data sign an administrator in (cli/admin.py)."""
        return cls(username=f"cli:{os_user()}", role="admin", site=site)

    @classmethod
    def command_line(cls, site: str) -> Actor:
        """The CLI's actor for what needs no sign-in: a kiosk issuing tickets, scripts calling
        and finishing them at a window, the calendar filled from the installed package. Its role
        (`operator`) may do the queue's window steps and nothing else (accounts.rules)."""
        return cls(username=f"cli:{os_user()}", role="operator", site=site)


def os_user() -> str:
    """The operating-system account running this process, as the journal names it."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in a bare container
        return "unknown"
