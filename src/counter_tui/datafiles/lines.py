"""Where a value stands in a TOML file, so that a validation error can name its line.

tomllib gives no positions, so this reads the text once and maps each key path — such as
("materials", 2, "kind") or ("situations", 0, "options", 1, "adds") — to the line of its key,
and each array-of-tables element to the line of its header. It understands what the catalog
and calendar files use: [table], [[array.of.tables]], key = value, dotted and quoted keys,
multi-line strings and arrays. It never decides validity; tomllib does that.
"""

from __future__ import annotations

import re

#: A key's place in the data: table and key names, and array indexes.
KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r'^\s*((?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+))*)\s*='
)


def _split_key(raw: str) -> list[str]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', raw)
    return [a or b or c for a, b, c in parts]


class LineMap:
    """Lines of keys and tables in one TOML text."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        counts: dict[KeyPath, int] = {}
        current: KeyPath = ()
        in_string: str | None = None
        depth = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            if depth > 0:
                depth += _bracket_balance(line)
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                names = _split_key(header.group(2))
                if header.group(1) == "[[":
                    parent = self._resolve(names[:-1], counts)
                    array: KeyPath = (*parent, names[-1])
                    index = counts.get(array, 0)
                    counts[array] = index + 1
                    current = (*array, index)
                else:
                    current = self._resolve(names, counts)
                self._lines.setdefault(current, number)
                continue
            key = _KEY.match(line)
            if key:
                path = (*current, *_split_key(key.group(1)))
                self._lines.setdefault(path, number)
                rest = line[key.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_string = quote
                depth = _bracket_balance(rest) if in_string is None else 0

    @staticmethod
    def _resolve(names: list[str], counts: dict[KeyPath, int]) -> KeyPath:
        """A dotted table name inside arrays of tables refers to their latest element."""
        path: KeyPath = ()
        for name in names:
            path = (*path, name)
            if path in counts:
                path = (*path, counts[path] - 1)
        return path

    def line(self, path: KeyPath) -> int:
        """The line of `path`, or of the nearest enclosing key or table; 1 if none."""
        probe = path
        while probe:
            if probe in self._lines:
                return self._lines[probe]
            probe = probe[:-1]
        return 1


def _bracket_balance(text: str) -> int:
    """How many more [ and { than ] and } (outside strings) a line of a value has."""
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'', "", text)
    text = text.split("#", 1)[0]
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")
