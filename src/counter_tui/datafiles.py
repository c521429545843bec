"""A problem found in a data file the county admin edits (catalog, calendar): one line naming
the file, the line, the field and what is wrong, so it can be fixed without reading code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"
