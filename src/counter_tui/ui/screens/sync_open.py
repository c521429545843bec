"""Which sync screen Ctrl+L (and the palette's 同步台) opens: on a county node, for an admin or
a supervisor, the county's sync desk (its sites and quarantine); otherwise the node's own sync
screen. The door enforces the roles again; this only picks the useful picture."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp

#: Roles that see the county's sync desk (accounts.rules "sync.desk", the CLI's own aside).
DESK_ROLES = frozenset({"admin", "supervisor"})


def open_sync(app: CounterApp) -> None:
    from textual.screen import ModalScreen

    from counter_tui.ui.screens.sync_desk import HubDeskScreen
    from counter_tui.ui.screens.sync_node import NodeSyncScreen

    # Not twice, and not over a dialog (its question comes first).
    on_top = app.screen
    if isinstance(on_top, HubDeskScreen | NodeSyncScreen | ModalScreen) or app.signed_in is None:
        return
    node = app.node
    if node is not None and node.level == "county" and app.signed_in.actor.role in DESK_ROLES:
        app.push_screen(HubDeskScreen())
    else:
        app.push_screen(NodeSyncScreen())
