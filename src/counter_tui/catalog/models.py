"""Catalog tables. The catalog is reference data (DESIGN §6): each import is a new version kept
whole, and one version is active. These tables are not projections of the journal; the journal
records each import (`catalog.imported`) for the audit trail."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class CatalogVersion(SQLModel, table=True):
    __tablename__ = "catalog_version"

    id: str = Field(primary_key=True, max_length=36)
    #: 1, 2, 3 … per node, in import order.
    number: int = Field(unique=True)
    label: str = Field(max_length=64)
    name: str = Field(max_length=200)
    #: SHA-256 of the catalog's canonical JSON: importing the same catalog again is a no-op.
    digest: str = Field(max_length=64, index=True)
    imported_at: datetime
    imported_by: str = Field(max_length=128)
    items: int
    bundles: int
    active: bool = Field(default=False, index=True)


class CatalogDepartment(SQLModel, table=True):
    __tablename__ = "catalog_department"

    version_id: str = Field(primary_key=True, foreign_key="catalog_version.id", max_length=36)
    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    uscc: str = Field(default="", max_length=32)
    phone: str = Field(default="", max_length=64)


class CatalogKind(SQLModel, table=True):
    __tablename__ = "catalog_kind"

    version_id: str = Field(primary_key=True, foreign_key="catalog_version.id", max_length=36)
    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)


class CatalogEntry(SQLModel, table=True):
    """An item or a bundle of one version: searchable columns plus the whole guide as JSON."""

    __tablename__ = "catalog_entry"

    version_id: str = Field(primary_key=True, foreign_key="catalog_version.id", max_length=36)
    code: str = Field(primary_key=True, max_length=64)
    #: "item" or "bundle".
    kind: str = Field(max_length=8)
    name: str = Field(max_length=200)
    department: str = Field(max_length=64, index=True)
    #: Space-separated levels where it may be accepted ("county town village").
    levels: str = Field(max_length=32)
    instant: bool = False
    #: The guide: model.item_to_json / bundle_to_json.
    doc: str
    #: Search keys made at import (pinyin is slow to import; never at start-up).
    keys: str


class CatalogUsage(SQLModel, table=True):
    """How often this node's clerks chose an entry (its guide opened in F5 or from the palette,
    the entry of an accepted case): ranks the most used first among equals.

    Written outside the journal, a documented deviation (docs/architecture.md, "Deviations"):
    a per-node convenience like a recently-used list, not business state. Nothing but the
    search's order reads it, it is never synced, replay leaves it alone and `audit verify`
    does not compare it.
    """

    __tablename__ = "catalog_usage"

    site: str = Field(primary_key=True, max_length=64)
    code: str = Field(primary_key=True, max_length=64)
    count: int = 0
    last_used_at: datetime
