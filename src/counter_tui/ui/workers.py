"""One failure rule for every worker of the interface (STYLE.md, "One failure rule for workers").

A worker's failure is a message, never a crash. Workers catch only what they answer in their own
way (a refusal shown beside a field, a question asked again); everything else, a busy or full
database included, leaves the worker and reaches the app's safety net
(`CounterApp._handle_exception`), which calls `report_failure`: one Chinese line on the screen
that owns the worker (its `show_failure`, usually the status line under the form), or a
notification when that screen has no status line. Nothing typed is touched, so the clerk presses
the same key again once the database is free. Unexpected errors are logged (masked) by
`failures`; the line names the log file.
"""

from __future__ import annotations

import errno
from typing import Protocol, runtime_checkable

from textual.css.query import NoMatches
from textual.dom import DOMNode, NoScreen
from textual.widget import Widget

from counter_tui.errors import PermissionDenied, UserError


@runtime_checkable
class ShowsFailure(Protocol):
    """A screen with a status line of its own for a failed step."""

    def show_failure(self, line: str) -> None: ...


def failure_line(exc: BaseException, where: str) -> str:
    """What the clerk reads about `exc`: a user's error as it is worded; a database failure
    that escaped the session boundary translated the same way; anything else logged."""
    from counter_tui.dberrors import database_error
    from counter_tui.failures import log_failure, unexpected_line

    if isinstance(exc, (UserError, PermissionDenied)):  # DatabaseUnavailable: logged in db.py
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
    """Show `exc` where `node` (the worker's owner) is: its screen's status line, or a
    notification. Runs on the app's thread."""
    line = failure_line(exc, type(node).__name__)
    target: object = node
    if not isinstance(node, ShowsFailure) and isinstance(node, Widget):
        try:
            target = node.screen  # a Screen is its own screen
        except NoScreen:  # the worker's widget was removed meanwhile
            target = None
    if isinstance(target, ShowsFailure):
        try:
            target.show_failure(line)
            return
        except NoMatches:  # the screen was closed meanwhile: say it all the same
            pass
    # The app's own workers, or a screen without a status line.
    node.app.notify(line, severity="error", timeout=15, markup=False)
