"""Where the shipped catalog (data/catalog in the source tree) is, when this install has it."""

from pathlib import Path


def shipped_catalog() -> Path | None:
    """data/catalog beside src/ in a clone or editable install; None in a plain wheel install,
    where the admin imports the county's catalog with `counter-tui catalog import PATH`."""
    root = Path(__file__).resolve().parents[3]
    path = root / "data" / "catalog"
    return path if (path / "catalog.toml").exists() else None
