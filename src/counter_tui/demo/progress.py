"""The classroom's seat files: how a trainee's demo process tells the trainer's view where it is.

When the environment names a class folder (`COUNTER_TUI_CLASSROOM`, set by `demo --serve` for
each browser's process), this process is a *seat*: it claims `<folder>/seat-N.json` (the lowest
free N) and rewrites it atomically (a temporary file, then os.replace) whenever its progress
changes, so that a reader never sees half a file. The trainer's view reads the folder
(`read_classroom`, which demo/classroom_seats.py builds on: this module is the one parser of
the format); a file it cannot read (half-copied, foreign, an older format) is skipped.

JSON keys (the contract with demo/classroom*.py): seat, trainee, pid, joined_at, updated_at,
scenario, title, done, tasks, score (null until finished), mistakes, hints, elapsed_seconds,
finished, history (finished runs: scenario, title, score, elapsed_seconds, mistakes, hints,
finished_at), database.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter_tui.demo.training import ScenarioRun

ENV = "COUNTER_TUI_CLASSROOM"
PREFIX = "seat-"
#: Seats a class may have: far more than a room holds; a bound keeps a full folder finite.
MAX_SEATS = 999

_FIELDS: dict[str, type | tuple[type, ...]] = {
    "seat": str,
    "trainee": str,
    "pid": int,
    "joined_at": str,
    "updated_at": str,
    "scenario": (str, type(None)),
    "title": str,
    "done": int,
    "tasks": int,
    "score": (int, type(None)),
    "mistakes": int,
    "hints": int,
    "elapsed_seconds": int,
    "finished": bool,
    "history": list,
    "database": str,
}
#: Fields that count something: never below zero in a seat's file.
_COUNTS = frozenset({"done", "tasks", "mistakes", "hints", "elapsed_seconds"})


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class SeatRecord:
    """One seat as its file says (read by the trainer's view)."""

    seat: str
    trainee: str
    pid: int
    joined_at: str
    updated_at: str
    scenario: str | None
    title: str
    done: int
    tasks: int
    score: int | None
    mistakes: int
    hints: int
    elapsed_seconds: int
    finished: bool
    history: list[dict[str, Any]] = field(default_factory=list)
    database: str = ""


class Seat:
    """This process's seat file. `update(**fields)` rewrites it with the fields changed."""

    def __init__(self, folder: Path, seat: str, *, database: str = "") -> None:
        self.folder = folder
        self.seat = seat
        self.path = folder / f"{seat}.json"
        now = _now()
        number = seat.removeprefix(PREFIX)
        self._data: dict[str, Any] = {
            "seat": seat,
            "trainee": f"学员{number}",
            "pid": os.getpid(),
            "joined_at": now,
            "updated_at": now,
            "scenario": None,
            "title": "",
            "done": 0,
            "tasks": 0,
            "score": None,
            "mistakes": 0,
            "hints": 0,
            "elapsed_seconds": 0,
            "finished": False,
            "history": [],
            "database": database,
        }
        #: Runs already in the history (a finished run is followed more than once).
        self._logged: set[int] = set()

    @property
    def record(self) -> SeatRecord:
        return SeatRecord(**self._data)

    @property
    def trainee(self) -> str:
        return str(self._data["trainee"])

    def update(self, **fields: Any) -> None:
        """Change these fields (keys of the contract) and rewrite the file."""
        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise TypeError(f"not seat fields: {sorted(unknown)}")
        self._data.update(fields)
        self._data["updated_at"] = _now()
        self._write()

    def follow(self, run: ScenarioRun, *, abandoned: bool = False) -> None:
        """Write where `run` stands; a finished run also joins the history (once)."""
        summary = run.summary()
        fields: dict[str, Any] = {
            "scenario": None if abandoned else summary.name,
            "title": "" if abandoned else summary.title,
            "done": 0 if abandoned else run.index,
            "tasks": 0 if abandoned else run.count,
            "score": summary.score if summary.finished and not abandoned else None,
            "mistakes": 0 if abandoned else summary.mistakes,
            "hints": 0 if abandoned else summary.hints,
            "elapsed_seconds": 0 if abandoned else summary.elapsed_seconds,
            "finished": summary.finished and not abandoned,
        }
        if summary.finished and not abandoned and id(run) not in self._logged:
            fields["history"] = [
                *self._data["history"],
                {
                    "scenario": summary.name,
                    "title": summary.title,
                    "score": summary.score,
                    "elapsed_seconds": summary.elapsed_seconds,
                    "mistakes": summary.mistakes,
                    "hints": summary.hints,
                    "finished_at": _now(),
                },
            ]
            self._logged.add(id(run))
        self.update(**fields)

    def _write(self) -> None:
        temporary = self.folder / f".{self.seat}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(self._data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)


_seat: Seat | None = None
_looked = False


def current_seat(*, database: str | Path | None = None) -> Seat | None:
    """This process's seat when `COUNTER_TUI_CLASSROOM` names a folder, else None. Made once
    per process; its file is written at once (the trainer sees the trainee join). `database`
    (the seat's demo database path) is recorded when given, on the first or a later call."""
    global _seat, _looked
    if not _looked:
        _looked = True
        folder = os.environ.get(ENV, "").strip()
        if folder:
            _seat = _claim(Path(folder), str(database or ""))
    if _seat is not None and database is not None and str(database) != _seat.record.database:
        _seat.update(database=str(database))
    return _seat


def _claim(folder: Path, database: str) -> Seat | None:
    """The lowest free seat number, claimed by creating its file exclusively (two browsers
    connecting at once get two seats). None when the folder cannot be written: the demo goes on
    without a seat rather than failing a trainee's session."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(1, MAX_SEATS + 1):
            name = f"{PREFIX}{number}"
            try:
                with open(folder / f"{name}.json", "x", encoding="utf-8"):
                    pass
            except FileExistsError:
                continue
            seat = Seat(folder, name, database=database)
            seat.update()
            return seat
    except OSError:
        return None
    return None


def read_classroom(folder: Path) -> list[SeatRecord]:
    """Every readable seat file in `folder`, in seat order; others are skipped."""
    records: list[tuple[int, SeatRecord]] = []
    try:
        paths = list(folder.glob(f"{PREFIX}*.json"))
    except OSError:
        return []
    for path in paths:
        record = _read(path)
        if record is not None:
            number = record.seat.removeprefix(PREFIX)
            records.append((int(number) if number.isdigit() else MAX_SEATS + 1, record))
    return [record for _, record in sorted(records, key=lambda pair: (pair[0], pair[1].seat))]


def _read(path: Path) -> SeatRecord | None:
    """The seat file at `path`, or None when it is not one a seat wrote whole: not JSON (half
    copied, or claimed and not yet written), a key missing or of another type (true is not a
    number here), no seat id, a count below zero. Keys beyond the contract are ignored."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for name, kind in _FIELDS.items():
        if name not in data:
            return None
        value = data[name]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            return None
        if name in _COUNTS and isinstance(value, int) and value < 0:
            return None
    if not data["seat"]:
        return None
    history = [h for h in data["history"] if isinstance(h, dict)]
    return SeatRecord(**{name: data[name] for name in _FIELDS} | {"history": history})


def _forget() -> None:
    """Tests: make the next current_seat() look at the environment again."""
    global _seat, _looked
    _seat, _looked = None, False
