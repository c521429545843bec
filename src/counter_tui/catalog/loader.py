"""Read and validate a catalog folder (docs/catalog-format.md).

Every problem becomes one line naming the file, the line, the field and what is wrong, in
Chinese, so that the county admin who edits the files can fix them without reading code. All
problems are collected; nothing is half-loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from counter_tui.catalog.codes import (
    HANDLING_FORMS,
    ITEM_TYPES,
    LEVELS,
    MATERIAL_MODES,
    NO_FEE,
    SCOPES,
    SERVICE_OBJECTS,
)
from counter_tui.catalog.model import (
    Bundle,
    Catalog,
    Department,
    Item,
    Material,
    MaterialKind,
    Option,
    Situation,
)
from counter_tui.datafiles.fields import (
    Spec,
    anything,
    boolean,
    code,
    integer,
    one_of,
    read_record,
    some_of,
    text,
    texts,
)
from counter_tui.datafiles.lines import KeyPath
from counter_tui.datafiles.reading import DataFile, DataFilesInvalid, Problem
from counter_tui.text import clean


class CatalogInvalid(DataFilesInvalid):
    """The catalog has problems; `problems` lists every one."""


def _read(root: Path, path: Path, problems: list[Problem]) -> DataFile:
    """One file of the folder, named in messages by its path inside the folder."""
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    return DataFile.read(path, name, problems)


DEPARTMENT: Spec = {
    "code": (code, True, None),
    "name": (text, True, None),
    "uscc": (text, False, None),
    "phone": (text, False, None),
}
KIND: Spec = {"code": (code, True, None), "name": (text, True, None)}
MATERIAL: Spec = {
    "id": (code, True, None),
    "name": (text, True, None),
    "kind": (code, True, None),
    "issuer": (text, False, None),
    "originals": (integer(0), True, None),
    "copies": (integer(0), True, None),
    "electronic": (boolean, False, None),
    "mode": (one_of(MATERIAL_MODES), True, None),
    "source": (text, False, None),
    "conditional": (boolean, False, None),
    "notes": (text, False, None),
}
ITEM: Spec = {
    "code": (code, True, None),
    "name": (text, True, None),
    "aliases": (texts, False, None),
    "department": (code, True, None),
    "type": (one_of(ITEM_TYPES), True, None),
    "service_objects": (some_of(SERVICE_OBJECTS), True, None),
    "levels": (some_of(LEVELS), True, None),
    "handling_forms": (some_of(HANDLING_FORMS), False, None),
    "scope": (one_of(SCOPES), False, None),
    "legal_basis": (text, True, None),
    "conditions": (text, True, None),
    "result": (text, False, None),
    "legal_limit_days": (integer(0), True, None),
    "committed_limit_days": (integer(0), True, None),
    "special_procedures": (texts, False, None),
    "correction_stops_clock": (boolean, False, None),
    "trips": (integer(0, 2), True, None),
    "fee": (text, True, None),
    "fee_basis": (text, False, None),
    "steps": (texts, True, None),
    "location": (text, True, None),
    "hours": (text, True, None),
    "phone": (text, True, None),
    "supervision_phone": (text, True, None),
    "appointment": (boolean, False, None),
    "delivery": (boolean, False, None),
    "online": (boolean, False, None),
    "faq": (anything, False, None),
    "materials": (anything, True, None),
    "situations": (anything, False, None),
}
SITUATION: Spec = {
    "id": (code, True, None),
    "question": (text, True, None),
    "default": (text, False, None),
    "options": (anything, True, None),
}
OPTION: Spec = {
    "answer": (text, True, None),
    "adds": (texts, False, ()),
    "drops": (texts, False, ()),
}
BUNDLE: Spec = {
    "code": (code, True, None),
    "name": (text, True, None),
    "aliases": (texts, False, None),
    "description": (text, False, None),
    "items": (texts, True, None),
    "lead_department": (code, True, None),
}
HEADER: Spec = {
    "name": (text, True, None),
    "version": (text, True, None),
    "region": (text, False, None),
}


def _array(file: DataFile, key: str) -> list[tuple[KeyPath, Any]]:
    assert file.data is not None
    value = file.data.get(key, [])
    if not isinstance(value, list):
        file.problem((key,), key, "应为 [[" + key + "]] 表的数组")
        return []
    return [((key, index), entry) for index, entry in enumerate(value)]


# --- the folder -----------------------------------------------------------------------------


def load_catalog(root: Path) -> Catalog:
    """Read and check the whole folder; raises CatalogInvalid with every problem found."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise CatalogInvalid([Problem(str(root), 1, "-", "不是目录")])
    header = _header(root, problems)
    departments = _records(root, "departments.toml", "department", DEPARTMENT, problems)
    kinds = _records(root, "material_kinds.toml", "kind", KIND, problems)
    items: dict[str, Item] = {}
    sources: dict[str, str] = {}
    #: Items whose own file has problems: bundles naming them are not reported again.
    broken: set[str] = set()
    for path in sorted((root / "items").rglob("*.toml")):
        file = _read(root, path, problems)
        if file.data is None:
            broken.add(path.stem)  # unreadable: its file name is its code by convention
            continue
        item = _item(file, departments, kinds)
        if item is None:
            broken.add(str(file.data.get("code", "")))
            continue
        if item.code in items:
            file.problem(("code",), "code", f"事项编码重复：也在 {sources[item.code]}")
            continue
        items[item.code] = item
        sources[item.code] = file.name
    bundles: dict[str, Bundle] = {}
    for path in sorted((root / "bundles").glob("*.toml")):
        file = _read(root, path, problems)
        if file.data is None:
            continue
        bundle = _bundle(file, departments, items, broken)
        if bundle is None:
            continue
        if bundle.code in bundles or bundle.code in items:
            file.problem(("code",), "code", "编码重复（与其他一件事或事项相同）")
            continue
        bundles[bundle.code] = bundle
        sources[bundle.code] = file.name
    if not items and not problems:
        problems.append(
            Problem("items/", 1, "-", "目录中没有任何事项文件（items/<部门>/<编码>.toml）")
        )
    if problems or header is None:
        raise CatalogInvalid(problems)
    return Catalog(
        name=header["name"],
        version=header["version"],
        region=header.get("region", ""),
        departments={d.code: d for d in departments.values()},
        kinds={k.code: k for k in kinds.values()},
        items=items,
        bundles=bundles,
        sources=sources,
    )


