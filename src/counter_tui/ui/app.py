"""The Textual application: login, then the F-key sections, each a mode with its own stack.

`make_app(settings)` is the one factory used by the CLI and by the tests. The app paints the login
screen first and opens the database in a worker thread (STYLE.md, "Start fast").
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.timer import Timer

from counter_tui.actor import Actor
from counter_tui.clock import hall_clock, now_local, set_hall_zone
from counter_tui.settings import Settings
from counter_tui.ui.commands import PALETTE_PROVIDERS, open_palette
from counter_tui.ui.held import HeldKeeper
from counter_tui.ui.messages import DeskFailed, DeskReady, ShowCatalogEntry
from counter_tui.ui.screens.login import LoginScreen
from counter_tui.ui.sections import HOME_SECTION, SECTION_SCREENS, SECTIONS, section_screen
from counter_tui.ui.syncing import SyncKeeper
from counter_tui.ui.terminal import warn_about_terminal_keys
from counter_tui.ui.training import BINDINGS as TRAINING_BINDINGS
from counter_tui.ui.training import TrainingKeeper

if TYPE_CHECKING:
    from counter_tui.accounts.service import LoginResult
    from counter_tui.demo.setup import DemoDatabase
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import NodeInfo, SyncStatus

#: How long after mounting the database is opened. Its imports hold the GIL for about 0.6 s; begun
#: at once they delay the writer thread that puts the first frame on the terminal (measured:
#: first paint 1.4× a bare Textual app's, against 1.1× with this delay). Nobody types a user name
#: and password in 0.1 s, and a login submitted earlier waits for the database.
OPEN_DATABASE_AFTER_S = 0.1

#: How often the header counts the warnings again while someone is signed in: levels change
#: with the day, and other windows and the back office move cases too.
WARNINGS_EVERY_S = 60

#: How often the app checks whether the signed-in user has been idle too long
#: (Settings.idle_logout_minutes): a sign-out comes at most this late.
IDLE_CHECK_EVERY_S = 15

#: Set by `counter-tui bench startup`: exit as soon as the database is open and the screen painted.
EXIT_WHEN_READY = "COUNTER_TUI_EXIT_WHEN_READY"


def _opener(name: str) -> Callable[[], Screen[Any]]:
    """What Textual calls to make the section's screen when its mode is first entered."""
    return lambda: section_screen(name)()


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    display_name: str


