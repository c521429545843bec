"""argon2id password hashing.

Parameters: OWASP's recommended argon2id set (19 MiB, 2 passes, 1 lane). RFC 9106's low-memory
profile asks 64 MiB a hash, which would lift a hall PC's app from about 75 to 140 MB at every
login (the app must stay under 100 MB); 19 MiB still costs an attacker ~40 ms and 19 MiB per
guess, and the five-failure lockout bounds online guessing. Stored hashes carry their own
parameters; `needs_rehash` lets a login upgrade an old hash.
"""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def _dummy() -> str:
    """Verified against when the user does not exist, so both answers take the same time.

    Made on first use, not at import: one hash costs about 0.1 s of start-up otherwise.
    """
    return _hasher.hash("counter-tui-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True
