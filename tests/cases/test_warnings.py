"""Warnings the clerk confirms: a valid ID number whose birth date is before 1900 (records of the
deceased exist) is not refused; the outcome waits for the clerk's confirmation, which travels
with the intake, and a number changed afterwards is asked about again."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from counter_tui.cases import commands as cases_commands
from counter_tui.cases import rules
from counter_tui.cases.commands import IntakeRefused
from counter_tui.cases.intake import RECEIVED, Agent, Intake, Mark, Party
from counter_tui.db import write_session
from tests.cases.catalog import F5, Hall
from tests.conftest import HALL
from tests.core.helpers import events

OLD = "440524188001010014"
TODAY = date(2026, 11, 9)
WARNING = "出生日期 1880-01-01 早于 1900 年：请核对证件，无误后确认"


def test_a_birth_before_1900_is_a_warning_at_its_field_until_confirmed() -> None:
    party = Party(name="陈老", id_number=OLD, phone="13812345678")
    checked = rules.check_parties(party, None, today=TODAY)
    assert checked.problems == {}
    token = rules.confirmation_token("applicant.id_number", OLD)
    assert checked.warnings == {token: WARNING}
    assert rules.token_field(token) == "applicant.id_number"
    assert rules.check_parties(party, None, today=TODAY, confirmed=(token,)).warnings == {}
    # The agent's number is named as the agent's.
    agent = Agent(name="陈某", id_number=OLD, phone="13912345678", authorisation="授权委托书")
    person = Party(name="张三", id_number="420602198503151231", phone="13812345678")
    warned = rules.check_parties(person, agent, today=TODAY).warnings
    assert warned == {rules.confirmation_token("agent.id_number", OLD): "代办人" + WARNING}


def test_the_outcome_waits_for_the_clerks_confirmation(hall: Hall) -> None:
    intake = Intake(entry_code=F5, applicant=Party(name="陈老", id_number=OLD, phone="13812345678"))
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True, copies_kept=1))
    now = datetime(2026, 11, 9, 10).replace(tzinfo=HALL)
    with pytest.raises(IntakeRefused) as caught, write_session(hall.engine) as s:
        cases_commands.accept(s, hall.clerk, intake, now=now)
    assert caught.value.problems == {}
    assert list(caught.value.warnings.values()) == [WARNING]
    assert caught.value.message == WARNING
    assert events(hall.engine, "case.accepted") == []

    confirmed = intake.with_confirmed(tuple(caught.value.warnings))
    # Confirmed for another number: asked again.
    other = replace(confirmed, applicant=replace(intake.applicant, id_number="440524188001020011"))
    with pytest.raises(IntakeRefused), write_session(hall.engine) as s:
        cases_commands.accept(s, hall.clerk, other, now=now)

    with write_session(hall.engine) as s:
        case = cases_commands.accept(s, hall.clerk, confirmed, now=now).case
    assert case.intake.applicant.id_number == OLD
    [accepted] = events(hall.engine, "case.accepted")
    assert json.loads(accepted.payload)["intake"]["confirmed"] == [
        rules.confirmation_token("applicant.id_number", OLD)
    ]
