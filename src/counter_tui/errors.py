"""Errors a user can fix: the CLI prints their message as one line and exits with code 2."""


class UserError(Exception):
    """A problem with the user's input or environment, said in Chinese, naming the path or value."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(Exception):
    """A service refused an action to this actor's role (DESIGN §4.7)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
