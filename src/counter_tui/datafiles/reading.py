"""Reading one data file: its TOML parsed, or one problem saying why it could not be (not UTF-8,
unreadable, a syntax error at its line), and every later problem reported at the line of the
key it is about. Problems are collected, never raised one by one, so the county admin sees
them all at once and nothing is half-loaded.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counter_tui.datafiles.lines import KeyPath, LineMap


@dataclass(frozen=True)
class Problem:
    """One problem: the file, the line, the field and what is wrong, fixable without the code."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DataFilesInvalid(Exception):
    """Data files have problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class DataFile:
    """One file: its data (None when it could not be read), where its keys stand, and the list
    its problems go to (shared by every file of one import)."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        #: The file as messages name it (relative to the folder imported).
        self.name = name
        self.problems = problems
        self.data: dict[str, Any] | None = None
        self.lines = LineMap("")

    @classmethod
    def read(cls, path: Path, name: str, problems: list[Problem]) -> DataFile:
        """Parse `path`; when it cannot be, `data` is None and the reason is a problem."""
        file = cls(name, problems)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            file.problem((), "-", "不是 UTF-8 文本")
            return file
        except OSError as exc:
            file.problem((), "-", f"无法读取（{exc.strerror}）")
            return file
        try:
            file.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
            problems.append(Problem(name, line, "-", f"TOML 语法错误：{exc}"))
            return file
        file.lines = LineMap(text)
        return file

    def problem(self, path: KeyPath, field: str, message: str) -> None:
        """Report a problem at the line of `path` (or of its nearest enclosing key)."""
        self.problems.append(Problem(self.name, self.lines.line(path), field, message))

    def unknown_keys(
        self, data: dict[str, Any], allowed: Iterable[str], path: KeyPath, record: str = ""
    ) -> bool:
        """Report every key of `data` not in `allowed`, naming the keys a `record` may have;
        False when there was one (a typo must not silently drop a value)."""
        names = tuple(allowed)
        ok = True
        for key in data:
            if key not in names:
                listed = "、".join(names)
                self.problem((*path, key), key, f"未知字段（{record}可用的字段：{listed}）")
                ok = False
        return ok


def _line_from_message(message: str) -> int:
    """tomllib before Python 3.14 gives the line only in its message."""
    match = re.search(r"line (\d+)", message)
    return int(match[1]) if match else 1
