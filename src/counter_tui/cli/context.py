"""What every command shares, handed down in Typer's `ctx.obj`: the settings, the application
layer opened on first use, who acts, and the hall's days.

One object per run of the program, made by `root.main` (or by the root callback when a test
invokes the app itself) and closed with the root context. Nothing heavy is imported until a
command asks for the database, so `--help` stays instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from counter_tui.clock import set_hall_zone
from counter_tui.demo.isolation import refuse_demo_database, refuse_demo_node
from counter_tui.errors import UserError
from counter_tui.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk


@dataclass
class CliContext:
    """The global options (`--db`, `--config`) and what is made from them on first use."""

    db: str | None = None
    config: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _desk: Desk | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The node's settings (config file, environment, --db), read once; from then on every
        date the command counts is a date in the hall's time zone."""
        if self._settings is None:
            settings = load_settings(config=self.config, db=self.db)
            set_hall_zone(settings.timezone)
            # Every command's way to the database passes here (the desk, the engine, `db
            # backup`'s own copy): a demo database is refused before any of them opens it.
            refuse_demo_database(settings)
            self._settings = settings
        return self._settings

    @property
    def database_file(self) -> Path | None:
        """The SQLite file the command works on, if the settings got as far as being read
        (for the one-line report of a failure)."""
        return self._settings.sqlite_path if self._settings is not None else None

    @property
    def desk(self) -> Desk:
        """The application layer on the node's database, opened on first use (schema checked)."""
        if self._desk is None:
            from sqlalchemy.exc import OperationalError

            from counter_tui.desk.node import Desk

            try:
                desk = Desk(self.settings)
            except OperationalError as exc:
                raise UserError(f"无法打开数据库：{self.settings.db_url}（{exc.orig}）") from None
            try:  # the node's own flag: a PostgreSQL database is not read by the file check
                refuse_demo_node(self.settings, desk.node.demo)
            except UserError:
                desk.close()
                raise
            self._desk = desk
        return self._desk

    def operator(self) -> Actor:
        """The command line's own actor, for what needs no sign-in (a kiosk's tickets, the
        window steps, the calendar filled from the installed package): role `operator`, which
        may change no account and no reference data. Commands that do sign an administrator in
        (`admin.sign_in_admin`)."""
        from counter_tui.actor import Actor

        return Actor.command_line(self.desk.node.site)

    def today(self) -> date:
        """Today in the hall's time zone."""
        from counter_tui.clock import today_local

        self.settings  # noqa: B018  (reading them sets the hall's zone)
        return today_local()

    def now(self) -> datetime:
        """Now in the hall's time zone, to the second: what a queue step is stamped with."""
        from counter_tui.clock import now_local

        self.settings  # noqa: B018  (reading them sets the hall's zone)
        return now_local()

    def day(self, text: str | None) -> date:
        """A --date option: YYYY-MM-DD, today when not given."""
        if text is None:
            return self.today()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UserError(f"日期格式应为 YYYY-MM-DD，如 2026-11-23：{text}") from None

    # --- the engine itself, for the maintenance commands ------------------------------------

    def engine(
        self, settings: Settings | None = None, *, create: bool = False, read_only: bool = False
    ) -> Engine:
        """An engine on the database, connected once: a busy, full or vanished database is said
        as such, any other failure to connect as "cannot open". For `init`, `db …` and `audit
        verify`, which check, copy, migrate or create the database rather than use it."""
        from sqlalchemy.exc import OperationalError

        from counter_tui.db import make_engine, translated

        settings = settings or self.settings
        engine = make_engine(settings.db_url, create=create, read_only=read_only)
        try:
            with translated(engine), engine.connect():
                pass
        except OperationalError as exc:
            raise UserError(f"无法打开数据库：{settings.db_url}（{exc.orig}）") from None
        return engine

    def ready_engine(self, *, read_only: bool = False) -> Engine:
        """`engine()` on a database whose schema is exactly this program's."""
        from counter_tui.db import translated
        from counter_tui.schema import require_head

        engine = self.engine(read_only=read_only)
        with translated(engine):
            require_head(engine)
        return engine

    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()
            self._desk = None


def context_of(ctx: typer.Context) -> CliContext:
    """The run's shared context (made here when a command is invoked on its own, as a test may)."""
    return ctx.ensure_object(CliContext)
