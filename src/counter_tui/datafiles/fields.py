"""Typed field readers for data files: each takes a value as tomllib gave it and returns the
value to keep, or None and what is wrong with it in Chinese. `read_record` reads a table by a
spec (field → reader, required, default) and reports each problem at its key's line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from counter_tui.datafiles.lines import KeyPath
from counter_tui.datafiles.reading import DataFile
from counter_tui.text import clean

MAX_CODE_LENGTH = 64
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: A value → (the value to keep, None) or (None, what is wrong).
Reader = Callable[[Any], tuple[Any, str | None]]
#: field → (reader, required, default when absent: None leaves the field out).
Spec = dict[str, tuple[Reader, bool, Any]]


def kind_name(value: Any) -> str:
    """What a value is, in the admin's words: 文字, 整数, 列表 …"""
    names = {str: "文字", int: "整数", bool: "true/false", list: "列表", dict: "表", float: "小数"}
    if isinstance(value, datetime):
        return "日期时间"
    return names.get(type(value), type(value).__name__)


def text(value: Any) -> tuple[Any, str | None]:
    """Non-empty text, cleaned of control characters (line breaks kept)."""
    if not isinstance(value, str):
        return None, f"应为文字，实际是 {kind_name(value)}"
    cleaned = clean(value, multiline=True)
    return (cleaned, None) if cleaned else (None, "不能为空")


def code(value: Any) -> tuple[Any, str | None]:
    """A code: text without blanks, at most MAX_CODE_LENGTH characters."""
    found, problem = text(value)
    if problem:
        return None, problem
    if len(found) > MAX_CODE_LENGTH or any(ch.isspace() for ch in found):
        return None, f"编码应为不含空白的文字，最长 {MAX_CODE_LENGTH} 个字符"
    return found, None


def integer(low: int, high: int | None = None) -> Reader:
    """A whole number in [low, high] (no upper bound without `high`)."""

    def read(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"应为整数，实际是 {kind_name(value)}"
        if value < low or (high is not None and value > high):
            bound = f"{low}–{high}" if high is not None else f"≥ {low}"
            return None, f"应在 {bound} 之间，实际是 {value}"
        return value, None

    return read


def boolean(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, bool):
        return None, f"应为 true 或 false，实际是 {kind_name(value)}"
    return value, None


def texts(value: Any) -> tuple[Any, str | None]:
    """A list of texts, cleaned; blank ones dropped."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, f'应为文字列表，如 ["…", "…"]，实际是 {kind_name(value)}'
    cleaned = tuple(c for c in (clean(v) for v in value) if c)
    return cleaned, None


def one_of(codes: dict[str, str]) -> Reader:
    """One code of a code set (code → meaning)."""

    def read(value: Any) -> tuple[Any, str | None]:
        if not isinstance(value, str) or value not in codes:
            return None, f"不在代码集中：{value!r}（可用：{_options(codes)}）"
        return value, None

    return read


def some_of(codes: dict[str, str], *, at_least_one: bool = True) -> Reader:
    """Codes of a code set, each once, in the order given."""

    def read(value: Any) -> tuple[Any, str | None]:
        items, problem = texts(value)
        if problem:
            return None, problem
        unknown = [v for v in items if v not in codes]
        if unknown:
            return None, f"不在代码集中：{'、'.join(unknown)}（可用：{_options(codes)}）"
        if at_least_one and not items:
            return None, "至少要有一项"
        return tuple(dict.fromkeys(items)), None

    return read


def day(value: Any) -> tuple[Any, str | None]:
    """A TOML date (2026-10-01) or the same written as text."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value, None
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()), None
        except ValueError:
            pass
    shown = value if isinstance(value, str) else kind_name(value)
    return None, f"应为日期，如 2026-10-01，实际是 {shown}"


def anything(value: Any) -> tuple[Any, str | None]:
    """Taken as it is: a nested table or array the caller reads itself."""
    return value, None


def _options(codes: dict[str, str]) -> str:
    return "、".join(f"{k} {v}" for k, v in codes.items())


def read_value(file: DataFile, value: Any, reader: Reader, path: KeyPath, field: str) -> Any:
    """`value` read by `reader`, or None with its problem reported at `path`."""
    found, problem = reader(value)
    if problem:
        file.problem(path, field, problem)
        return None
    return found


def read_record(
    file: DataFile, data: Any, path: KeyPath, spec: Spec, record: str
) -> dict[str, Any] | None:
    """Read the table `data` at `path` by `spec`; None when any field has a problem (each one
    reported: unknown keys, missing required ones, values their reader refuses)."""
    if not isinstance(data, dict):
        file.problem(path, record, f"应为表，实际是 {kind_name(data)}")
        return None
    values: dict[str, Any] = {}
    ok = file.unknown_keys(data, spec, path, record)
    for name, (reader, required, default) in spec.items():
        if name not in data:
            if required:
                file.problem(path, name, "缺少必填字段")
                ok = False
            elif default is not None:
                values[name] = default
            continue
        value, problem = reader(data[name])
        if problem:
            file.problem((*path, name), name, problem)
            ok = False
        else:
            values[name] = value
    return values if ok else None
