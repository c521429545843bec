"""The application layer: one `Desk` per node, the doors the app, the CLI and the hub call.

A door opens its own short session for each call and returns plain records, so a caller never
holds a session across a key press or a network round trip. Business orchestration that spans
capabilities (a case concluded at a window is linked to the ticket that window serves, in the
same transaction) lives here or in the services, never in a screen or a command.

Nothing here imports Textual. The app imports this package in a worker thread after the first
paint, because SQLModel/SQLAlchemy take about 0.6 s to import on a hall PC (STYLE.md, "Start
fast"); `counter_tui.desk.node.open_desk` is the entry point.
"""
