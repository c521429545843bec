"""Row identities: UUIDv7, time-ordered and made offline without coordination (DESIGN §4.2)."""

from uuid6 import uuid7


def new_id() -> str:
    """A new UUIDv7 as its canonical 36-character string (portable across SQLite and PostgreSQL)."""
    return str(uuid7())
