"""The trainer's reading of a class folder: one row per seat (a browser's demo process).

The seats' files are read by demo/progress.py (`read_classroom`), the one parser of their
format: it skips what it cannot read (a file a seat is writing right now, a stray file) and the
next poll, a second later, reads it whole, never an error on the trainer's screen. This module
adds only what the trainer's view needs beyond the files: whether the seat is still connected,
which the file cannot say (a seat that leaves, its browser closed, cannot be trusted to write
so), read from the seat's process (`pid`) being alive; the time spent by now; how many
scenarios a trainee finished.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counter_tui.demo.progress import SeatRecord, read_classroom


@dataclass(frozen=True)
class SeatRow:
    """One trainee as the trainer's view lists them: their seat file, and whether they are
    still there."""

    record: SeatRecord
    #: The seat's process is still running: the trainee's browser is connected.
    connected: bool

    @property
    def finished_runs(self) -> int:
        """Scenarios this trainee finished in this class (the current one too, once finished:
        a seat adds a run to its history when it ends)."""
        return len(self.record.history)


def read_seats(folder: Path) -> list[SeatRow]:
    """Every readable seat file in `folder`, in seat order (the order the trainees joined:
    a seat takes the lowest free number, and a seat that left keeps its file)."""
    return [SeatRow(record, process_alive(record.pid)) for record in read_classroom(folder)]


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
    record = row.record
    if record.finished or not record.tasks or not row.connected:
        return record.elapsed_seconds
    try:
        written = datetime.fromisoformat(record.updated_at)
    except ValueError:
        return record.elapsed_seconds
    if written.tzinfo is None:
        return record.elapsed_seconds
    return record.elapsed_seconds + max(int((now - written).total_seconds()), 0)


def elapsed_text(seconds: int) -> str:
    """`12:05`, or `1:02:05` past an hour: a practice's time as a trainer reads it."""
    minutes, secs = divmod(max(seconds, 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
