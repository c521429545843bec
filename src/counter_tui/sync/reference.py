"""Reference data from the hub: the county's catalog and working-day calendar (DESIGN §6).

Their tables are not projections (docs/architecture.md, "Deviations"), so they cannot travel as
events: the hub publishes each as a document with a digest, and a node whose digest differs
fetches the document and imports it through the same import a county admin runs by hand —
recorded as the node's own `catalog.imported` / `calendar.imported`, due dates recounted. A
document that does not read as a catalog or a calendar is refused: the node keeps the last good
version, keeps working, and the problem is shown.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from counter_tui.actor import Actor
from counter_tui.catalog.model import (
    Catalog,
    Department,
    MaterialKind,
    bundle_from_json,
    item_from_json,
)
from counter_tui.catalog.models import CatalogDepartment, CatalogEntry, CatalogKind
from counter_tui.catalog.service import active_version, catalog_digest, import_catalog
from counter_tui.workdays.models import CalendarYear
from counter_tui.workdays.rules import Published, plan_digest, plan_from_json, plan_problems
from counter_tui.workdays.service import import_calendar


class ReferenceInvalid(ValueError):
    """A published document this node cannot use; the message says why, in Chinese."""


# --- the hub publishes ---------------------------------------------------------------------


#: version id → the digest of its published document (a version never changes).
_published_digests: dict[str, str] = {}


def digests(session: Session, *, published: bool = False) -> dict[str, Any]:
    """What this database's reference data is: the active catalog's digest and each calendar
    year's. `published`: the catalog's digest taken over its published document (the form both
    ends can rebuild), so a hub and a node compare like with like and a node whose catalog
    already says what the hub's says adopts nothing."""
    version = active_version(session)
    catalog = ""
    if version is not None:
        catalog = version.digest
        if published:
            catalog = _published_digests.get(version.id, "")
            if not catalog:
                doc = catalog_document(session)
                assert doc is not None
                catalog = catalog_digest(catalog_from_document(doc))
                _published_digests[version.id] = catalog
    years = session.exec(select(CalendarYear.year, CalendarYear.digest)).all()
    return {"catalog": catalog, "calendar": {str(year): digest for year, digest in years}}


def catalog_document(session: Session) -> dict[str, Any] | None:
    """The active catalog version, whole, as JSON, in code order (so its digest is the same
    wherever it is rebuilt); None when there is none."""
    version = active_version(session)
    if version is None:
        return None
    vid = version.id
    departments = session.exec(
        select(CatalogDepartment)
        .where(CatalogDepartment.version_id == vid)
        .order_by(col(CatalogDepartment.code))
    ).all()
    kinds = session.exec(
        select(CatalogKind).where(CatalogKind.version_id == vid).order_by(col(CatalogKind.code))
    ).all()
    entries = session.exec(
        select(CatalogEntry).where(CatalogEntry.version_id == vid).order_by(col(CatalogEntry.code))
    ).all()
    return {
        "name": version.name,
        "version": version.label,
        "departments": [
            {"code": d.code, "name": d.name, "uscc": d.uscc, "phone": d.phone} for d in departments
        ],
        "kinds": [{"code": k.code, "name": k.name} for k in kinds],
        "items": [json.loads(e.doc) for e in entries if e.kind == "item"],
        "bundles": [json.loads(e.doc) for e in entries if e.kind != "item"],
    }


def calendar_document(session: Session) -> dict[str, Any]:
    rows = session.exec(select(CalendarYear).order_by(col(CalendarYear.year))).all()
    return {
        "years": [
            {"year": r.year, "digest": r.digest, "source": r.source, "plan": json.loads(r.doc)}
            for r in rows
        ]
    }


# --- the node adopts -----------------------------------------------------------------------


def catalog_from_document(doc: dict[str, Any]) -> Catalog:
    """The Catalog a published document describes, its references checked."""
    try:
        departments = {d["code"]: Department(**d) for d in doc["departments"]}
        kinds = {k["code"]: MaterialKind(**k) for k in doc["kinds"]}
        items = {i["code"]: item_from_json(i) for i in doc["items"]}
        bundles = {b["code"]: bundle_from_json(b) for b in doc["bundles"]}
        catalog = Catalog(
            name=str(doc["name"]),
            version=str(doc["version"]),
            departments=departments,
            kinds=kinds,
            items=items,
            bundles=bundles,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReferenceInvalid(f"中心发布的事项目录无法读取：{exc}") from None
    for item in items.values():
        if item.department not in departments:
            raise ReferenceInvalid(f"中心发布的事项目录有误：事项 {item.code} 的部门不存在")
        for material in item.materials:
            if material.kind not in kinds:
                raise ReferenceInvalid(
                    f"中心发布的事项目录有误：事项 {item.code} 的材料类别 {material.kind} 不存在"
                )
    for bundle in bundles.values():
        missing = [code for code in bundle.items if code not in items]
        if missing:
            raise ReferenceInvalid(
                f"中心发布的事项目录有误：一件事 {bundle.code} 含不存在的事项 {missing[0]}"
            )
    return catalog


def adopt_catalog(session: Session, actor: Actor, doc: dict[str, Any]) -> bool:
    """Import the hub's catalog unless it is the one in use; True when it was imported."""
    catalog = catalog_from_document(doc)
    return not import_catalog(session, actor, catalog).unchanged


def adopt_calendar(session: Session, actor: Actor, doc: dict[str, Any], hub: str) -> list[int]:
    """Import every year whose arrangement differs from the hub's; the years imported."""
    offered = []
    try:
        for year in doc["years"]:
            plan = plan_from_json(year["plan"])
            if plan_problems(plan):
                raise ReferenceInvalid(f"中心发布的 {plan.year} 年工作日历有误")
            offered.append(plan)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceInvalid(f"中心发布的工作日历无法读取：{exc}") from None
    held = {r.year: r.digest for r in session.exec(select(CalendarYear))}
    changed = [p for p in offered if held.get(p.year) != plan_digest(p)]
    if not changed:
        return []
    import_calendar(session, actor, [Published(p, "hub", f"中心 {hub}") for p in changed])
    return [p.year for p in changed]
