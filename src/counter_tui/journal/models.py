"""Tables of the journal: the events themselves and one head row per site."""

from sqlmodel import Field, SQLModel


class Event(SQLModel, table=True):
    """One immutable event. `payload` is canonical JSON; `hash` covers every other field."""

    __tablename__ = "event"

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(index=True, max_length=64)
    actor: str = Field(max_length=128)
    hlc: str = Field(index=True, max_length=32)
    type: str = Field(max_length=64)
    payload: str
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class JournalHead(SQLModel, table=True):
    """The last event of each site: the chain's tip and the site's hybrid logical clock."""

    __tablename__ = "journal_head"

    site: str = Field(primary_key=True, max_length=64)
    last_hlc: str = Field(max_length=32)
    last_hash: str = Field(max_length=64)
    count: int = 0
