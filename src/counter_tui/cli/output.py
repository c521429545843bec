"""Printing helpers: JSON for scripts, and text laid out in terminal columns."""

from __future__ import annotations

import json
import unicodedata

import typer


def echo_json(value: object) -> None:
    """`value` as indented JSON, Chinese left readable."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def columns(text: str) -> int:
    """How many terminal columns `text` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns, at least one space after it."""
    return text + " " * max(width - columns(text), 1)
