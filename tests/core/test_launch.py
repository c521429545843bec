"""The launcher's fast path: a bare `counter-tui` (with --db/--config only) opens the app without
Typer; everything else, including mistakes, goes to the CLI, which explains them."""

from __future__ import annotations

import pytest

from counter_tui.launch import bare_options


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {}),
        (["--db", "/srv/counter.db"], {"db": "/srv/counter.db"}),
        (
            ["--db=/srv/counter.db", "--config", "c.toml"],
            {"db": "/srv/counter.db", "config": "c.toml"},
        ),
    ],
)
def test_a_bare_launch_opens_the_app_directly(argv: list[str], expected: dict[str, str]) -> None:
    assert bare_options(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["init", "--site", "421202-XA"],
        ["--db", "x.db", "users", "list"],
        ["--help"],
        ["--version"],
        ["--db"],  # a missing value: the CLI says so
        ["--dbx", "x"],
    ],
)
def test_anything_else_goes_to_the_cli(argv: list[str]) -> None:
    assert bare_options(argv) is None
