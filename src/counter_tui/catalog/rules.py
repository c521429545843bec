"""Pure rules over catalog records: a bundle's merged checklist and situation answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from counter_tui.catalog.codes import MATERIAL_MODES
from counter_tui.catalog.model import Bundle, Item, Material, Situation

#: Strictest first: when two items ask the same kind of material, the stricter mode wins.
_STRICTNESS = {mode: rank for rank, mode in enumerate(MATERIAL_MODES)}


@dataclass(frozen=True)
class ChecklistLine:
    """One material the applicant brings, and which items asked for it."""

    material: Material
    items: tuple[str, ...]


def checklist(
    items: Sequence[Item], answers: Mapping[tuple[str, str], str] | None = None
) -> list[ChecklistLine]:
    """The materials of `items`, merged by kind, after the situation answers.

    `answers` maps (item code, situation id) → the chosen answer. Materials of the same kind
    (居民身份证, 户口簿 …) are asked once: most originals and copies, strictest mode.
    """
    answers = answers or {}
    lines: dict[str, ChecklistLine] = {}
    for item in items:
        for material in materials_for(item, answers):
            line = lines.get(material.kind)
            if line is None:
                lines[material.kind] = ChecklistLine(material, (item.code,))
                continue
            lines[material.kind] = ChecklistLine(
                _merge(line.material, material), (*line.items, item.code)
            )
    return list(lines.values())


def answer_of(
    item: Item, situation: Situation, answers: Mapping[tuple[str, str], str]
) -> tuple[str | None, bool]:
    """(the answer in force, whether it is the catalog's default): the clerk's answer, else the
    situation's default, else None. An answer that is not one of the options counts as none."""
    chosen = answers.get((item.code, situation.id))
    if chosen is not None and any(option.answer == chosen for option in situation.options):
        return chosen, False
    if situation.default:
        return situation.default, True
    return None, False


def unanswered(
    items: Sequence[Item], answers: Mapping[tuple[str, str], str]
) -> list[tuple[Item, Situation]]:
    """The situations with no answer in force: acceptance waits for them (cases.rules), and the
    one-time notice lists what each answer would add."""
    return [
        (item, situation)
        for item in items
        for situation in item.situations
        if answer_of(item, situation, answers)[0] is None
    ]


def materials_for(item: Item, answers: Mapping[tuple[str, str], str]) -> list[Material]:
    """One item's materials after its situations are answered (a default counts as the answer;
    unanswered: the base checklist)."""
    wanted = {m.id for m in item.base_materials()}
    for situation in item.situations:
        chosen, _ = answer_of(item, situation, answers)
        for option in situation.options:
            if option.answer == chosen:
                wanted |= set(option.adds)
                wanted -= set(option.drops)
    return [m for m in item.materials if m.id in wanted]


def _merge(kept: Material, other: Material) -> Material:
    mode = min(kept.mode, other.mode, key=_STRICTNESS.__getitem__)
    return replace(
        kept,
        originals=max(kept.originals, other.originals),
        copies=max(kept.copies, other.copies),
        mode=mode,
        source=kept.source if mode == "exempt" else "",
        notes=kept.notes or other.notes,
    )


def bundle_items(bundle: Bundle, items: Mapping[str, Item]) -> list[Item]:
    return [items[code] for code in bundle.items if code in items]


def bundle_levels(bundle: Bundle, items: Mapping[str, Item]) -> tuple[str, ...]:
    """A bundle may be accepted where every one of its items may."""
    sets = [set(item.levels) for item in bundle_items(bundle, items)]
    common = set.intersection(*sets) if sets else set()
    return tuple(level for level in ("county", "town", "village") if level in common)
