"""Keys the terminal takes before the app sees them: inside tmux, its prefix key (Ctrl+B unless
configured). A binding on that key never fires, and a clerk who presses it sees tmux wait for a
second key instead; the app says so once, at start, naming the binding id to remap.

`tmux_warning` is the rule (pure: environment, prefix, our keys → the sentence or None); the
hook reads the real environment and tmux's setting once per run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp

#: tmux's own default, assumed when `tmux show` cannot be asked.
DEFAULT_PREFIX = "C-b"
#: How long asking tmux may take before the default is assumed.
TMUX_TIMEOUT_S = 1.0
WARNING_SECONDS = 20

_MODIFIERS = {"C": "ctrl", "M": "alt", "S": "shift"}


def textual_key(tmux_key: str) -> str:
    """tmux's name of a key (`C-b`, `M-a`, `F1`) as Textual names it (`ctrl+b`, `alt+a`, `f1`)."""
    *mods, key = tmux_key.strip().split("-") if tmux_key.strip() != "-" else ["-"]
    names = [_MODIFIERS.get(m, m.lower()) for m in mods if m]
    return "+".join([*names, key.lower()])


def tmux_warning(env: Mapping[str, str], prefix: str | None, keys: Mapping[str, str]) -> str | None:
    """The warning for a clerk inside tmux (env has TMUX) whose prefix key is also one of ours
    (`keys`: binding id → key, after remapping), or None. `prefix` None: tmux's default."""
    if not env.get("TMUX"):
        return None
    taken = textual_key(prefix or DEFAULT_PREFIX)
    clashes = sorted(
        binding_id for binding_id, key in keys.items() if taken in key.replace(" ", "").split(",")
    )
    if not clashes:
        return None
    from counter_tui.ui.keys import key_label

    example = clashes[0]
    return (
        f"在 tmux 中：{key_label(taken)} 是 tmux 的前缀键，本程序收不到。"
        f"用到该键的绑定：{'、'.join(clashes)}。请在配置文件 [keys] 中改键，"
        f'如 "{example}" = "f11"，或改 tmux 的前缀键'
    )


def read_tmux_prefix() -> str | None:
    """tmux's prefix as configured (`tmux show -gv prefix`), or None when it cannot be read."""
    try:
        done = subprocess.run(
            ["tmux", "show", "-gv", "prefix"],
            capture_output=True,
            text=True,
            timeout=TMUX_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def warn_about_terminal_keys(app: CounterApp) -> None:
    """Once per run, after the first paint: the tmux warning as a notification, if any. Not in
    headless runs (the tests'), where no terminal takes keys."""
    if app.is_headless or not os.environ.get("TMUX"):
        return
    app.call_after_refresh(_warn, app, dict(os.environ))


def _warn(app: CounterApp, env: dict[str, str]) -> None:
    from counter_tui.ui.keymap import binding_owners
    from counter_tui.ui.keys import bindings_of

    keymap = app.settings.keys or {}
    keys = {
        b.id: keymap.get(b.id, b.key)
        for owner in binding_owners(type(app))
        for b in bindings_of(owner)
        if b.id
    }
    warning = tmux_warning(env, read_tmux_prefix(), keys)
    if warning:
        app.notify(warning, severity="warning", timeout=WARNING_SECONDS, markup=False)
