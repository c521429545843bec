"""For a module of command-line tests: its tests run on SQLite only.

What such a test checks (arguments, the Chinese lines printed, exit codes) is the same on both
engines, and each command's service is tested on both in its own module; run twice, the
commands' child processes cost CI a minute and more. Import it into the module:

    from tests.sqlite_only import commands_on_sqlite  # noqa: F401  (the db_kind fixture)
"""

from __future__ import annotations

import pytest


@pytest.fixture(name="db_kind")
def commands_on_sqlite() -> str:
    return "sqlite"
