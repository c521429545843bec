"""A notice's content, independent of how it is printed: title, number, issuer, then blocks.

compose.py builds one from a case's NoticeFacts; text.py lays it out for 58/80 mm receipt
printers and the TUI preview; pdf.py sets it on A4. The composed notice is stored with the case
(`to_json`), so a reprint is the same document, not a new one built from today's catalog.
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

RECEIPT = "receipt"
NOTIFY = "notify"
REFUSAL = "refusal"
DEFERRAL = "deferral"
TERMINATION = "termination"
CORRECTION = "correction"

#: kind → the document's title.
TITLES = {
    RECEIPT: "受理通知书",
    NOTIFY: "一次性告知书",
    REFUSAL: "不予受理通知书",
    DEFERRAL: "容缺受理承诺书",
    TERMINATION: "终止办理通知书",
    CORRECTION: "补正材料通知书",
}

#: What a demo's papers say on every page: training, not an official document, void.
TRAINING_MARK = "培训演示 · 非正式文书 · 无效"
#: Before the title of a training paper and of a demo's slips and reports.
TRAINING_PREFIX = "【培训演示】"

#: kind → the short code in the document number (421202-XA-BYQ-261122-0007-SL).
NUMBER_SUFFIX = {
    RECEIPT: "SL",
    NOTIFY: "GZ",
    REFUSAL: "BY",
    DEFERRAL: "RQ",
    TERMINATION: "ZZ",
    CORRECTION: "BZ",
}


@dataclass(frozen=True)
class Heading:
    """A section heading: 【申请材料】."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Running text; wraps to the width."""

    text: str


@dataclass(frozen=True)
class Fields:
    """Label: value lines (申请人：张*三)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table: on paper narrower than the table, each row becomes a numbered paragraph."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Signatures:
    """Lines to sign or seal at the end: ("申请人（签字）", "窗口人员", "（受理专用章）")."""

    lines: tuple[str, ...]


Block = Heading | Paragraph | Fields | Table | Signatures


@dataclass(frozen=True)
class Notice:
    kind: str
    #: The document number (受理文书编号).
    number: str
    #: The issuing agency as printed at the head and by the seal.
    issuer: str
    issued_at: datetime
    blocks: tuple[Block, ...]
    #: How many copies to print (a 容缺 commitment: one for the applicant, one for the file).
    copies: int = 1
    #: Issued in a demo (training) hall: every rendering carries TRAINING_MARK, so that a paper
    #: printed in training can never pass for a real one. Part of the content, not of the
    #: printer's settings, so a reprint and the preview carry it too.
    training: bool = False

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def printed_title(self) -> str:
        """The title as printed: a training paper says so first (【培训演示】受理通知书)."""
        return f"{TRAINING_PREFIX}{self.title}" if self.training else self.title


def to_json(notice: Notice) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for block in notice.blocks:
        match block:
            case Heading(text):
                blocks.append({"heading": text})
            case Paragraph(text):
                blocks.append({"paragraph": text})
            case Fields(rows):
                blocks.append({"fields": [list(row) for row in rows]})
            case Table(headers, rows):
                blocks.append(
                    {"table": {"headers": list(headers), "rows": [list(r) for r in rows]}}
                )
            case Signatures(lines):
                blocks.append({"signatures": list(lines)})
    data: dict[str, Any] = {
        "kind": notice.kind,
        "number": notice.number,
        "issuer": notice.issuer,
        "issued_at": notice.issued_at.isoformat(),
        "copies": notice.copies,
        "blocks": blocks,
    }
    if notice.training:  # only then: a real hall's stored notices stay exactly as they were
        data["training"] = True
    return data


def from_json(data: dict[str, Any]) -> Notice:
    blocks: list[Block] = []
    for raw in data["blocks"]:
        if "heading" in raw:
            blocks.append(Heading(raw["heading"]))
        elif "paragraph" in raw:
            blocks.append(Paragraph(raw["paragraph"]))
        elif "fields" in raw:
            blocks.append(Fields(tuple((a, b) for a, b in raw["fields"])))
        elif "table" in raw:
            table = raw["table"]
            blocks.append(Table(tuple(table["headers"]), tuple(tuple(r) for r in table["rows"])))
        elif "signatures" in raw:
            blocks.append(Signatures(tuple(raw["signatures"])))
    return Notice(
        kind=data["kind"],
        number=data["number"],
        issuer=data["issuer"],
        issued_at=datetime.fromisoformat(data["issued_at"]),
        blocks=tuple(blocks),
        copies=int(data.get("copies", 1)),
        training=bool(data.get("training", False)),
    )