def _header(root: Path, problems: list[Problem]) -> dict[str, Any] | None:
    path = root / "catalog.toml"
    if not path.exists():
        problems.append(
            Problem("catalog.toml", 1, "-", "缺少文件（写明目录名称 name 和版本 version）")
        )
        return None
    file = _read(root, path, problems)
    return None if file.data is None else read_record(file, file.data, (), HEADER, "目录")


def _records(
    root: Path, name: str, key: str, spec: Spec, problems: list[Problem]
) -> dict[str, Any]:
    path = root / name
    if not path.exists():
        problems.append(Problem(name, 1, "-", f"缺少文件（写 [[{key}]] 表）"))
        return {}
    file = _read(root, path, problems)
    if file.data is None:
        return {}
    record_type = Department if key == "department" else MaterialKind
    found: dict[str, Any] = {}
    for where, entry in _array(file, key):
        values = read_record(file, entry, where, spec, key)
        if values is None:
            continue
        if values["code"] in found:
            file.problem((*where, "code"), "code", f"编码重复：{values['code']}")
            continue
        found[values["code"]] = record_type(**values)
    return found


def _item(file: DataFile, departments: dict[str, Any], kinds: dict[str, Any]) -> Item | None:
    assert file.data is not None
    data = file.data
    values = read_record(file, data, (), ITEM, "事项")
    # Materials and situations are checked even when a top-level field is wrong: every problem
    # of the file is reported in one pass.
    faq = _faq(file, data.get("faq", []))
    materials = _materials(file, data["materials"], kinds) if "materials" in data else None
    situations = _situations(file, data.get("situations", []), materials)
    if values is None:
        return None
    for nested in ("faq", "materials", "situations"):
        values.pop(nested, None)
    ok = True
    if values["department"] not in departments:
        file.problem(("department",), "department", f"未知部门：{values['department']}")
        ok = False
    if values["committed_limit_days"] > values["legal_limit_days"]:
        file.problem(
            ("committed_limit_days",),
            "committed_limit_days",
            f"承诺时限 {values['committed_limit_days']} 个工作日超过法定时限 "
            f"{values['legal_limit_days']} 个工作日",
        )
        ok = False
    if values["fee"] != NO_FEE and not values.get("fee_basis"):
        file.problem(("fee",), "fee_basis", f"收费事项须写明收费依据（fee 不是“{NO_FEE}”）")
        ok = False
    if faq is None or materials is None or situations is None or not ok:
        return None
    return Item(**values, faq=faq, materials=materials, situations=situations)


