"""Which keys the config file's [keys] may remap: every binding id of the app and of every
screen and widget class that declares BINDINGS.

Its own module because finding them imports every screen module, and the screens (F1's help
among them) import ui/keys.py: keys.py stays a leaf, and this module is imported only by the
app when a config file remaps keys, and by the tmux warning.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from textual.dom import DOMNode

from counter_tui.ui.keys import bindings_of


@cache
def binding_owners(app_type: type[DOMNode]) -> tuple[type[DOMNode], ...]:
    """`app_type` and every screen and widget class of the interface that declares BINDINGS.
    The app's class is passed in, not imported: the app imports this module."""
    from counter_tui.ui import screens

    owners: list[type[DOMNode]] = [app_type]
    modules = [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(screens.__path__, f"{screens.__name__}.")
    ]
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
                and "BINDINGS" in vars(value)
            ):
                owners.append(value)
    return tuple(owners)


def binding_ids(app_type: type[DOMNode]) -> set[str]:
    """Every binding id the config file's [keys] may name."""
    return {b.id for owner in binding_owners(app_type) for b in bindings_of(owner) if b.id}
