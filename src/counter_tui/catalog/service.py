"""Catalog services: import a checked catalog as a new version, read the active version.

An import is all or nothing: the folder is validated first, and the new version becomes active
in the same transaction that writes it, so a failed import leaves the previous version in use.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from counter_tui.accounts.rules import permission_problem
from counter_tui.actor import Actor
from counter_tui.catalog.events import CATALOG_IMPORTED, CatalogImported
from counter_tui.catalog.model import (
    Bundle,
    Catalog,
    Item,
    bundle_from_json,
    bundle_to_json,
    item_from_json,
    item_to_json,
)
from counter_tui.catalog.models import (
    CatalogDepartment,
    CatalogEntry,
    CatalogKind,
    CatalogUsage,
    CatalogVersion,
)
from counter_tui.catalog.rules import bundle_levels
from counter_tui.errors import PermissionDenied
from counter_tui.ids import new_id
from counter_tui.journal.service import record

if TYPE_CHECKING:
    from counter_tui.catalog.search import Entry


def catalog_digest(catalog: Catalog) -> str:
    body = {
        "name": catalog.name,
        "version": catalog.version,
        "region": catalog.region,
        "departments": [asdict(d) for d in catalog.departments.values()],
        "kinds": [asdict(k) for k in catalog.kinds.values()],
        "items": [item_to_json(i) for i in catalog.items.values()],
        "bundles": [bundle_to_json(b) for b in catalog.bundles.values()],
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    version: CatalogVersion
    #: True when the same catalog was already active: nothing was written.
    unchanged: bool


def import_catalog(
    session: Session, actor: Actor, catalog: Catalog, *, now: datetime | None = None
) -> ImportResult:
    """Store `catalog` (already validated) as the new active version."""
    from counter_tui.catalog.pinyin import search_keys, to_json  # slow import: only here

    # The rule itself, not accounts.service.require: accounts.service reads this module (an
    # approver's department must be one of the catalog's), so the import goes one way only.
    problem = permission_problem(actor.role, "catalog.manage")
    if problem:
        raise PermissionDenied(problem)
    digest = catalog_digest(catalog)
    current = active_version(session)
    if current is not None and current.digest == digest:
        return ImportResult(current, unchanged=True)
    number = (session.exec(select(func.max(CatalogVersion.number))).one() or 0) + 1
    version = CatalogVersion(
        id=new_id(),
        number=number,
        label=catalog.version,
        name=catalog.name,
        digest=digest,
        imported_at=now or datetime.now(UTC),
        imported_by=actor.label,
        items=len(catalog.items),
        bundles=len(catalog.bundles),
        active=True,
    )
    if current is not None:
        current.active = False
        session.add(current)
        session.flush()
    session.add(version)
    session.flush()
    for department in catalog.departments.values():
        session.add(CatalogDepartment(version_id=version.id, **asdict(department)))
    for kind in catalog.kinds.values():
        session.add(CatalogKind(version_id=version.id, **asdict(kind)))

    def keys(name: str, aliases: tuple[str, ...]) -> str:
        body = {
            "name": to_json(search_keys(name)),
            "alias_texts": list(aliases),
            "aliases": [to_json(search_keys(alias)) for alias in aliases],
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    for item in catalog.items.values():
        session.add(
            CatalogEntry(
                version_id=version.id,
                code=item.code,
                kind="item",
                name=item.name,
                department=item.department,
                levels=" ".join(item.levels),
                instant=item.instant,
                doc=json.dumps(item_to_json(item), ensure_ascii=False),
                keys=keys(item.name, item.aliases),
            )
        )
    for bundle in catalog.bundles.values():
        session.add(
            CatalogEntry(
                version_id=version.id,
                code=bundle.code,
                kind="bundle",
                name=bundle.name,
                department=bundle.lead_department,
                levels=" ".join(bundle_levels(bundle, catalog.items)),
                doc=json.dumps(bundle_to_json(bundle), ensure_ascii=False),
                keys=keys(bundle.name, bundle.aliases),
            )
        )
    record(
        session,
        actor,
        CATALOG_IMPORTED,
        CatalogImported(
            version_id=version.id,
            number=number,
            label=catalog.version,
            name=catalog.name,
            digest=digest,
            items=len(catalog.items),
            bundles=len(catalog.bundles),
        ),
    )
    return ImportResult(version, unchanged=False)


def active_version(session: Session) -> CatalogVersion | None:
    return session.exec(select(CatalogVersion).where(col(CatalogVersion.active))).first()


def _active_id(session: Session) -> str | None:
    version = active_version(session)
    return version.id if version else None


def list_entries(session: Session, *, department: str | None = None) -> list[CatalogEntry]:
    """Every item and bundle of the active version, bundles last, by department and name."""
    version_id = _active_id(session)
    if version_id is None:
        return []
    query = select(CatalogEntry).where(CatalogEntry.version_id == version_id)
    if department:
        query = query.where(CatalogEntry.department == department)
    query = query.order_by(
        col(CatalogEntry.kind).desc(), col(CatalogEntry.department), col(CatalogEntry.name)
    )
    return list(session.exec(query).all())


def get_entry(session: Session, code: str) -> Item | Bundle | None:
    version_id = _active_id(session)
    if version_id is None:
        return None
    row = session.get(CatalogEntry, (version_id, code))
    if row is None:
        return None
    data = json.loads(row.doc)
    return item_from_json(data) if row.kind == "item" else bundle_from_json(data)


def get_items(session: Session, codes: list[str]) -> dict[str, Item]:
    """The items among `codes` in the active version, read in one query (a bundle's members)."""
    version_id = _active_id(session)
    if version_id is None or not codes:
        return {}
    rows = session.exec(
        select(CatalogEntry).where(
            CatalogEntry.version_id == version_id,
            CatalogEntry.kind == "item",
            col(CatalogEntry.code).in_(codes),
        )
    )
    return {row.code: item_from_json(json.loads(row.doc)) for row in rows}


def departments(session: Session) -> dict[str, str]:
    """Department code → name in the active version."""
    version_id = _active_id(session)
    rows = session.exec(select(CatalogDepartment).where(CatalogDepartment.version_id == version_id))
    return {row.code: row.name for row in rows}


def kind_names(session: Session) -> dict[str, str]:
    version_id = _active_id(session)
    rows = session.exec(select(CatalogKind).where(CatalogKind.version_id == version_id))
    return {row.code: row.name for row in rows}


def search_entries(session: Session) -> list[Entry]:
    """The active version as search entries: no pinyin work, only stored keys."""
    from counter_tui.catalog.search import Entry, keys_from_json

    version_id = _active_id(session)
    if version_id is None:
        return []
    # Plain SQLAlchemy: sqlmodel's select() is typed for at most four columns.
    query = sa_select(
        col(CatalogEntry.code),
        col(CatalogEntry.kind),
        col(CatalogEntry.name),
        col(CatalogEntry.department),
        col(CatalogEntry.levels),
        col(CatalogEntry.keys),
    ).where(col(CatalogEntry.version_id) == version_id)
    rows = session.connection().execute(query).all()
    entries = []
    for code, kind, name, department, levels, keys in rows:
        stored: dict[str, Any] = json.loads(keys)
        entries.append(
            Entry(
                code=code,
                name=name,
                aliases=tuple(stored["alias_texts"]),
                kind=kind,
                department=department,
                levels=tuple(levels.split()),
                name_keys=keys_from_json(stored["name"]),
                alias_keys=tuple(keys_from_json(k) for k in stored["aliases"]),
            )
        )
    return entries


def record_use(session: Session, site: str, code: str, *, now: datetime | None = None) -> None:
    """Count one use of an entry at this site (the clerk opened its guide, or a case was
    accepted for it). Not an event: `CatalogUsage` says why it stays out of the journal."""
    usage = session.get(CatalogUsage, (site, code))
    if usage is None:
        usage = CatalogUsage(site=site, code=code, count=0, last_used_at=now or datetime.now(UTC))
    usage.count += 1
    usage.last_used_at = now or datetime.now(UTC)
    session.add(usage)


def usage_counts(session: Session, site: str) -> dict[str, int]:
    """Entry code → uses at `site`, for the search's order among equals (nothing else)."""
    rows = session.exec(select(CatalogUsage).where(CatalogUsage.site == site))
    return {row.code: row.count for row in rows}
