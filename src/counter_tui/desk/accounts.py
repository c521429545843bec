"""The accounts door: signing in at this node's window."""

from __future__ import annotations

from counter_tui.accounts.service import LoginResult, authenticate
from counter_tui.db import write_session
from counter_tui.desk.door import Door


class AccountsDoor(Door):
    def login(self, username: str, password: str) -> LoginResult:
        """Check a password at this window; failures count towards the lockout (journal)."""
        with write_session(self.engine) as session:
            return authenticate(
                session, username, password, site=self.node.site, window=self.settings.window
            )
