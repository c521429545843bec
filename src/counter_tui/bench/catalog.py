"""A large synthetic catalog for benchmarks and tests (`counter-tui catalog generate`): real-looking
item names composed from the parts real catalogs use (个体工商户 + 设立登记, 食品经营许可证 + 延续,
城乡居民 + 基本养老保险 + 待遇申领 …; the words are in catalog_words.py), so that pinyin and
initials queries behave as they would on a county's catalog. The same seed gives the same
catalog, byte for byte.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from counter_tui.bench.catalog_words import (
    ALIASES,
    APPLICANTS,
    BUNDLES,
    COUNTY,
    DEPARTMENTS,
    GROUPS,
    KINDS,
    REGION,
    STEPS,
    VARIANTS,
    Group,
)


@dataclass(frozen=True)
class GeneratedItem:
    """The searchable part of a generated item (benchmarks use these without writing files)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    department: str
    type: str
    service_objects: tuple[str, ...]
    levels: tuple[str, ...]


@dataclass(frozen=True)
class GeneratedBundle:
    code: str
    name: str
    aliases: tuple[str, ...]
    description: str
    items: tuple[str, ...]
    lead_department: str


def uscc(number: int) -> str:
    """A department's 统一社会信用代码-shaped code (not check-digit valid: it is synthetic)."""
    return f"11{REGION}MB{1_527_000 + number * 37:07d}X"


def _names() -> Iterator[tuple[Group, str]]:
    """Every name the parts make, group by group, in a fixed order: "食品经营许可证延续",
    "食品经营许可证延续（法人，告知承诺制）" …"""
    for group in GROUPS:
        applicants = ("", *APPLICANTS) if len(group.objects) > 1 else ("",)
        for applicant, variant in itertools.product(applicants, ("", *VARIANTS)):
            qualifier = "，".join(q for q in (applicant, variant) if q)
            qualifier = f"（{qualifier}）" if qualifier else ""
            for prefix, subject, verb in itertools.product(
                group.prefixes, group.subjects, group.verbs
            ):
                yield group, f"{prefix}{subject}{verb}{qualifier}"


def _aliases(name: str) -> tuple[str, ...]:
    found = [a for part, aliases in ALIASES.items() if part in name for a in aliases]
    return tuple(dict.fromkeys(found))[:3]


def generate_items(items: int, *, seed: int = 0) -> list[GeneratedItem]:
    """`items` items with distinct names while the parts last (then repeats, as a province's
    catalog repeats a county item for each county) and distinct codes."""
    if items < 0:
        raise ValueError("items must be ≥ 0")
    rng = random.Random(seed)
    pool = list(_names())
    rng.shuffle(pool)
    department_number = {code: n for n, (code, _, _) in enumerate(DEPARTMENTS, start=1)}
    serial: dict[str, int] = {}
    made: list[GeneratedItem] = []
    for n in range(items):
        group, name = pool[n % len(pool)]
        serial[group.type] = serial.get(group.type, 0) + 1
        # 实施编码: the department's credit code, the item type, a serial and a sub-item number.
        code = f"{uscc(department_number[group.department])}{group.type}"
        code += f"{serial[group.type]:05d}{n // len(pool):03d}"
        made.append(
            GeneratedItem(
                code=code,
                name=name,
                aliases=_aliases(name) if rng.random() < 0.8 else (),
                department=group.department,
                type=group.type,
                service_objects=group.objects,
                levels=group.levels,
            )
        )
    return made


def generate_bundles(items: Sequence[GeneratedItem], *, seed: int = 0) -> list[GeneratedBundle]:
    """A few 一件事 over the items, each with at least two items when there are two."""
    if len(items) < 2:
        return []
    rng = random.Random(seed + 1)
    bundles = []
    for code, name, aliases, words, lead in BUNDLES:
        chosen: list[str] = []
        for word in words:
            matching = [i.code for i in items if word in i.name and i.code not in chosen]
            if matching:
                chosen.append(rng.choice(matching))
        while len(chosen) < 2:
            extra = rng.choice(items).code
            if extra not in chosen:
                chosen.append(extra)
        description = "、".join(i.name for i in items if i.code in chosen) + "一次办"
        bundles.append(GeneratedBundle(code, name, aliases, description, tuple(chosen), lead))
    return bundles


