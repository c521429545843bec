"""argon2id password hashing.

Parameters: OWASP's recommended argon2id set (19 MiB, 2 passes, 1 lane). RFC 9106's low-memory
profile asks 64 MiB a hash, which would lift a hall PC's app from about 75 to 140 MB at every
login (the app must stay under 100 MB); 19 MiB still costs an attacker ~40 ms and 19 MiB per
guess, and the five-failure lockout bounds online guessing. Stored hashes carry their own
parameters; `needs_rehash` lets a login upgrade an old hash.

The test suite's hook: with TEST_HASHING_VARIABLE set to "1" in the environment, hashes are made
with CHEAP_FOR_TESTS instead (tests/conftest.py sets it for the test process and every program
it starts, so that in-process code and the CLI agree and no login sees "other parameters" and
rehashes). The variable is read nowhere else. A hash made that way still verifies anywhere (the
hash names its parameters), and a node that ran with it by mistake upgrades each such password
at its next login without it.
"""

import os
from collections.abc import Mapping
from functools import cache
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Cost(NamedTuple):
    time_cost: int  # passes
    memory_cost: int  # KiB
    parallelism: int  # lanes


#: Production's.
STRONG = Cost(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: The test suite's only (the least argon2 allows): a hash costs microseconds, not ~50 ms.
CHEAP_FOR_TESTS = Cost(time_cost=1, memory_cost=8, parallelism=1)
TEST_HASHING_VARIABLE = "COUNTER_TUI_TEST_CHEAP_HASHING"


def hasher_for(environ: Mapping[str, str]) -> PasswordHasher:
    """The hasher with the strong parameters, unless `environ` asks for the test suite's."""
    cost = CHEAP_FOR_TESTS if environ.get(TEST_HASHING_VARIABLE) == "1" else STRONG
    return PasswordHasher(
        time_cost=cost.time_cost, memory_cost=cost.memory_cost, parallelism=cost.parallelism
    )


@cache
def _hasher() -> PasswordHasher:
    return hasher_for(os.environ)


@cache
def _dummy() -> str:
    """Verified against when the user does not exist, so both answers take the same time.

    Made on first use, not at import: one hash costs about 0.1 s of start-up otherwise.
    """
    return _hasher().hash("counter-tui-no-such-user")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher().verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with other parameters than today's."""
    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True