class CounterApp(App[None]):
    """counter-tui's interface for one window of one node."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "counter-tui"
    COMMANDS = PALETTE_PROVIDERS
    MODES: ClassVar = {"login": LoginScreen, **{name: _opener(name) for name in SECTION_SCREENS}}
    DEFAULT_MODE = "login"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "帮助", id="help", tooltip="列出当前画面可用的按键"),
        *(
            Binding(
                s.key, f"section('{s.name}')", s.short, id=f"section.{s.name}", tooltip=s.purpose
            )
            for s in SECTIONS
        ),
        Binding("f9", "logout", "注销", id="logout", tooltip="退出登录，回到登录画面"),
        Binding(
            "ctrl+y",
            "sync_now",
            "立即同步",
            id="sync.now",
            tooltip="与县级中心同步：上传本站的记录，下载中心的处理结果（平时在后台自动进行）",
            show=False,
        ),
        Binding(
            "ctrl+l",
            "sync_desk",
            "同步台",
            id="sync.desk",
            tooltip="同步状态与同步文件；县级中心的管理员、督查人员：下属站点与隔离事件",
            show=False,
        ),
        # The intake's 找回办件 from any section: after finishing a ticket on F3, or on F4, the
        # clerk reaches for the same key (its id is the intake's, so one remap moves both).
        Binding(
            "ctrl+o",
            "find_case",
            "找回办件",
            id="intake.find",
            show=False,
            tooltip="转到受理找回办件：办件编号（可只输末尾序号）、证件号码、手机号或姓名",
        ),
        Binding("ctrl+q", "quit", "退出", id="quit", tooltip="退出 counter-tui", show=False),
        *TRAINING_BINDINGS,
        Binding(
            "ctrl+p",
            "command_palette",
            "命令",
            id="palette",
            tooltip="打开命令面板",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        login_hint: tuple[str, str] | None = None,
        clock: Callable[[], datetime] = now_local,
        demo: DemoDatabase | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        #: The demo hall this app runs on (its accounts, seed, scenario), or None off demo.
        self.demo = demo
        #: Shown on the login screen in demo mode: (user name, password).
        self.login_hint = login_hint
        #: The header's clock; tests pass a fixed one so snapshots do not change every second.
        #: Read in the hall's zone, whatever the PC's is (clock.py).
        self.clock = hall_clock(clock)
        self.desk: Desk | None = None
        self.desk_error = ""
        #: Whether the failure to open may pass (busy, full): the login's Enter tries again.
        self.desk_retryable = False
        #: Published with the Desk (or None on failure) once the database is open.
        self.desk_signal: Signal[Desk | None] = Signal(self, "desk")
        #: Set once opening the database has succeeded or failed (tests await it).
        self.desk_settled = asyncio.Event()
        self._warnings_timer: Timer | None = None
        self.signed_in: SignedIn | None = None
        #: The header's count of cases at 红牌, 黄牌 and 提醒 (level code → count).
        self.warnings: dict[str, int] = {}
        #: When the user last pressed a key or used the mouse (self.clock's time).
        self.last_input = clock()
        #: Why the last session ended, when the app ended it (shown on the login screen once).
        self.signed_out_note = ""
        #: Sync with the hub: background rounds, the key's round, the header's status.
        self.syncing = SyncKeeper(self)
        #: The ticket this window holds (the header's copy), and the question before leaving it.
        self.holding = HeldKeeper(self)
        #: A demo's training run: picker, task bar, notices, result (ui/training.py).
        self.training = TrainingKeeper(self)

    @property
    def node(self) -> NodeInfo | None:
        return self.desk.node if self.desk else None

    @property
    def sync_status(self) -> SyncStatus | None:
        """Where sync stands, as last read (the header shows it; None before the first read)."""
        return self.syncing.status

    def on_mount(self) -> None:
        self._apply_keymap()
        warn_about_terminal_keys(self)
        self.set_timer(OPEN_DATABASE_AFTER_S, self._open_desk)
        if self.settings.idle_logout_minutes > 0:
            self.set_interval(IDLE_CHECK_EVERY_S, self.sign_out_if_idle)

    async def on_event(self, event: events.Event) -> None:
        # Every key press and mouse action reaches the app first (not yet forwarded).
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.last_input = self.clock()
        await super().on_event(event)

    async def sign_out_if_idle(self) -> None:
        """Sign out a user idle for `idle_logout_minutes` (a shared PC left alone). Whatever the
        clerk was typing at intake is in its draft already (saved as typed) and comes back at
        the next sign-in; an open dialog is closed with the session."""
        minutes = self.settings.idle_logout_minutes
        if self.signed_in is None or minutes <= 0:
            return
        if (self.clock() - self.last_input).total_seconds() < minutes * 60:
            return
        # Nobody is there to answer about a held ticket: it stays, and the note says so.
        left = self.holding.idle_note()
        self.signed_out_note = f"已因 {minutes} 分钟无操作自动注销{left}，请重新登录"
        await self.sign_out()  # the login screen shows the note when it comes back

    def _apply_keymap(self) -> None:
        """Keys remapped by binding id in the config file; an unknown id is pointed out."""
        if not self.settings.keys:
            return
        from counter_tui.ui.keymap import binding_ids

        known = binding_ids(type(self))
        unknown = sorted(set(self.settings.keys) - known)
        if unknown:
            self.notify(
                f"配置文件 [keys] 中有未知的按键编号：{'、'.join(unknown)}"
                f"（可用：{'、'.join(sorted(known))}）",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.set_keymap({k: v for k, v in self.settings.keys.items() if k in known})

    def reopen_desk(self) -> None:
        """Try to open the database again: the login's Enter after a busy database or a full
        disk at start, once the admin has dealt with it (no restart needed)."""
        self.desk_error = ""
        self.desk_settled.clear()
        self._open_desk()

    @work(thread=True, exclusive=True, group="desk")
    def _open_desk(self) -> None:
        from counter_tui.ui.workers import failure_line

        try:
            from counter_tui.desk.node import open_desk

            desk = open_desk(self.settings)
            desk.open_doors()
        except Exception as exc:  # the clerk sees a sentence, never a traceback
            from counter_tui.errors import DatabaseUnavailable

            retryable = isinstance(exc, DatabaseUnavailable)
            self.post_message(DeskFailed(failure_line(exc, "open database"), retryable))
        else:
            self.post_message(DeskReady(desk))

    def _handle_exception(self, error: Exception) -> None:
        """The safety net: a worker that fails (a busy or full database, a bug) shows one
        line on its screen and the app goes on (ui/workers.py); only a failure outside the
        workers ends the app, as Textual does."""
        from textual.worker import NoActiveWorker, WorkerFailed, get_current_worker

        if isinstance(error, WorkerFailed) and not self._exit:
            from counter_tui.failures import unexpected_line
            from counter_tui.ui.workers import report_failure

            try:
                node = get_current_worker().node  # Textual calls this in the worker's context
            except NoActiveWorker:
                node = self
            try:
                report_failure(node, error.error)
            except Exception as exc:  # the screen went away meanwhile: say it anyway
                self.notify(unexpected_line(exc, "report"), severity="error", markup=False)
            return
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """A failure outside the workers still ends the app, as Textual does; but what the
        terminal shows afterwards is one Chinese line naming the log, never Textual's
        traceback, which prints local variables: the applicant's ID number, name, phone."""
        from rich.text import Text

        from counter_tui.failures import log_failure

        error = self._exception
        path = log_failure(error, "app") if error is not None else None
        line = "错误：出现意外错误，应用已退出；重新打开即可继续（受理中的草稿已自动保存）"
        self.bell()
        self._exit_renderables.append(Text(f"{line}。详情已记入 {path}" if path else line))
        self._close_messages_no_wait()

    @on(DeskReady)
    def _desk_ready(self, message: DeskReady) -> None:
        self.desk = message.desk
        self.desk_settled.set()
        self.desk_signal.publish(self.desk)
        self.refresh_bindings()
        self.syncing.start()
        if os.environ.get(EXIT_WHEN_READY):
            self.call_after_refresh(self.exit)

    @on(DeskFailed)
    def _desk_failed(self, message: DeskFailed) -> None:
        self.desk_error = message.reason
        self.desk_retryable = message.retryable
        self.desk_settled.set()
        self.desk_signal.publish(None)
        if os.environ.get(EXIT_WHEN_READY):
            self.exit(return_code=1, message=message.reason)

    # --- session ---------------------------------------------------------------------------

    def sign_in(self, result: LoginResult) -> None:
        """`result`'s user is in (and is shown the hub's rejections of their steps that they
        have not read yet)."""
        assert result.actor is not None
        self.signed_in = SignedIn(result.actor, result.display_name)
        self.last_input = self.clock()
        self.signed_out_note = ""
        home = HOME_SECTION.get(result.actor.role, "intake")
        if self.settings.reception and result.actor.role in ("clerk", "trainer"):
            home = "queue"  # the reception desk's work is the queue
        self.switch_mode(home)
        self.refresh_bindings()
        self.case_changed()
        if self._warnings_timer is None:
            self._warnings_timer = self.set_interval(WARNINGS_EVERY_S, self.case_changed)
        self.syncing.unread_rejections(result.actor.username)
        self.call_after_refresh(self.training.signed_in)  # on the home section, once shown

    def case_changed(self) -> None:
        """A case moved (or time passed): count the header's warnings again, and read the
        window's ticket again (a case concluded may be linked to it)."""
        if self.desk is not None and self.signed_in is not None:
            self._count_warnings(self.desk, self.signed_in.actor)
            self.holding.reload()

    @work(thread=True, exclusive=True, group="warnings")
    def _count_warnings(self, desk: Desk, actor: Actor) -> None:
        from counter_tui.ui.workers import hand_back

        counts = desk.cases.warning_counts(self.clock().date(), actor)
        hand_back(self._show_warnings, counts)

    def _show_warnings(self, counts: dict[str, int]) -> None:
        self.warnings = counts
        self.refresh_header()

    def refresh_header(self) -> None:
        """Paint the header now, not at the clock's next tick."""
        from counter_tui.ui.widgets.header import CounterHeader

        for header in self.screen.query(CounterHeader):
            header.refresh()

    async def action_logout(self) -> None:
        """F9: sign out, once a ticket the window holds is dealt with (ui/held.py)."""
        self.holding.before_leaving("注销", self.sign_out)

    async def action_quit(self) -> None:
        """Ctrl+Q: the same question before the app ends."""
        self.holding.before_leaving("退出", self.exit)

    async def sign_out(self) -> None:
        self.signed_in = None
        self.holding.forget()
        self.workers.cancel_group(self, "warnings")  # a count still running was the last user's
        self.workers.cancel_group(self, "sync-rejections")  # so were their rejections
        self.workers.cancel_group(self, "held")
        self.warnings = {}
        await self.switch_mode("login")
        # Each session starts with fresh sections: nothing of the last user stays on screen.
        for name in SECTION_SCREENS:
            await self.remove_mode(name)
            self.add_mode(name, _opener(name))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("section", "logout", "sync_now", "sync_desk", "find_case"):
            if self.signed_in is None:
                return False
            # The section on screen needs no key of its own: 80 columns hold the others.
            return not (action == "section" and parameters[:1] == (self.current_mode,))
        if action == "training":
            return self.signed_in is not None and self.demo is not None
        return True

    def action_section(self, name: str) -> None:
        self.switch_mode(name)

    async def action_find_case(self) -> None:
        """Ctrl+O outside the intake (whose own binding answers there): go to it and ask."""
        await self.switch_mode("intake")
        if self.screen.check_action("find", ()):
            await self.screen.run_action("find")

    def action_training(self) -> None:
        """Ctrl+R in a demo: the task and its hints, or the scenario picker (ui/training.py)."""
        self.training.key()

    def action_sync_now(self) -> None:
        """Sync with the hub now; the outcome is said on the status line."""
        self.syncing.sync_now()

    def action_sync_desk(self) -> None:
        """Ctrl+L: the sync screen (ui/screens/sync_open.py chooses which)."""
        from counter_tui.ui.screens.sync_open import open_sync

        open_sync(self)

    async def open_catalog_entry(self, code: str) -> None:
        """Show one item's or bundle's guide in the catalog section."""
        await self.switch_mode("catalog")
        self.screen.post_message(ShowCatalogEntry(code))

    def action_command_palette(self) -> None:
        open_palette(self)  # in Chinese (commands.py)

    def action_help(self) -> None:
        from counter_tui.ui.screens.help import HelpScreen  # DataTable: imported when first needed

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    async def on_unmount(self) -> None:
        if self.desk is not None:
            self.desk.close()


def make_app(
    settings: Settings,
    *,
    login_hint: tuple[str, str] | None = None,
    clock: Callable[[], datetime] = now_local,
    demo: DemoDatabase | None = None,
) -> CounterApp:
    """The one factory for the CLI and the tests; sets the hall's zone from `settings`."""
    set_hall_zone(settings.timezone)
    return CounterApp(settings, login_hint=login_hint, clock=clock, demo=demo)