def _faq(file: DataFile, value: Any) -> tuple[tuple[str, str], ...] | None:
    entries = []
    if not isinstance(value, list):
        file.problem(("faq",), "faq", '应为 [{ q = "…", a = "…" }] 的列表')
        return None
    for entry in value:
        if not (
            isinstance(entry, dict)
            and set(entry) == {"q", "a"}
            and all(isinstance(v, str) and v.strip() for v in entry.values())
        ):
            file.problem(("faq",), "faq", '每条常见问题应为 { q = "问题", a = "回答" }')
            return None
        entries.append((clean(entry["q"]), clean(entry["a"], multiline=True)))
    return tuple(entries)


def _materials(file: DataFile, value: Any, kinds: dict[str, Any]) -> tuple[Material, ...] | None:
    if not isinstance(value, list) or not value:
        file.problem(("materials",), "materials", "至少要有一份材料（[[materials]] 表）")
        return None
    materials: list[Material] = []
    seen: set[str] = set()
    ok = True
    for index, entry in enumerate(value):
        where: KeyPath = ("materials", index)
        values = read_record(file, entry, where, MATERIAL, "材料")
        if values is None:
            ok = False
            continue
        if values["id"] in seen:
            file.problem((*where, "id"), "id", f"材料编号重复：{values['id']}")
            ok = False
        seen.add(values["id"])
        if values["kind"] not in kinds:
            file.problem((*where, "kind"), "kind", f"未知材料种类：{values['kind']}")
            ok = False
        if values["mode"] == "exempt" and not values.get("source"):
            file.problem((*where, "source"), "source", "免提交的材料须写明数据来源（source）")
            ok = False
        if values["originals"] == 0 and values["copies"] == 0 and not values.get("electronic"):
            file.problem((*where, "copies"), "copies", "原件、复印件份数都为 0，也不收电子版")
            ok = False
        materials.append(Material(**values))
    return tuple(materials) if ok else None


def _situations(
    file: DataFile, value: Any, materials: tuple[Material, ...] | None
) -> tuple[Situation, ...] | None:
    if not isinstance(value, list):
        file.problem(("situations",), "situations", "应为 [[situations]] 表的数组")
        return None
    known = {m.id for m in materials or ()}
    situations: list[Situation] = []
    ok = True
    for index, entry in enumerate(value):
        where: KeyPath = ("situations", index)
        values = read_record(file, entry, where, SITUATION, "办理情形")
        if values is None:
            ok = False
            continue
        options = values.pop("options")
        if not isinstance(options, list) or len(options) < 2:
            file.problem(
                (*where, "options"), "options", "至少要有两个选项（[[situations.options]]）"
            )
            ok = False
            continue
        read_options: list[Option] = []
        for number, option in enumerate(options):
            at: KeyPath = (*where, "options", number)
            got = read_record(file, option, at, OPTION, "选项")
            if got is None:
                ok = False
                continue
            for field in ("adds", "drops"):
                unknown = [m for m in got[field] if m not in known]
                if unknown and materials is not None:
                    file.problem((*at, field), field, f"未知材料编号：{'、'.join(unknown)}")
                    ok = False
            read_options.append(Option(**got))
        answers = [option.answer for option in read_options]
        default = values.get("default")
        if default and len(answers) == len(options) and default not in answers:
            file.problem(
                (*where, "default"),
                "default",
                f"默认答案不是本情形的选项：{default}（可用：{'、'.join(answers)}）",
            )
            ok = False
            continue
        situations.append(Situation(**values, options=tuple(read_options)))
    return tuple(situations) if ok else None


def _bundle(
    file: DataFile, departments: dict[str, Any], items: dict[str, Item], broken: set[str]
) -> Bundle | None:
    assert file.data is not None
    values = read_record(file, file.data, (), BUNDLE, "一件事")
    if values is None:
        return None
    ok = not any(code in broken for code in values["items"])
    unknown = [code for code in values["items"] if code not in items and code not in broken]
    if unknown:
        file.problem(("items",), "items", f"未知事项编码：{'、'.join(unknown)}")
        ok = False
    if len(set(values["items"])) < 2:
        file.problem(("items",), "items", "一件事至少包含两个不同的事项")
        ok = False
    if values["lead_department"] not in departments:
        file.problem(
            ("lead_department",), "lead_department", f"未知部门：{values['lead_department']}"
        )
        ok = False
    return Bundle(**values) if ok else None
