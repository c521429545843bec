"""One failure rule for every worker of the interface (STYLE.md, "One failure rule for workers").

A worker's failure is a message, never a crash. Workers catch only what they answer in their own
way (a refusal shown beside a field, a question asked again); everything else, a busy or full
database and a permission refusal included (both are `UserError`s), leaves the worker and
reaches the app's safety net (`CounterApp._handle_exception`), which calls `report_failure`: one
Chinese line on the screen that owns the worker — its `show_failure` if it has one, else its
`StatusLine` (ui/widgets/status.py) — or a notification when that screen has neither. So a new
screen with a status line gets the rule without writing a try/except. Nothing typed is touched,
so the clerk presses the same key again once the database is free. Unexpected errors are logged
(masked) by `failures`; the line names the log file.

A worker hands its result back with `hand_back`, never `call_from_thread` directly: a result
whose worker was cancelled meanwhile (its screen closed, a sign-out, a newer worker of its
group) is dropped instead of overwriting what came after it.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, runtime_checkable

from textual.css.query import NoMatches
from textual.dom import DOMNode, NoScreen
from textual.widget import Widget
from textual.worker import get_current_worker

from counter_tui.errors import UserError
from counter_tui.ui.widgets.status import StatusLine

T = TypeVar("T")


@runtime_checkable
class ShowsFailure(Protocol):
    """A screen (or widget) that says a failed step in a place of its own: under the fields of
    a form whose error line is not a StatusLine, or on the login's line."""

    def show_failure(self, line: str) -> None: ...


def failure_line(exc: BaseException, where: str) -> str:
    """What the clerk reads about `exc`: a user's error as it is worded; a database failure
    that escaped the session boundary translated the same way; anything else logged."""
    from counter_tui.dberrors import database_error
    from counter_tui.failures import log_failure, unexpected_line

    if isinstance(exc, UserError):  # DatabaseUnavailable: logged in db.py
        return exc.message
    found = database_error(exc)
    if found is not None:
        log_failure(exc, where)
        return found.message
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:  # a notice or slip to save
        log_failure(exc, where)
        return f"磁盘已满，文件无法保存：{exc.filename or ''} 这一步没有完成，请清理磁盘空间后重试"
    return unexpected_line(exc, where)


def report_failure(node: DOMNode, exc: BaseException) -> None:
    """Show `exc` where `node` (the worker's owner) is: its screen's `show_failure`, or the
    screen's status line, or a notification. Runs on the app's thread."""
    line = failure_line(exc, type(node).__name__)
    target: object = node
    if not isinstance(node, ShowsFailure) and isinstance(node, Widget):
        try:
            target = node.screen  # a Screen is its own screen
        except NoScreen:  # the worker's widget was removed meanwhile
            target = None
    try:
        if not isinstance(target, ShowsFailure) and isinstance(target, Widget):
            target = target.query(StatusLine).first()
        if isinstance(target, ShowsFailure):
            target.show_failure(line)
            return
    except NoMatches:  # no status line, or the screen was closed meanwhile: say it all the same
        pass
    # The app's own workers, or a screen without a status line.
    node.app.notify(line, severity="error", timeout=15, markup=False)


def hand_back(callback: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """From a worker's thread: run `callback(*args, **kwargs)` on the app's thread and return
    its result, unless the worker has been cancelled meanwhile — its screen closed (Esc on a
    dialog whose step was still running, a sign-out) or a newer worker of its group took over.
    Such a result is dropped (None): applied late it would overwrite what the newer step
    said, or act on a screen that is gone. The last check runs on the app's thread, where
    workers are cancelled, so it cannot race. An error in `callback` is raised in the worker,
    where the failure rule reports it."""
    worker = get_current_worker()
    if worker.is_cancelled:  # the screen may be detached already: it has no app to call
        return None

    def unless_cancelled() -> T | None:
        if worker.is_cancelled:
            return None
        return outside_the_worker(callback, *args, **kwargs)

    return worker.node.app.call_from_thread(unless_cancelled)


def outside_the_worker(callback: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `callback` on the app's thread in a context without the worker in it.

    `call_from_thread` runs it in a copy of the worker thread's context, and whatever it starts
    there (a timer, a task, a repaint) copies that context again and keeps it: with it the
    finished worker, its arguments and so its screen. A screen closed at sign-out stayed in
    memory that way (traced with gc referrers in issue 15). The new context carries Textual's
    own variables (the app, the message pump, the test harness's hook) and not the worker."""
    import contextvars

    from textual import _context

    textual_vars: tuple[contextvars.ContextVar[Any], ...] = (
        _context.active_app,
        _context.active_message_pump,
        _context.message_hook,
        _context.visible_screen_stack,
        _context.prevent_message_types_stack,
    )
    carried = [(var, value) for var in textual_vars if (value := var.get(None)) is not None]

    def run() -> T:
        for var, value in carried:
            var.set(value)
        return callback(*args, **kwargs)

    return contextvars.Context().run(run)
