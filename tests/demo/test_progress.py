"""Classroom seat files: a seat claims its own file when the class folder is set, rewrites it
whole on every change, and the trainer's reader skips what it cannot read."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from counter_tui.demo import progress
from counter_tui.demo.progress import current_seat, read_classroom


@pytest.fixture(autouse=True)
def fresh_seat() -> Iterator[None]:
    progress._forget()
    yield
    progress._forget()


def test_no_class_folder_no_seat(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(progress.ENV, raising=False)
    assert current_seat() is None


def test_a_seat_writes_its_file_at_once_and_is_the_same_seat_all_along(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(progress.ENV, str(tmp_path / "class"))
    seat = current_seat(database="/tmp/demo-1/demo.db")
    assert seat is not None and current_seat() is seat
    data = json.loads((tmp_path / "class" / "seat-1.json").read_text(encoding="utf-8"))
    assert data["seat"] == "seat-1" and data["trainee"] == "学员1"
    assert data["pid"] == os.getpid() and data["database"] == "/tmp/demo-1/demo.db"
    assert (data["scenario"], data["score"], data["finished"], data["history"]) == (
        None,
        None,
        False,
        [],
    )


def test_two_seats_in_one_class_get_two_files(tmp_path: Path) -> None:
    first = progress._claim(tmp_path, "a.db")
    second = progress._claim(tmp_path, "b.db")
    assert first is not None and second is not None
    assert (first.seat, second.seat) == ("seat-1", "seat-2")
    assert [r.database for r in read_classroom(tmp_path)] == ["a.db", "b.db"]


def test_an_update_rewrites_the_file_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    seat = progress._claim(tmp_path, "")
    assert seat is not None
    seat.update(trainee="张小明")
    assert [p.name for p in tmp_path.iterdir()] == ["seat-1.json"]
    (record,) = read_classroom(tmp_path)
    assert record.trainee == "张小明"
    with pytest.raises(TypeError):
        seat.update(colour="red")


def test_the_reader_skips_half_written_and_foreign_files(tmp_path: Path) -> None:
    seat = progress._claim(tmp_path, "")
    assert seat is not None
    (tmp_path / "seat-2.json").write_text('{"seat": "seat-2", "trainee"', encoding="utf-8")
    (tmp_path / "seat-3.json").write_text('{"seat": "seat-3"}', encoding="utf-8")
    (tmp_path / "seat-4.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "seat-5.json").write_bytes(b"\xff\xfe")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert [r.seat for r in read_classroom(tmp_path)] == ["seat-1"]
    assert read_classroom(tmp_path / "nowhere") == []


def test_the_reader_takes_a_whole_seat_file_and_nothing_less(tmp_path: Path) -> None:
    """The one parser of seat files (the trainer's view reads through it): keys it does not
    know are left alone (a newer seat), a file a seat could not have written is skipped."""
    seat = progress._claim(tmp_path, "")
    assert seat is not None
    whole = asdict(seat.record)

    def write(number: int, **fields: object) -> None:
        data = {**whole, "seat": f"seat-{number}", **fields}
        (tmp_path / f"seat-{number}.json").write_text(json.dumps(data), encoding="utf-8")

    write(10, colour="red")  # a key from a newer version
    write(2, history=[{"score": 90}, "stray"])
    write(3, score=True)  # true is no score
    write(4, done=-1)
    write(5, seat="")
    write(6, pid=False)
    write(7, finished=1)
    read = read_classroom(tmp_path)
    assert [r.seat for r in read] == ["seat-1", "seat-2", "seat-10"]  # seat-2 before seat-10
    assert read[1].history == [{"score": 90}]
