"""Intakes for the shipped catalog's 最低生活保障审核确认 (a village may take it in): complete,
or with the sick member's diagnosis owed under 容缺."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import Engine

from counter_tui.cases import commands
from counter_tui.cases.intake import COMMITTED, DEFERRED, EXEMPT, RECEIVED, Intake, Mark, Party
from counter_tui.db import read_session

#: 最低生活保障审核确认 (department MZJ): its diagnosis is deferrable once a member is ill.
DIBAO = "11420610MB1044590A40500601000"
DEPARTMENT = "MZJ"
ID_NUMBER = "42060219900307123X"


def dibao_intake(engine: Engine, today: date, *, defer: bool) -> Intake:
    """Every question answered (a sick member when `defer`, so the diagnosis is on the list),
    every material given, or the diagnosis owed within ten days when `defer`."""
    intake = Intake(
        entry_code=DIBAO,
        applicant=Party(name="王秀英", id_number=ID_NUMBER, phone="13812345678"),
    )
    with read_session(engine) as session:
        for item in commands.prepare(session, intake).items.values():
            for situation in item.situations:
                choice = situation.options[0]
                if defer:
                    choice = next((o for o in situation.options if "diagnosis" in o.adds), choice)
                intake = intake.with_answer(item.code, situation.id, choice.answer)
        for line in commands.prepare(session, intake).lines:
            material = line.material
            if material.mode == "deferrable" and defer:
                mark = Mark(DEFERRED, until=today + timedelta(days=10))
            elif material.mode == "exempt":
                mark = Mark(EXEMPT)
            elif material.mode == "commitment":
                mark = Mark(COMMITTED)
            else:
                mark = Mark(
                    RECEIVED, original_seen=material.originals > 0, copies_kept=material.copies
                )
            intake = intake.with_mark(material.kind, mark)
    return replace(intake)
