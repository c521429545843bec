"""The benchmark tests start real programs in a pty; `-m "not slow"` leaves the longest ones out."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: starts counter-tui for real (several seconds)")
