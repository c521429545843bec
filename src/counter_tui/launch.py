"""The console script's first stop. A bare `counter-tui` (with at most --db and --config) opens the
app straight away; anything else goes to the Typer CLI (cli/root.py).

Why: a clerk starts the app many times a day on a weak PC, and Typer with Click costs about 80 ms
before anything is painted. The bare path imports only the settings and the UI's opener
(ui/opening.py, which the CLI's `run` uses too), so nothing here is imported back by the CLI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from counter_tui.errors import UserError
from counter_tui.settings import Settings, load_settings

GLOBAL_OPTIONS = ("--db", "--config")


def bare_options(argv: Sequence[str]) -> dict[str, str] | None:
    """The global options of a bare launch, or None when argv asks for anything else."""
    found: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, sep, value = arg.partition("=")
        if name not in GLOBAL_OPTIONS:
            return None
        if not sep:
            if not args:
                return None  # let the CLI say that the option needs a value
            value = args.pop(0)
        found[name[2:]] = value
    return found


def main() -> None:
    options = bare_options(sys.argv[1:])
    if options is None:
        from counter_tui.cli.root import main as cli_main

        cli_main()
        return
    from counter_tui.ui.opening import open_app

    settings: Settings | None = None
    try:
        settings = load_settings(config=options.get("config"), db=options.get("db"))
        open_app(settings)
    except UserError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except Exception as exc:  # one Chinese line, never a traceback (failures.py logs it)
        from counter_tui.failures import command_failure

        line, code = command_failure(exc, settings.sqlite_path if settings else None)
        print(f"错误：{line}", file=sys.stderr)
        sys.exit(code)
