"""The trainer's reading of a class folder: one row per seat (a browser's demo process), from the
progress files the seats write (`<folder>/<seat>.json`, the contract of demo/progress.py).

Read here from the JSON itself, not through demo/progress.py, because the trainer must cope
with anything in the folder: a file a seat is writing right now, one from an older version, a
stray file. Such a file is skipped this round (the next poll, a second later, reads it whole),
never an error on the trainer's screen. Whether the seat is still connected is not in the
file: a seat that leaves (its browser closed) cannot be trusted to say so, so it is read from
the seat's process (`pid`) being alive.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SeatRow:
    """One trainee as the trainer's view lists them."""

    seat: str
    trainee: str
    pid: int
    joined_at: str
    #: When the seat last wrote its file (ISO, with its zone), "" when the file does not say.
    updated_at: str
    title: str
    done: int
    tasks: int
    score: int | None
    mistakes: int
    hints: int
    elapsed_seconds: int
    finished: bool
    #: Scenarios this trainee finished in this class (the current one too, once finished: a
    #: seat adds a run to its history when it ends).
    finished_runs: int
    database: str
    #: The seat's process is still running: the trainee's browser is connected.
    connected: bool


def read_seats(folder: Path) -> list[SeatRow]:
    """Every readable seat file in `folder`, in the order the trainees joined."""
    rows: list[SeatRow] = []
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return rows
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # half-written (the seat replaces it atomically, but a copy may not) or gone
        row = seat_row(data)
        if row is not None:
            rows.append(row)
    rows.sort(key=lambda row: (row.joined_at, len(row.seat), row.seat))  # seat-2 before seat-10
    return rows


def seat_row(data: Any) -> SeatRow | None:
    """A seat file's content as a row, or None when it is not a seat file."""
    if not isinstance(data, dict):
        return None
    seat, pid = data.get("seat"), data.get("pid")
    if not isinstance(seat, str) or not seat or not isinstance(pid, int) or isinstance(pid, bool):
        return None
    history = data.get("history")
    score = data.get("score")
    return SeatRow(
        seat=seat,
        trainee=_text(data.get("trainee")) or seat,
        pid=pid,
        joined_at=_text(data.get("joined_at")),
        updated_at=_text(data.get("updated_at")),
        title=_text(data.get("title")) or _text(data.get("scenario")),
        done=_count(data.get("done")),
        tasks=_count(data.get("tasks")),
        score=score if _is_int(score) else None,
        mistakes=_count(data.get("mistakes")),
        hints=_count(data.get("hints")),
        elapsed_seconds=_count(data.get("elapsed_seconds")),
        finished=data.get("finished") is True,
        finished_runs=len(history) if isinstance(history, list) else 0,
        database=_text(data.get("database")),
        connected=process_alive(pid),
    )


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (a seat that ended leaves its file behind)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return True


def elapsed_now(row: SeatRow, now: datetime) -> int:
    """The seconds the trainee has spent on the scenario by `now`. A seat writes its file when
    its progress changes, so a trainee stuck on a task would show the time of their last step;
    while a scenario runs the time since that write is added (the trainer looks for who is
    stuck)."""
    if row.finished or not row.tasks or not row.connected:
        return row.elapsed_seconds
    try:
        written = datetime.fromisoformat(row.updated_at)
    except ValueError:
        return row.elapsed_seconds
    if written.tzinfo is None:
        return row.elapsed_seconds
    return row.elapsed_seconds + max(int((now - written).total_seconds()), 0)


def elapsed_text(seconds: int) -> str:
    """`12:05`, or `1:02:05` past an hour: a practice's time as a trainer reads it."""
    minutes, secs = divmod(max(seconds, 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> int:
    return value if _is_int(value) and value >= 0 else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
