"""A second engine on a database this process has open must not drop this process's locks.

Found in an hour of use: a village's database was damaged after a command-line `queue finish`
ran beside the program working on it. Checking the file with open() and close() dropped every
POSIX lock the program held on it; the command, closing its last connection, then took the
database for its own, folded the WAL in and deleted it, and the program's next commits went to
the deleted file (dbfile._check_header)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from counter_tui.db import make_engine

OTHER_PROGRAM = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("INSERT INTO note (said) VALUES ('other')")
conn.commit()
conn.close()  # its last connection: it checkpoints, and deletes the WAL if nobody else holds it
"""

READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
print(",".join(row[0] for row in conn.execute("SELECT said FROM note ORDER BY id")))
"""


def test_a_commit_after_a_second_engine_and_another_program_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "counter.db"
    first = make_engine(f"sqlite:///{path}", create=True)
    try:
        with first.begin() as conn:
            conn.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, said TEXT)"))
            conn.execute(text("INSERT INTO note (said) VALUES ('before')"))
        second = make_engine(f"sqlite:///{path}")  # checks the file again, the first still open
        second.dispose()
        subprocess.run([sys.executable, "-c", OTHER_PROGRAM, str(path)], check=True)
        with first.begin() as conn:
            conn.execute(text("INSERT INTO note (said) VALUES ('after')"))
        # Read by another program while this one still runs (as a hub or a clerk would).
        read = subprocess.run(
            [sys.executable, "-c", READER, str(path)], check=True, capture_output=True, text=True
        )
    finally:
        first.dispose()
    assert read.stdout.strip() == "before,other,after"
