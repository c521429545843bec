"""Give large freed blocks back to the system at once, in a process that runs all day.

A sign-in verifies the password with argon2id, whose work area is 19 MiB (accounts/passwords.py)
and is allocated in the signing-in worker thread. glibc serves a block of that size from the
thread's arena once its adaptive threshold has grown past it, and keeps the freed block there:
each sign-in on a new worker thread left about 20 MB in the app (87 MB after the first sign-in,
160–180 MB after a few sign-outs, found in an hour of use). A fixed threshold of 4 MiB puts every
block at least that large in its own mapping, returned to the system when freed. Everything
smaller is unchanged. Linux with glibc only; elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

#: glibc's mallopt() parameter number for the mmap threshold (malloc.h).
_M_MMAP_THRESHOLD = -3
#: Blocks at least this large get their own mapping.
THRESHOLD = 4 * 1024 * 1024


def return_large_blocks() -> bool:
    """Set the fixed threshold; whether it could be (glibc only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, THRESHOLD))
    except (OSError, AttributeError):  # musl or another libc: leave its allocator alone
        return False
