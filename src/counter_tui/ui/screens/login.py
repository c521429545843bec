"""The login screen: the first thing painted, before the database code is even imported.

In demo mode it lists the demo hall's accounts beside the form (the trainer's and one per role,
with their password), the demo's day and the seed that rebuilds the same hall, so that a trainee
needs no handout and a trainer can give the room the same hall again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from counter_tui.ui.focus import RoutedInput
from counter_tui.ui.messages import LoginFinished
from counter_tui.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from counter_tui.accounts.service import LoginResult
    from counter_tui.demo.setup import DemoDatabase
    from counter_tui.desk.node import Desk
    from counter_tui.ui.app import CounterApp


class LoginScreen(Screen[None]):
    """User name and password; Enter moves on and then signs in. Errors show under the form."""

    BINDINGS = [
        Binding("ctrl+q", "app.quit", "退出", id="quit", tooltip="退出 counter-tui"),
    ]
    AUTO_FOCUS = "#username"

    def __init__(self) -> None:
        super().__init__()
        #: A login submitted before the database was open: (user name, password).
        self._pending: tuple[str, str] | None = None

    username = getters.query_one("#username", Input)
    password = getters.query_one("#password", Input)
    status = getters.query_one("#login-status", Label)
    site_line = getters.query_one("#login-site", Label)

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        demo = self.counter.demo
        if demo is not None and demo.accounts:
            with Horizontal(id="login-row"):
                yield Vertical(*self._form(hint=False), id="login-box")
                panel = Static(demo_panel(demo), id="demo-accounts")
                panel.border_title = "演示模式 · 培训用"
                yield panel
        else:
            with Center():
                yield Vertical(*self._form(hint=True), id="login-box")
        yield KeyFooter(compact=True)

    def _form(self, *, hint: bool) -> Iterator[Widget]:
        """The form's widgets: title, site, user name, password, status (and the one-line demo
        hint when no accounts panel says more)."""
        yield Static("counter-tui  综合窗口登录", id="login-title")
        yield Label("正在打开数据库…", id="login-site")
        yield Label("用户名", classes="field-label")
        # Routed: a user name, Enter and a password typed in one burst (a password
        # manager, a practised hand, tmux) land in their own fields (ui/focus.py).
        yield RoutedInput(
            id="username", placeholder="输入后按回车", max_length=64, submit=self._to_password
        )
        yield Label("密码", classes="field-label")
        yield RoutedInput(
            id="password", placeholder="输入后按回车登录", password=True, max_length=128
        )
        yield Label("", id="login-status")
        login_hint = self.counter.login_hint
        if hint and login_hint is not None:
            yield Label(f"演示模式：账号 {login_hint[0]}，密码 {login_hint[1]}", id="login-hint")

    def on_mount(self) -> None:
        self.counter.desk_signal.subscribe(self, self._desk_changed)
        self._desk_changed(self.counter.desk)

    def on_screen_resume(self) -> None:
        """Back from a session (logout): start clean, for whoever signs in next, saying why the
        session ended if the app ended it (idle)."""
        self.username.value = ""
        self.password.value = ""
        self.status.remove_class("error")
        self.status.update(Text(self.counter.signed_out_note))
        self.username.focus()

    def _desk_changed(self, desk: Desk | None) -> None:
        pending, self._pending = self._pending, None
        if desk is not None:
            self.site_line.update(Text(desk.node.site_name))
            self.site_line.remove_class("error")  # opened at a second try
            if pending is not None:
                self._check(desk, *pending)
        elif self.counter.desk_error:
            self.site_line.update(Text(self.counter.desk_error))
            self.site_line.add_class("error")
            again = "在密码处按回车重试" if self.counter.desk_retryable else "重新启动"
            self.status.update(f"无法登录：请按上面的提示处理后{again}（Ctrl+Q 退出）")

    def _to_password(self, username: RoutedInput) -> Input | None:
        """Enter on the user name, as the key arrives: on to the password (None: stay)."""
        if not username.value.strip():
            self._show_error("请输入用户名")
            return None
        return self.password

    @on(Input.Submitted, "#password")
    def _submit(self) -> None:
        name = self.username.value.strip()
        if not name:
            self._show_error("请输入用户名")
            self.username.focus()
            return
        if not self.password.value:
            self._show_error("请输入密码")
            return
        desk = self.counter.desk
        if desk is None and self.counter.desk_error and not self.counter.desk_retryable:
            self._show_error(self.counter.desk_error)
            return
        if desk is None and self.counter.desk_error:
            # The database could not be opened (busy, a full disk): this Enter tries again.
            self._pending = (name, self.password.value)
            self.status.remove_class("error")
            self.status.update("正在重新打开数据库…")
            self.counter.reopen_desk()
            return
        self.status.remove_class("error")
        if desk is None:  # the database is still opening: sign in as soon as it is open
            self._pending = (name, self.password.value)
            self.status.update("正在打开数据库，稍候自动登录…")
            return
        self.status.update("正在核对…")
        self._check(desk, name, self.password.value)

    @work(thread=True, exclusive=True, group="login")
    def _check(self, desk: Desk, username: str, password: str) -> None:
        self.post_message(LoginFinished(desk.accounts.login(username, password)))

    @on(LoginFinished)
    def _finished(self, message: LoginFinished) -> None:
        result: LoginResult = message.result
        self.password.value = ""
        if result.actor is None:
            self._show_error(result.message)
            self.password.focus()
            return
        self.status.update("")
        self.counter.sign_in(result)

    def _show_error(self, message: str) -> None:
        self.status.update(Text(message))
        self.status.add_class("error")

    def show_failure(self, line: str) -> None:
        """A failed sign-in check (ui/workers.py): said; Enter on the password tries again."""
        self._show_error(line)


def demo_panel(demo: DemoDatabase) -> Text:
    """The demo's accounts (one password for all when they share it), its day and its seed."""
    from counter_tui.clock import today_local

    passwords = {account.password for account in demo.accounts}
    shared = len(passwords) == 1
    text = Text()
    text.append("演示账号", style="bold")
    text.append(f"（密码都是 {next(iter(passwords))}）\n" if shared else "\n")
    width = max(len(account.username) for account in demo.accounts) + 2
    for account in demo.accounts:
        text.append(account.username.ljust(width), style="bold")
        if not shared:
            text.append(f"{account.password}  ")
        text.append(f"{account.label}\n")
    text.append(f"\n演示日期 {(demo.options.today or today_local()).isoformat()}\n")
    if demo.seed is not None:
        text.append(f"种子 {demo.seed}", style="bold")
        text.append("：同一种子建同一大厅\n")
        again = f"counter-tui demo --seed {demo.seed}"
        if demo.options.today is not None:  # a day set with --date: the same hall needs it too
            again += f" --date {demo.options.today.isoformat()}"
        text.append(again)
    return text
