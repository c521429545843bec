"""What the clerk enters at intake, as immutable records: the applicant, the agent, the situation
answers and the mark on each material. Pure: no I/O.

The same records are the autosaved draft, the payload of the outcome events and the source of the
notices, so one JSON form (`to_json` / `from_json`) serves all three.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

PERSON = "person"
ORGANISATION = "organisation"
APPLICANT_KINDS = {PERSON: "自然人", ORGANISATION: "法人或其他组织"}

# --- material marks ------------------------------------------------------------------------

PENDING = "pending"
RECEIVED = "received"
DEFERRED = "deferred"
COMMITTED = "committed"
EXEMPT = "exempt"
MISSING = "missing"

#: status → what the checklist shows.
MARK_LABELS = {
    PENDING: "未核",
    RECEIVED: "已收",
    DEFERRED: "容缺",
    COMMITTED: "承诺",
    EXEMPT: "免提交",
    MISSING: "缺",
}


@dataclass(frozen=True)
class Party:
    """The applicant: a person, or an organisation with its legal representative.

    For an organisation `id_type`/`id_number` stay empty, `uscc` holds the 统一社会信用代码 and
    `legal_rep_id_type`/`legal_rep_id_number` the representative's identity document, which is
    how the representative is recognised when collecting the result.
    """

    kind: str = PERSON
    name: str = ""
    id_type: str = "111"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    uscc: str = ""
    legal_rep: str = ""
    legal_rep_id_type: str = "111"
    legal_rep_id_number: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """How a returning applicant is found: (id type or "uscc", number)."""
        if self.kind == ORGANISATION:
            return ("uscc", self.uscc)
        return (self.id_type, self.id_number)


@dataclass(frozen=True)
class Agent:
    """代办人: applies on the applicant's behalf, with a written authorisation."""

    name: str = ""
    id_type: str = "111"
    id_number: str = ""
    phone: str = ""
    #: What the authorisation is (授权委托书 … ), as the clerk saw it.
    authorisation: str = ""


@dataclass(frozen=True)
class Mark:
    """The clerk's mark on one material of the checklist (keyed by material kind)."""

    status: str = PENDING
    #: Received: the original was seen.
    original_seen: bool = False
    #: Received: copies kept on file.
    copies_kept: int = 0
    #: Deferred (容缺): the applicant supplies it by this day, no later than the due date.
    until: date | None = None
    #: What is wrong with what was brought (shown on the one-time notice), or any remark.
    note: str = ""


@dataclass(frozen=True)
class Intake:
    """One application as entered at the window."""

    entry_code: str = ""
    applicant: Party = field(default_factory=Party)
    agent: Agent | None = None
    #: "item code|situation id" → the chosen answer (办理情形).
    answers: dict[str, str] = field(default_factory=dict)
    #: material kind → mark.
    marks: dict[str, Mark] = field(default_factory=dict)
    note: str = ""
    #: Warnings the clerk confirmed against the documents, as "field id=value" (a birth date
    #: before 1900 …): a value changed after its confirmation is asked about again.
    confirmed: tuple[str, ...] = ()

    def with_confirmed(self, tokens: tuple[str, ...]) -> Intake:
        return replace(self, confirmed=tuple(dict.fromkeys((*self.confirmed, *tokens))))

    def with_mark(self, kind: str, mark: Mark) -> Intake:
        return replace(self, marks={**self.marks, kind: mark})

    def with_answer(self, item_code: str, situation_id: str, answer: str) -> Intake:
        return replace(self, answers={**self.answers, f"{item_code}|{situation_id}": answer})

    def answer_map(self) -> dict[tuple[str, str], str]:
        """The answers as catalog.rules.checklist() takes them."""
        out: dict[tuple[str, str], str] = {}
        for key, answer in self.answers.items():
            item_code, _, situation_id = key.partition("|")
            out[(item_code, situation_id)] = answer
        return out


def to_json(intake: Intake) -> dict[str, Any]:
    data = asdict(intake)
    for mark in data["marks"].values():
        mark["until"] = mark["until"].isoformat() if mark["until"] else None
    return data


def from_json(data: dict[str, Any]) -> Intake:
    marks = {}
    for kind, raw in data.get("marks", {}).items():
        until = raw.get("until")
        marks[kind] = Mark(
            status=raw.get("status", PENDING),
            original_seen=bool(raw.get("original_seen", False)),
            copies_kept=int(raw.get("copies_kept", 0)),
            until=date.fromisoformat(until) if until else None,
            note=raw.get("note", ""),
        )
    agent = data.get("agent")
    return Intake(
        entry_code=data.get("entry_code", ""),
        applicant=Party(**data.get("applicant", {})),
        agent=Agent(**agent) if agent else None,
        answers=dict(data.get("answers", {})),
        marks=marks,
        note=data.get("note", ""),
        confirmed=tuple(data.get("confirmed", ())),
    )
