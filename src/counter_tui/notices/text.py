"""A notice as plain text, for 58/80 mm receipt printers and the TUI preview.

Widths are terminal cells (a Chinese character takes two), measured with `rich.cells`, so what
the preview shows is what the printer gets. No line is ever wider than the width asked for: long
Chinese runs break between characters, long ASCII words (URLs, numbers) break inside the word.
"""

from __future__ import annotations

from rich.cells import cell_len

from counter_tui.notices.content import (
    TRAINING_MARK,
    Fields,
    Heading,
    Notice,
    Paragraph,
    Signatures,
    Table,
)

#: Paper → characters per line in cells (a 58 mm printer prints 32 ASCII characters a line).
PAPER_WIDTHS = {"58mm": 32, "80mm": 48}

#: The narrowest layout this renders; anything narrower is laid out as this.
MIN_WIDTH = 16

#: Punctuation that may not begin a line (it sticks to the text before it).
_CLOSING = set("，。、；：！？）】》」』”’,.;:!?)]%")
#: Punctuation that may not end a line (it sticks to the text after it).
_OPENING = set("（【《「『“‘([")
_SPACES = " \t\u3000"
_NUMERALS = "一二三四五六七八九十"
_COLUMN_GAP = 2


def copy_label(notice: Notice, index: int) -> str:
    """第一联（申请人留存）…: which copy this is, when a notice is printed more than once."""
    numeral = _NUMERALS[index] if index < len(_NUMERALS) else str(index + 1)
    label = f"第{numeral}联"
    if notice.copies == 2:
        label += ("（申请人留存）", "（存档）")[index]
    return label


def render_text(notice: Notice, width: int = 48) -> str:
    """The whole notice, every copy, as lines no wider than `width` cells."""
    width = max(width, MIN_WIDTH)
    copies = []
    for index in range(max(notice.copies, 1)):
        lines = []
        if notice.copies > 1:
            lines.append(_right(copy_label(notice, index), width))
        lines.extend(_head(notice, width))
        for block in notice.blocks:
            lines.extend(_block(block, width))
        if notice.training:  # first and last line of each copy: a torn-off half still says it
            lines += ["", *training_banner(width)]
        copies.append("\n".join(line.rstrip() for line in lines))
    separator = "\n\n" + "=" * width + "\n\n"
    return separator.join(copies) + "\n"


def training_banner(width: int) -> list[str]:
    """The training mark, centred, for the top and the end of a demo's paper."""
    return [_center(line, width) for line in wrap(TRAINING_MARK, width)]


def _head(notice: Notice, width: int) -> list[str]:
    lines = training_banner(width) if notice.training else []
    lines += [_center(line, width) for line in wrap(notice.printed_title, width)]
    lines += [_center(line, width) for line in wrap(notice.issuer, width)]
    lines += [_center(line, width) for line in wrap(f"编号：{notice.number}", width)]
    lines.append("-" * width)
    return lines


def _block(block: object, width: int) -> list[str]:
    match block:
        case Heading(text):
            return ["", *wrap(text, width)]
        case Paragraph(text):
            return wrap(text, width)
        case Fields(rows):
            return _fields(rows, width)
        case Table(headers, rows):
            return _table(headers, rows, width)
        case Signatures(lines):
            return _signatures(lines, width)
    return []


def _fields(rows: tuple[tuple[str, str], ...], width: int) -> list[str]:
    out: list[str] = []
    for label, value in rows:
        head = f"{label}："
        if cell_len(head) <= width // 2:
            out += wrap(value, width, first=head, rest=" " * cell_len(head))
        else:
            out += wrap(head, width)
            out += wrap(value, width, first="  ", rest="  ")
    return out


