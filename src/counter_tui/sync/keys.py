"""Ed25519 keys for sync by file: this database's own key pair, and the public keys of the
other end.

A bundle carried on a USB stick passes through hands and PCs the hub never sees, so it is
signed: a node signs its export with the key pair it made at `sync register`, the hub signs its
reply with its own. Each end keeps the other's public key (hub_site.public_key,
sync_link.hub_public_key) and refuses a bundle signed with any other. The private key lives in
`node_key` in this database only; it never travels. The signatures are the `cryptography`
package's Ed25519: nothing here is home-made.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlmodel import Session

from counter_tui.sync.models import NodeKey

#: The length of a signature, in bytes (Ed25519).
SIGNATURE_BYTES = 64
#: A public key as it travels: base64 of the raw 32 bytes (44 characters with the padding).
PUBLIC_KEY_PATTERN = r"^[A-Za-z0-9+/]{43}=$"


def own_key(session: Session, now: datetime) -> NodeKey:
    """This database's key pair, made (and kept, in the caller's transaction) the first time it
    is needed."""
    row = session.get(NodeKey, 1)
    if row is not None:
        return row
    private = Ed25519PrivateKey.generate()
    row = NodeKey(
        id=1,
        private_key=_b64(private.private_bytes_raw()),
        public_key=public_of(private),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def existing_key(session: Session) -> NodeKey | None:
    return session.get(NodeKey, 1)


def public_of(private: Ed25519PrivateKey) -> str:
    return _b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def sign(key: NodeKey, data: bytes) -> bytes:
    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(key.private_key))
    return private.sign(data)


def verifies(public_key: str, signature: bytes, data: bytes) -> bool:
    """Whether `signature` is `public_key`'s over `data`; False for a key that is not one."""
    try:
        raw = base64.b64decode(public_key, validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def usable(public_key: str) -> bool:
    """Whether `public_key` is an Ed25519 public key as it travels."""
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
    except (ValueError, binascii.Error):
        return False
    return True


def fingerprint(public_key: str) -> str:
    """A short name for a public key, for people and headers: the first 16 hex digits of the
    SHA-256 of its raw bytes, in groups of four."""
    try:
        raw = base64.b64decode(public_key, validate=True)
    except (ValueError, binascii.Error):
        raw = public_key.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return ":".join(digest[i : i + 4] for i in range(0, 16, 4))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
