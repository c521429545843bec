"""The node's identity (local, never synced) and the sites it knows (from the journal)."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class Node(SQLModel, table=True):
    """This database's own identity, written once by `init`. One row.

    Not an event: it describes the node, not the business, and must never travel by sync
    (a hub holding it would take on the village's identity).
    """

    __tablename__ = "node"

    id: int = Field(default=1, primary_key=True)
    site: str = Field(max_length=64)
    #: A trainer's demo database can never sync (DESIGN §4.7).
    demo: bool = False
    #: Where this node accepts items: county, town or village (catalog.codes.LEVELS).
    level: str = Field(default="county", max_length=8)
    created_at: datetime


class Site(SQLModel, table=True):
    """A service site: a hall, a town centre, a village room, or the hub itself."""

    __tablename__ = "site"

    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
