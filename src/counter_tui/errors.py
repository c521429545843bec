"""Errors a user can fix: the CLI prints their message as one line and exits with code 2."""


class UserError(Exception):
    """A problem with the user's input or environment, said in Chinese, naming the path or value."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(UserError):
    """A service refused an action to this actor's role (DESIGN §4.7). A user's error like any
    other (the screen says it where it happened; the CLI exits 2), worded as a refusal: the
    CLI prefixes it 无权操作, not 错误."""


class DatabaseUnavailable(UserError):
    """The database could not do this step: busy (another process holds the write lock), full,
    a disk or connection failure, the file gone. Nothing was written (the transaction rolled
    back), so the step can be retried as it is. Made from the driver's error by
    `db.database_error`, the one translation at the session boundary."""

    #: busy, full, io, gone, readonly, damaged, other (what happened, for callers and tests)
    kind = "other"

    def __init__(self, message: str, *, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


class DatabaseDamaged(DatabaseUnavailable):
    """SQLite reports the file as corrupt: retrying will not help; restore the backup."""
