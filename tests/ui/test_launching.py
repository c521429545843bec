"""Both ways of opening the clerk's app for a day — `counter-tui run` and the demo a trainer
keeps open as long — first make large freed blocks go back to the system (memory.py): without
it each sign-in's argon2 area stayed (the demo grew to 216 MB in an hour's tmux run)."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner


class FakeApp:
    return_code = 0

    def run(self) -> None:
        self.ran = True


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What happened, in order: the threshold set, the app made and run."""
    import counter_tui.memory
    import counter_tui.ui.app

    steps: list[str] = []

    def make_app(settings: Any, **kw: Any) -> FakeApp:
        steps.append(f"make_app hint={kw.get('login_hint') is not None}")
        return FakeApp()

    monkeypatch.setattr(counter_tui.memory, "return_large_blocks", lambda: steps.append("set"))
    monkeypatch.setattr(counter_tui.ui.app, "make_app", make_app)
    return steps


def test_the_demo_returns_large_blocks_before_its_first_sign_in(launched: list[str]) -> None:
    from counter_tui.cli.root import app

    done = CliRunner().invoke(app, ["demo"])
    assert done.exit_code == 0, done.output
    assert launched == ["set", "make_app hint=True"]


def test_run_returns_large_blocks_before_its_first_sign_in(
    launched: list[str], tmp_path: Any
) -> None:
    from counter_tui.settings import load_settings
    from counter_tui.ui.opening import run_app

    run_app(load_settings(db=f"sqlite:///{tmp_path / 'node.db'}", environ={}))
    assert launched == ["set", "make_app hint=False"]
