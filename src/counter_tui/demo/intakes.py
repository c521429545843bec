"""A complete application, as a careful clerk leaves it: what the living hall's cases and the
scenarios' given cases are accepted from (one way of filling an intake, so that the hall and a
scenario's case never differ in what "complete" means)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from counter_tui.cases.intake import COMMITTED, EXEMPT, RECEIVED, Intake, Mark, Party

if TYPE_CHECKING:
    from sqlmodel import Session


def complete_intake(session: Session, code: str, party: Party) -> Intake:
    """`code`'s intake for `party` with every 办理情形 at its default (else first) answer and
    every material settled as a complete application has it (received, exempt, or committed)."""
    from counter_tui.cases import commands

    blank = Intake(entry_code=code, applicant=party)
    for item in commands.prepare(session, blank).items.values():
        for situation in item.situations:
            answer = situation.default or situation.options[0].answer
            blank = blank.with_answer(item.code, situation.id, answer)
    complete = blank
    for line in commands.prepare(session, blank).lines:
        material = line.material
        if material.mode == "exempt":
            mark = Mark(EXEMPT)
        elif material.mode == "commitment":
            mark = Mark(COMMITTED)
        else:
            mark = Mark(RECEIVED, original_seen=material.originals > 0, copies_kept=material.copies)
        complete = complete.with_mark(material.kind, mark)
    return complete
