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


#: Actors that are programs, not people: how a timeline names them (prefix → name).
MACHINE_ACTORS = {"hub:": "县级中心", "sync:": "同步", "cli:": "命令行"}


def machine_actor(username: str) -> str:
    """How a timeline names an actor that has no account: the hub deciding a conflict
    ("hub:root" → 县级中心), sync adopting reference data, the command line; else as it is."""
    for prefix, name in MACHINE_ACTORS.items():
        if username.startswith(prefix):
            return name
    return username


def os_user() -> str:
    """The operating-system account running this process, as the journal names it."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in a bare container
        return "unknown"
