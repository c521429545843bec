"""Big characters for the hall display: ticket numbers (any prefix A–Z) and window numbers, drawn
with block characters so people can read them across the hall. Pure: no Textual.

Why not Textual's `Digits`: it knows 0–9 and A–F only, and a hall may use any letter as a
prefix. The glyphs are 3×5 pixel bitmaps (M, N, W are 5 wide) drawn with half blocks, so at scale
1 a glyph takes 3×3 cells, and they scale by whole pixels (scale 2: 6×5 cells, 3: 9×8) without
the jagged joins that box-drawing glyphs get when they are stretched.
"""

from __future__ import annotations

#: char → pixel rows, top to bottom; "#" is ink. O is round and 0 square, so that O012 and 0012
#: differ; I has a foot and a cap, 1 a flag.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#..##", "#...#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
    "-": ("...", "...", "###", "...", "..."),
    "→": ("....", "..#.", "####", "..#.", "...."),
    " ": ("..", "..", "..", "..", ".."),
}
#: Drawn for a character without a glyph, so that a gap shows something is missing.
UNKNOWN = ("###", "#.#", "#.#", "#.#", "###")
PIXEL_ROWS = 5
#: Half blocks by (upper pixel, lower pixel).
HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def height(scale: int = 1) -> int:
    """Terminal rows taken by a line of big text at `scale`."""
    return (PIXEL_ROWS * scale + 1) // 2


def width(text: str, scale: int = 1) -> int:
    """Terminal columns taken by `text` at `scale` (one pixel column between glyphs)."""
    glyphs = [_glyph(ch) for ch in text]
    if not glyphs:
        return 0
    return scale * (sum(len(g[0]) for g in glyphs) + len(glyphs) - 1)


def render(text: str, scale: int = 1) -> list[str]:
    """`text` as lines of block characters, all of the same width; lower case reads as upper."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    pixels: list[list[bool]] = [[] for _ in range(PIXEL_ROWS)]
    for index, ch in enumerate(text):
        glyph = _glyph(ch)
        for row, line in enumerate(glyph):
            if index:
                pixels[row].append(False)
            pixels[row].extend(cell == "#" for cell in line)
    # Scale: every pixel becomes scale × scale; then pair pixel rows into half-block rows.
    rows = [[cell for cell in row for _ in range(scale)] for row in pixels for _ in range(scale)]
    if len(rows) % 2:
        rows.append([False] * (len(rows[0]) if rows else 0))
    return [
        "".join(HALVES[(up, down)] for up, down in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


def _glyph(ch: str) -> tuple[str, ...]:
    return GLYPHS.get(ch.upper(), UNKNOWN)
