"""counter-tui: the general-purpose window (综合窗口) of a government service hall."""

__version__ = "0.1.0"