def _table(headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], width: int) -> list[str]:
    """Columns when every cell fits on one line; otherwise one numbered entry per row."""
    columns = [
        max([cell_len(h), *(cell_len(r[i]) for r in rows if i < len(r))])
        for i, h in enumerate(headers)
    ]
    if sum(columns) + _COLUMN_GAP * (len(columns) - 1) <= width:
        return [_row(headers, columns), *(_row(row, columns) for row in rows)]
    out: list[str] = []
    for number, row in enumerate(rows, start=1):
        first = f"{number}. "
        indent = " " * cell_len(first)
        out += wrap(row[0] if row else "", width, first=first, rest=indent)
        for header, value in zip(headers[1:], row[1:], strict=False):
            if value:
                head = f"{indent}{header}："
                out += wrap(value, width, first=head, rest=" " * cell_len(head))
    return out


def _row(cells: tuple[str, ...], columns: list[int]) -> str:
    gap = " " * _COLUMN_GAP
    padded = (cell + " " * (w - cell_len(cell)) for cell, w in zip(cells, columns, strict=False))
    return gap.join(padded)


def _signatures(lines: tuple[str, ...], width: int) -> list[str]:
    """A line ending in "：" gets a blank to sign on; others (the seal, a date) go right."""
    out = [""]
    for line in lines:
        if line.endswith("："):
            wrapped = wrap(line, width)
            blank = width - cell_len(wrapped[-1])
            if blank < 8:
                wrapped.append("_" * width)
            else:
                wrapped[-1] += "_" * blank
            out += ["", *wrapped]
        else:
            out += [_right(part, width) for part in wrap(line, width)]
    return out


def _center(line: str, width: int) -> str:
    return " " * ((width - cell_len(line)) // 2) + line


def _right(line: str, width: int) -> str:
    return " " * (width - cell_len(line)) + line


# --- wrapping ---------------------------------------------------------------------------------


def wrap(text: str, width: int, *, first: str = "", rest: str = "") -> list[str]:
    """`text` in lines of at most `width` cells: the first line starts with `first`, the others
    with `rest` (a hanging indent). Explicit newlines are kept."""
    if cell_len(first) > width - 2 or cell_len(rest) > width - 2:
        first, rest = first[: max(0, width - 2)], ""
    lines: list[str] = []
    prefix = first
    for paragraph in text.split("\n"):
        line, used = prefix, cell_len(prefix)
        pending_space = False
        for token in _tokens(paragraph):
            if token == " ":
                pending_space = used > cell_len(prefix)
                continue
            size = cell_len(token) + (1 if pending_space else 0)
            if used + size <= width:
                line += (" " if pending_space else "") + token
                used += size
            else:
                if used > cell_len(prefix):
                    lines.append(line)
                    prefix = rest
                    line, used = prefix, cell_len(prefix)
                for ch in token:  # still too long for an empty line: break inside it
                    if used + cell_len(ch) > width:
                        lines.append(line)
                        prefix = rest
                        line, used = prefix, cell_len(prefix)
                    line += ch
                    used += cell_len(ch)
            pending_space = False
        lines.append(line)
        prefix = rest
    return lines


def _tokens(text: str) -> list[str]:
    """Units that are not broken: an ASCII word, one Chinese character with any punctuation that
    must stay beside it, or " " for a place to break at a space."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch in _SPACES:
            if word:
                tokens.append(word)
                word = ""
            if tokens and tokens[-1] != " ":
                tokens.append(" ")
        elif cell_len(ch) == 1 and ch not in _CLOSING and ch not in _OPENING:
            word += ch
        else:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
    if word:
        tokens.append(word)
    return _glue(tokens)


def _glue(tokens: list[str]) -> list[str]:
    glued: list[str] = []
    opening = ""
    for token in tokens:
        if token in _OPENING:
            opening += token
            continue
        if token != " ":
            token = opening + token
            opening = ""
        if token[0] in _CLOSING and glued and glued[-1] != " ":
            glued[-1] += token
        else:
            glued.append(token)
    if opening:
        glued.append(opening)
    return glued
