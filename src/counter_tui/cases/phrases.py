"""The usual 补正 phrases for a material, so that the approver picks them by digit instead of
typing them through the input method (issue 15, point 7).

Why a keyword table here and not a field of the catalog: a material kind in the catalog
(material_kinds.toml) has only a code and a name, no category, and the catalog is reference
data the hub publishes and every node imports into its database; a category there would be a
catalog schema change and a migration for a list of suggestions. The suggestions are not
rules: the approver may always write something else. So the kind of a material is guessed
from its name (and the `form_` prefix the catalog gives its application forms), first rule
that matches wins; a material that matches none gets the phrases every material shares.
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhraseSet:
    """The phrases of one kind of material, and how its materials are recognised."""

    label: str
    #: Any of these in the material's name (or `forms`: a kind code starting `form_`).
    keywords: tuple[str, ...]
    phrases: tuple[str, ...]
    forms: bool = False


#: Checked in this order: an application form for an ID card (居民身份证申领登记表) is a form
#: first, and a power of attorney is not a licence although its name may hold 证书.
PHRASE_SETS = (
    PhraseSet("授权委托书", ("委托书",), ("缺少委托人签字", "委托事项不明确")),
    PhraseSet(
        "申请表",
        ("申请表", "申请书", "登记表", "申报表", "审批表", "申领表", "采集表"),
        ("未签字或盖章", "填写不完整", "信息与证件不一致"),
        forms=True,
    ),
    PhraseSet(
        "身份证明",
        ("身份证", "户口簿", "居住证", "社会保障卡", "残疾人证"),
        ("复印件不清晰", "证件已过期", "未签字"),
    ),
    PhraseSet(
        "证照",
        ("执照", "许可证", "证书", "资质"),
        ("复印件未加盖公章", "复印件不清晰", "证件已过期"),
    ),
)

#: What may be wrong with any material; offered after the phrases of its kind.
COMMON = ("需提供原件核验", "内容与申请不符")


def phrase_set(kind: str, name: str) -> PhraseSet | None:
    """The phrase set of a material (its kind code and its name in the item), if any."""
    for candidate in PHRASE_SETS:
        if candidate.forms and kind.startswith("form_"):
            return candidate
        if any(word in name for word in candidate.keywords):
            return candidate
    return None


def correction_phrases(kind: str, name: str) -> tuple[str, ...]:
    """The phrases to offer for a material: those of its kind, then the common ones, each once."""
    found = phrase_set(kind, name)
    own = found.phrases if found else ()
    return own + tuple(p for p in COMMON if p not in own)
