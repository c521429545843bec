"""A sign-in's argon2 work area (19 MiB) goes back to the system after the check (memory.py).

Each case runs in a fresh process: the allocator's state is per process."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="glibc's allocator"
)

SIGN_INS = """
import os, sys, threading
from counter_tui.memory import return_large_blocks
if sys.argv[1] == "set":
    assert return_large_blocks()
from counter_tui.accounts.passwords import STRONG
from argon2 import PasswordHasher
hasher = PasswordHasher(*STRONG)
stored = hasher.hash("secret-pass-1")
def rss_mb():
    status = open(f"/proc/{os.getpid()}/status").read()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024
before = rss_mb()
for _ in range(6):  # six sign-ins, each checked in a worker thread of its own, as the app does
    check = threading.Thread(target=hasher.verify, args=(stored, "secret-pass-1"))
    check.start()
    check.join()
print(rss_mb() - before)
"""


def grown_mb(mode: str) -> int:
    env = {"PATH": "/usr/bin:/bin"}  # strong hashing: not the test suite's cheap parameters
    done = subprocess.run(
        [sys.executable, "-c", SIGN_INS, mode], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_sign_ins_leave_no_argon2_work_areas_behind() -> None:
    kept = grown_mb("set")
    assert kept <= 8, f"{kept} MB kept after six sign-ins"
    assert grown_mb("default") >= 15  # what it guards against: one 19 MiB area kept, or more
