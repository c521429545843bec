"""Untrusted text at the boundary (DESIGN §4.6): names, addresses and notes are data, never markup.

Control characters are stripped when text enters the system; the UI renders such text with
`rich.text.Text`, never as markup, so `[b]` or `[/]` in a name shows literally.
"""

import unicodedata

_KEEP = {"\n", "\t"}


def clean(value: str, *, multiline: bool = False) -> str:
    """Remove control and format characters (escape sequences, bidi overrides); trim spaces."""
    out = []
    for ch in value:
        if ch in _KEEP and multiline:
            out.append(ch)
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            continue
        out.append(ch)
    return "".join(out).strip()