# --- writing the files -------------------------------------------------------------------------


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _value(value: str | int | bool | Sequence[str]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    return "[" + ", ".join(toml_string(v) for v in value) + "]"


def _table(fields: dict[str, str | int | bool | Sequence[str]]) -> list[str]:
    return [f"{key} = {_value(value)}" for key, value in fields.items()]


def generate_catalog(out_dir: Path, items: int, *, seed: int = 0) -> None:
    """Write a catalog of `items` items (docs/catalog-format.md) under `out_dir`."""
    made = generate_items(items, seed=seed)
    rng = random.Random(seed + 2)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(
        out_dir / "catalog.toml",
        _table(
            {
                "name": f"{COUNTY}政务服务事项目录（合成）",
                "version": f"synthetic-{items}-{seed}",
                "region": REGION,
            }
        ),
    )
    lines: list[str] = []
    for number, (code, name, _) in enumerate(DEPARTMENTS, start=1):
        lines += [
            "[[department]]",
            *_table(
                {"code": code, "name": name, "uscc": uscc(number), "phone": f"0710-36{number:05d}"}
            ),
            "",
        ]
    _write(out_dir / "departments.toml", lines)
    lines = []
    for code, name in KINDS:
        lines += ["[[kind]]", *_table({"code": code, "name": name}), ""]
    _write(out_dir / "material_kinds.toml", lines)
    laws = {code: law for code, _, law in DEPARTMENTS}
    for item in made:
        folder = out_dir / "items" / item.department
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"{item.code}.toml", _item_lines(item, laws, rng))
    bundles = generate_bundles(made, seed=seed)
    if bundles:
        (out_dir / "bundles").mkdir(exist_ok=True)
    for bundle in bundles:
        _write(
            out_dir / "bundles" / f"{bundle.code}.toml",
            _table(
                {
                    "code": bundle.code,
                    "name": bundle.name,
                    "aliases": bundle.aliases,
                    "description": bundle.description,
                    "items": bundle.items,
                    "lead_department": bundle.lead_department,
                }
            ),
        )


#: Every item may be handled by an agent: the same situation and conditional materials.
AGENT = """
[[materials]]
id = "power_of_attorney"
name = "授权委托书"
kind = "power_of_attorney"
originals = 1
copies = 0
mode = "required"
conditional = true

[[materials]]
id = "agent_id"
name = "代理人居民身份证"
kind = "resident_id"
originals = 1
copies = 1
mode = "required"
conditional = true

[[situations]]
id = "agent"
question = "是否委托他人代为办理？"

[[situations.options]]
answer = "本人办理"

[[situations.options]]
answer = "委托代理人办理"
adds = ["power_of_attorney", "agent_id"]
"""

_Fields = dict[str, str | int | bool | Sequence[str]]


def _item_lines(item: GeneratedItem, laws: dict[str, str], rng: random.Random) -> list[str]:
    legal = rng.choice((0, 5, 10, 15, 20, 30, 60))
    committed = rng.choice([d for d in (0, 1, 3, 5, 7, 10, 15, 20) if d <= legal])
    paid = item.type == "01" and rng.random() < 0.1
    fields: _Fields = {
        "code": item.code,
        "name": item.name,
        **({"aliases": item.aliases} if item.aliases else {}),
        "department": item.department,
        "type": item.type,
        "service_objects": item.service_objects,
        "levels": item.levels,
        "handling_forms": ("1", "2") if rng.random() < 0.6 else ("1",),
        **({"scope": "跨省"} if "跨省" in item.name else {}),
        "legal_basis": f"{laws[item.department]}第{rng.randint(2, 60)}条",
        "conditions": f"符合{item.name}的法定条件，申请材料齐全、符合法定形式。",
        "result": f"{item.name}结果通知书",
        "legal_limit_days": legal,
        "committed_limit_days": committed,
        "trips": 0 if committed == 0 else rng.choice((0, 1, 1, 1, 2)),
        "fee": "工本费 10 元" if paid else "不收费",
        **({"fee_basis": "省物价局鄂价费〔2019〕12号"} if paid else {}),
        "steps": STEPS if committed else ("受理", "办结"),
        "location": f"{COUNTY}政务服务中心{rng.randint(1, 40)}号窗口",
        "hours": "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）",
        "phone": f"0710-36{rng.randint(10000, 99999)}",
        "supervision_phone": "12345",
        "online": rng.random() < 0.5,
    }
    form: _Fields = {"id": "application", "name": f"《{item.name}申请表》"}
    form |= {"kind": "application_form", "originals": 1, "copies": 0, "mode": "required"}
    identity: _Fields = {"id": "applicant_id", "name": "申请人居民身份证", "kind": "resident_id"}
    identity |= {"issuer": "公安机关", "originals": 1, "copies": 1, "electronic": True}
    shared = rng.random() < 0.3  # 免提交: read from the population database instead
    identity |= {"mode": "exempt", "source": "人口库共享"} if shared else {"mode": "required"}
    materials = [form, identity]
    for n in rng.sample(range(5, len(KINDS)), rng.randint(1, 3)):
        code, name = KINDS[n]  # secondary materials: the only ones that may be 容缺
        mode = rng.choice(("required", "required", "deferrable", "commitment"))
        extra: _Fields = {"id": code, "name": name, "kind": code, "originals": rng.randint(0, 1)}
        materials.append(extra | {"copies": 1, "mode": mode})
    lines = _table(fields)
    for material in materials:
        lines += ["", "[[materials]]", *_table(material)]
    return [*lines, AGENT]


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
