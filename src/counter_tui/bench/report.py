"""How every `counter-tui bench …` command prints its report: a table for people, or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def echo_report(
    report: dict[str, Any], format_report: Callable[[dict[str, Any]], str], *, as_json: bool
) -> None:
    import typer

    typer.echo(
        json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_report(report)
    )
