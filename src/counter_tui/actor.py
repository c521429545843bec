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
        """The CLI acts as an administrator: whoever runs it can already open the database."""
        try:
            user = getpass.getuser()
        except Exception:  # no user name in a bare container
            user = "unknown"
        return cls(username=f"cli:{user}", role="admin", site=site)
