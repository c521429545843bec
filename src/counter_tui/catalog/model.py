"""The catalog as the program holds it: immutable records read from the catalog files, stored as
JSON in the database and rebuilt from it. No I/O here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from counter_tui.catalog.codes import ITEM_TYPES, LEVELS, MATERIAL_MODES, NO_FEE


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    uscc: str = ""
    phone: str = ""


@dataclass(frozen=True)
class MaterialKind:
    code: str
    name: str


@dataclass(frozen=True)
class Material:
    id: str
    name: str
    kind: str
    originals: int
    copies: int
    mode: str
    issuer: str = ""
    electronic: bool = False
    source: str = ""
    conditional: bool = False
    notes: str = ""

    @property
    def mode_label(self) -> str:
        return MATERIAL_MODES[self.mode]

    @property
    def form_label(self) -> str:
        """原件 1 份、复印件 2 份 — how the material is to be brought."""
        parts = []
        if self.originals:
            parts.append(f"原件 {self.originals} 份")
        if self.copies:
            parts.append(f"复印件 {self.copies} 份")
        if self.electronic:
            parts.append("可电子")
        return "、".join(parts) or "—"


@dataclass(frozen=True)
class Option:
    answer: str
    adds: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()


@dataclass(frozen=True)
class Situation:
    id: str
    question: str
    options: tuple[Option, ...]
    #: The answer taken when the clerk gives none (one of the options'), or "" when the
    #: question must be answered before acceptance.
    default: str = ""


@dataclass(frozen=True)
class Item:
    """One item (事项) with its guide (办事指南)."""

    code: str
    name: str
    department: str
    type: str
    service_objects: tuple[str, ...]
    levels: tuple[str, ...]
    legal_basis: str
    conditions: str
    legal_limit_days: int
    committed_limit_days: int
    trips: int
    fee: str
    steps: tuple[str, ...]
    location: str
    hours: str
    phone: str
    supervision_phone: str
    materials: tuple[Material, ...]
    aliases: tuple[str, ...] = ()
    handling_forms: tuple[str, ...] = ("1",)
    scope: str = ""
    result: str = ""
    special_procedures: tuple[str, ...] = ()
    correction_stops_clock: bool = True
    fee_basis: str = ""
    appointment: bool = False
    delivery: bool = False
    online: bool = False
    faq: tuple[tuple[str, str], ...] = ()
    situations: tuple[Situation, ...] = ()

    @property
    def instant(self) -> bool:
        """即办件: completed at the window."""
        return self.committed_limit_days == 0

    @property
    def type_label(self) -> str:
        return ITEM_TYPES.get(self.type, self.type)

    @property
    def levels_label(self) -> str:
        return "、".join(LEVELS[level] for level in self.levels)

    @property
    def charged(self) -> bool:
        return self.fee != NO_FEE

    def base_materials(self) -> tuple[Material, ...]:
        """The checklist before any situation is answered."""
        return tuple(m for m in self.materials if not m.conditional)


@dataclass(frozen=True)
class Bundle:
    """A life-event bundle (一件事): several items, one notice, one set of materials."""

    code: str
    name: str
    items: tuple[str, ...]
    lead_department: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalog:
    name: str
    version: str
    departments: dict[str, Department]
    kinds: dict[str, MaterialKind]
    items: dict[str, Item]
    bundles: dict[str, Bundle]
    region: str = ""
    #: Where each record came from, for messages: code → relative file path.
    sources: dict[str, str] = field(default_factory=dict, compare=False)


# --- JSON for the database -----------------------------------------------------------------


def item_to_json(item: Item) -> dict[str, Any]:
    return asdict(item)


def item_from_json(data: dict[str, Any]) -> Item:
    values = dict(data)
    values["materials"] = tuple(Material(**m) for m in data["materials"])
    values["situations"] = tuple(
        Situation(
            id=s["id"],
            question=s["question"],
            options=tuple(
                Option(o["answer"], tuple(o["adds"]), tuple(o["drops"])) for o in s["options"]
            ),
            default=s.get("default", ""),
        )
        for s in data["situations"]
    )
    values["faq"] = tuple((q, a) for q, a in data["faq"])
    for key in (
        "aliases",
        "service_objects",
        "levels",
        "handling_forms",
        "special_procedures",
        "steps",
    ):
        values[key] = tuple(data[key])
    return Item(**values)


def bundle_to_json(bundle: Bundle) -> dict[str, Any]:
    return asdict(bundle)


def bundle_from_json(data: dict[str, Any]) -> Bundle:
    values = dict(data)
    values["items"] = tuple(data["items"])
    values["aliases"] = tuple(data["aliases"])
    return Bundle(**values)
