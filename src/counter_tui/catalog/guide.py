"""The guide (办事指南) of an item, or a bundle's merged checklist, as sections of plain text.

One source for the CLI (`catalog show`) and the TUI's guide pane, which renders the same
sections as literal text (catalog text is data, never markup).
"""

from __future__ import annotations

from collections.abc import Mapping

from counter_tui.catalog.codes import HANDLING_FORMS, SERVICE_OBJECTS
from counter_tui.catalog.model import Bundle, Item, Material
from counter_tui.catalog.rules import bundle_items, checklist

Section = tuple[str, list[str]]


def limit_label(item: Item) -> str:
    if item.instant:
        legal = f"；法定 {item.legal_limit_days} 个工作日" if item.legal_limit_days else ""
        return f"即办件（当场办结{legal}）"
    return f"承诺 {item.committed_limit_days} 个工作日，法定 {item.legal_limit_days} 个工作日"


def material_line(number: int, material: Material, kinds: Mapping[str, str]) -> str:
    extra = [material.mode_label]
    if material.issuer:
        extra.append(f"出具：{material.issuer}")
    if material.mode == "exempt" and material.source:
        extra.append(f"数据来源：{material.source}")
    line = f"{number}. {material.name}  {material.form_label}  （{'；'.join(extra)}）"
    if material.notes:
        line += f"\n   {material.notes}"
    return line


def item_sections(
    item: Item, *, departments: Mapping[str, str], kinds: Mapping[str, str]
) -> list[Section]:
    """The guide of one item, in the order a clerk reads it to an applicant."""
    objects = "、".join(SERVICE_OBJECTS.get(o, o) for o in item.service_objects)
    forms = "、".join(HANDLING_FORMS.get(f, f) for f in item.handling_forms)
    basics = [
        f"事项编码：{item.code}",
        f"实施部门：{departments.get(item.department, item.department)}",
        f"事项类型：{item.type_label}    服务对象：{objects}",
        f"办理时限：{limit_label(item)}",
        f"可受理层级：{item.levels_label}    到现场次数：{item.trips} 次",
        f"办理形式：{forms}" + (f"    通办范围：{item.scope}" if item.scope else ""),
        f"收费：{item.fee}" + (f"（依据：{item.fee_basis}）" if item.fee_basis else ""),
    ]
    if item.result:
        basics.append(f"办理结果：{item.result}")
    if item.special_procedures:
        basics.append(f"特别程序（不计入时限）：{'、'.join(item.special_procedures)}")
    sections: list[Section] = [("基本信息", basics)]
    base = item.base_materials()
    sections.append(("申请材料", [material_line(n, m, kinds) for n, m in enumerate(base, start=1)]))
    if item.situations:
        lines = []
        for situation in item.situations:
            lines.append(f"· {situation.question}")
            by_id = {m.id: m.name for m in item.materials}
            for option in situation.options:
                change = [f"加 {by_id[m]}" for m in option.adds] + [
                    f"免 {by_id[m]}" for m in option.drops
                ]
                answer = option.answer
                if answer == situation.default:
                    answer += "（默认）"
                lines.append(f"    {answer}" + (f"：{'，'.join(change)}" if change else ""))
        sections.append(("办理情形", lines))
    sections.append(("受理条件", [item.conditions]))
    sections.append(("设定依据", [item.legal_basis]))
    sections.append(("办理流程", [" → ".join(item.steps)]))
    sections.append(
        (
            "办理地点与咨询",
            [
                f"地点：{item.location}",
                f"时间：{item.hours}",
                f"咨询电话：{item.phone}    监督电话：{item.supervision_phone}",
            ],
        )
    )
    if item.faq:
        sections.append(("常见问题", [f"问：{q}\n答：{a}" for q, a in item.faq]))
    return sections


def bundle_sections(
    bundle: Bundle,
    *,
    items: Mapping[str, Item],
    departments: Mapping[str, str],
    kinds: Mapping[str, str],
) -> list[Section]:
    """A bundle: its items, and one merged checklist (shared materials asked once)."""
    members = bundle_items(bundle, items)
    lines = [
        f"{n}. {item.name}（{departments.get(item.department, item.department)}，"
        f"{limit_label(item)}）"
        for n, item in enumerate(members, start=1)
    ]
    merged = []
    for n, line in enumerate(checklist(members), start=1):
        text = material_line(n, line.material, kinds)
        if len(line.items) > 1:
            text += f"\n   （{len(line.items)} 个事项共用，只交一次）"
        merged.append(text)
    head = [f"编码：{bundle.code}", f"牵头部门：{departments.get(bundle.lead_department, '')}"]
    if bundle.description:
        head.append(bundle.description)
    return [("一件事", head), ("包含事项", lines), ("合并后的材料清单", merged)]


def guide_text(
    entry: Item | Bundle,
    *,
    departments: Mapping[str, str],
    items: Mapping[str, Item],
    kinds: Mapping[str, str],
) -> str:
    if isinstance(entry, Item):
        sections = item_sections(entry, departments=departments, kinds=kinds)
    else:
        sections = bundle_sections(entry, items=items, departments=departments, kinds=kinds)
    out = [entry.name, "=" * 20]
    for title, lines in sections:
        out.append(f"\n【{title}】")
        out.extend(lines)
    return "\n".join(out)
